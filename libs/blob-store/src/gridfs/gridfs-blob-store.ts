import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { GridFSBucket, MongoClient, type Db } from 'mongodb';
import { assertContentHash, sha256Hex, type BlobInfo, type BlobStore, type PutResult } from '../blob-store.port';

export interface GridFsBlobStoreOptions {
  /** Default: the database named in the URI. */
  readonly databaseName?: string;
  /** Default `blobs`: collections `blobs.files` and `blobs.chunks`. */
  readonly bucketName?: string;
}

/**
 * Blobs in MongoDB GridFS, one file per content hash (its `filename`), used when the read store
 * is MongoDB. An upload that fails midway leaves no files document, so no half blob is visible;
 * its stray chunks are GridFS's own to clean up. Two concurrent uploads of the same bytes may
 * both store a copy: reads take the newest, deletes remove every copy.
 */
export class GridFsBlobStore implements BlobStore {
  private closed = false;

  private constructor(
    private readonly client: MongoClient,
    private readonly bucket: GridFSBucket,
    private readonly db: Db,
  ) {}

  /** Connects on first use (the driver's own behaviour), so an unreachable server shows in health rather than stopping start-up. */
  static open(uri: string, options: GridFsBlobStoreOptions = {}): GridFsBlobStore {
    const client = new MongoClient(uri, { serverSelectionTimeoutMS: 5_000 });
    const db = client.db(options.databaseName);
    const bucket = new GridFSBucket(db, { bucketName: options.bucketName ?? 'blobs' });
    return new GridFsBlobStore(client, bucket, db);
  }

  static async connect(uri: string, options: GridFsBlobStoreOptions = {}): Promise<GridFsBlobStore> {
    const client = await MongoClient.connect(uri);
    const db = client.db(options.databaseName);
    const bucket = new GridFSBucket(db, { bucketName: options.bucketName ?? 'blobs' });
    return new GridFsBlobStore(client, bucket, db);
  }

  async put(bytes: Buffer): Promise<PutResult> {
    const hash = sha256Hex(bytes);
    const stored = await this.get(hash);
    if (stored && sha256Hex(stored) === hash) return { hash, size: bytes.length, created: false };
    const upload = this.bucket.openUploadStream(hash, { metadata: { sha256: hash } });
    await pipeline(Readable.from([bytes]), upload);
    if (stored) await this.deleteCopiesExcept(hash, upload.id);
    return { hash, size: bytes.length, created: true };
  }

  async get(hash: string): Promise<Buffer | null> {
    assertContentHash(hash);
    if (!(await this.has(hash))) return null;
    const chunks: Buffer[] = [];
    try {
      for await (const chunk of this.bucket.openDownloadStreamByName(hash)) chunks.push(chunk as Buffer);
    } catch (error) {
      // Deleted between the lookup and the read.
      if ((error as { code?: string }).code === 'ENOENT' || /FileNotFound/i.test(String((error as Error).message))) return null;
      throw error;
    }
    return Buffer.concat(chunks);
  }

  async has(hash: string): Promise<boolean> {
    assertContentHash(hash);
    return (await this.bucket.find({ filename: hash }, { limit: 1 }).toArray()).length > 0;
  }

  async delete(hash: string): Promise<boolean> {
    assertContentHash(hash);
    const copies = await this.bucket.find({ filename: hash }).toArray();
    for (const copy of copies) await this.bucket.delete(copy._id);
    return copies.length > 0;
  }

  async *list(): AsyncIterable<BlobInfo> {
    for await (const file of this.bucket.find({}, { sort: { filename: 1 } })) {
      if (/^[0-9a-f]{64}$/.test(file.filename)) yield { hash: file.filename, size: file.length, storedAt: file.uploadDate.toISOString() };
    }
  }

  async health(): Promise<{ engine: string; status: 'up' | 'down'; detail?: string }> {
    if (this.closed) return { engine: 'gridfs', status: 'down', detail: 'closed' };
    try {
      await this.db.command({ ping: 1 });
      return { engine: 'gridfs', status: 'up' };
    } catch (error) {
      return { engine: 'gridfs', status: 'down', detail: (error as Error).message };
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.client.close();
  }

  private async deleteCopiesExcept(hash: string, keep: unknown): Promise<void> {
    for (const copy of await this.bucket.find({ filename: hash }).toArray()) {
      if (!copy._id.equals(keep as typeof copy._id)) await this.bucket.delete(copy._id);
    }
  }
}
