import { HttpException, HttpStatus, Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { BLOB_STORE, sha256Hex, type BlobStore } from '@pc/blob-store';
import { documentDecider, toDocumentStreamId, type DocumentContentRetrieved, type RetrievalPurpose } from '@pc/domain';
import { CLOCK, type Clock } from '../commands/clock';
import { CommandPipeline, type CommandContext } from '../commands/command-pipeline';

export class RetrieveDocumentContentCommand {
  constructor(
    readonly documentId: string,
    /** null: the latest version. */
    readonly version: number | null,
    readonly purpose: RetrievalPurpose,
    readonly context: CommandContext,
  ) {}
}

export interface RetrievedContent {
  readonly documentId: string;
  readonly version: number;
  readonly contentHash: string;
  readonly mediaType: string;
  readonly fileName: string;
  readonly bytes: Buffer;
  /** Position of the event that records this retrieval. */
  readonly position: string | null;
}

/**
 * Content is handed out only once its retrieval is recorded, and only if it still hashes to what
 * the log says: the bytes are read and checked first, then the retrieval of exactly that version
 * is recorded (refused if the document was disposed of meanwhile), then they are returned.
 */
@CommandHandler(RetrieveDocumentContentCommand)
export class RetrieveDocumentContentHandler implements ICommandHandler<RetrieveDocumentContentCommand, RetrievedContent> {
  constructor(
    private readonly pipeline: CommandPipeline,
    @Inject(BLOB_STORE) private readonly blobs: BlobStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ documentId, version, purpose, context }: RetrieveDocumentContentCommand): Promise<RetrievedContent> {
    const streamId = toDocumentStreamId(documentId);
    const { state } = await this.pipeline.load(streamId, documentDecider);
    // Decided once against the state as read, to learn which version and hash are asked for (or the refusal).
    const [intended] = documentDecider.decide({ type: 'RecordDocumentRetrieval', documentId, version, purpose }, state, { now: this.clock(), actor: context.principal });
    const { version: resolved, contentHash } = (intended as DocumentContentRetrieved).data;
    const bytes = await this.blobs.get(contentHash);
    if (bytes === null || sha256Hex(bytes) !== contentHash) {
      throw new HttpException(
        `The stored content of version ${resolved} ${bytes === null ? 'is missing' : `no longer hashes to ${contentHash}`}; nothing was handed out. GET /api/audit/verify?streamId=${streamId} names the break`,
        HttpStatus.INTERNAL_SERVER_ERROR,
      );
    }
    const recorded = await this.pipeline.execute(streamId, documentDecider, { type: 'RecordDocumentRetrieval', documentId, version: resolved, purpose }, context);
    const details = describeVersion(await this.pipeline.readEvents(streamId), resolved);
    return { documentId, version: resolved, contentHash, mediaType: details.mediaType, fileName: details.fileName, bytes, position: recorded.position };
  }
}

function describeVersion(events: readonly { type: string; data: unknown }[], version: number): { mediaType: string; fileName: string } {
  for (const event of events) {
    const data = event.data as { version?: number; content?: { mediaType: string; fileName: string } | null };
    const isIt = (event.type === 'DocumentFiled' && version === 1) || (event.type === 'DocumentVersionAdded' && data.version === version);
    if (isIt && data.content) return { mediaType: data.content.mediaType, fileName: data.content.fileName };
  }
  return { mediaType: 'application/octet-stream', fileName: 'content' };
}
