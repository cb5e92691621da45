import { Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { BLOB_STORE, FilesystemBlobStore, type BlobStore } from '@pc/blob-store';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { DocumentCommands } from './document-commands';
import { DocumentContents } from './document-contents';
import { DocumentLookups } from './document-lookups';

/** GridFS (and with it the MongoDB driver) is loaded only when configured. */
export async function openBlobStore(config: AppConfig): Promise<BlobStore> {
  const { blobStore } = config;
  if (blobStore.kind === 'filesystem') return new FilesystemBlobStore(blobStore.dir);
  const { GridFsBlobStore } = await import('@pc/blob-store/gridfs');
  return GridFsBlobStore.open(blobStore.uri);
}

/**
 * The blob store bound to its port, and what every writer of document contents shares: the API's
 * controllers, the filing process (also in the projector worker), the verifier and the evidence export.
 */
@Module({
  providers: [{ provide: BLOB_STORE, useFactory: openBlobStore, inject: [APP_CONFIG] }, DocumentContents, DocumentLookups, DocumentCommands],
  exports: [BLOB_STORE, DocumentContents, DocumentLookups, DocumentCommands],
})
export class DocumentStorageModule implements OnApplicationShutdown {
  constructor(@Inject(BLOB_STORE) private readonly blobs: BlobStore) {}

  async onApplicationShutdown(): Promise<void> {
    await this.blobs.close();
  }
}
