import { Inject, Injectable } from '@nestjs/common';
import { sha256Hex, type BlobInfo } from '@pc/blob-store';
import { DomainError, toDocumentStreamId } from '@pc/domain';
import {
  CHECKPOINT_FORMAT,
  compareWithCheckpoint,
  EVENT_STORE,
  LogVerifier,
  signCheckpoint,
  verifierFor,
  verifyStream,
  type ChainBreak,
  type CheckpointBreak,
  type CheckpointComparison,
  type EventStore,
  type LogHead,
  type SignedCheckpoint,
  type StreamHead,
} from '@pc/event-store';
import { CLOCK, type Clock } from '../commands/clock';
import { ContentReferenceIndex, scanLog, type ContentReference } from '../documents/content-references';
import { DocumentContents } from '../documents/document-contents';
import { SigningKey } from './signing-key';

export interface BlobBreak {
  readonly kind: 'blob';
  readonly reason: 'missing' | 'hash_mismatch';
  readonly streamId: string;
  readonly documentId: string;
  readonly version: number;
  readonly contentHash: string;
  readonly detail: string;
}

export type IntegrityBreak = ChainBreak | CheckpointBreak | BlobBreak;

export interface VerificationReport {
  readonly ok: boolean;
  readonly scope: { readonly streamId: string } | { readonly log: 'all' };
  readonly verifiedAt: string;
  readonly events: { readonly checked: number; readonly streams: number; readonly firstRecordedAt: string | null; readonly lastRecordedAt: string | null };
  /** The log head (whole log) or the stream head (one stream) as found. */
  readonly head: LogHead | StreamHead | null;
  /** The first thing that does not verify: an event of a chain (in position order), else the checkpoint, else a blob. */
  readonly firstBreak: IntegrityBreak | null;
  /** Every stream's first break, the checkpoint's breaks and every blob break (at most 100). */
  readonly breaks: readonly IntegrityBreak[];
  readonly blobs: {
    readonly checked: number;
    /** Stored but named by no filed document: left by a crash, or content of disposed documents not yet removed. Not a break. */
    readonly orphaned?: readonly BlobInfo[];
  };
  readonly checkpoint?: Pick<CheckpointComparison, 'signature' | 'checkpoint' | 'logHeadAtCheckpoint'> & { readonly ok: boolean };
}

const MAX_LISTED_BREAKS = 100;

/**
 * Recomputes the hash chains from the event store and the content hashes from the blob store,
 * compares the log with a checkpoint an auditor kept, and signs checkpoints of the log head.
 */
@Injectable()
export class LogIntegrity {
  constructor(
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    private readonly contents: DocumentContents,
    private readonly signingKey: SigningKey,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async verifyStream(streamId: string): Promise<VerificationReport> {
    const events = await this.eventStore.readStream(streamId);
    if (events.length === 0) throw new DomainError('AUDIT.STREAM_NOT_FOUND', 'not_found', `No events are stored in ${streamId}`, { streamId });
    const verification = verifyStream(streamId, events);
    const references = new ContentReferenceIndex();
    for (const event of events) references.add(event);
    const blobBreaks = await this.checkBlobs(references.live());
    const breaks = [...(verification.firstBreak ? [verification.firstBreak] : []), ...blobBreaks.breaks];
    return {
      ok: breaks.length === 0,
      scope: { streamId },
      verifiedAt: this.clock().toISOString(),
      events: { checked: events.length, streams: events.length > 0 ? 1 : 0, firstRecordedAt: verification.firstRecordedAt, lastRecordedAt: verification.lastRecordedAt },
      head: verification.head,
      firstBreak: breaks[0] ?? null,
      breaks: breaks.slice(0, MAX_LISTED_BREAKS),
      blobs: { checked: blobBreaks.checked },
    };
  }

  /** The whole log in position order; with a checkpoint, also whether the log still holds what it committed to. */
  async verifyLog(checkpoint?: SignedCheckpoint): Promise<VerificationReport> {
    const verifier = checkpoint ? verifierFor(checkpoint) : new LogVerifier();
    const references = new ContentReferenceIndex();
    await scanLog(this.eventStore, [(event) => verifier.add(event), (event) => references.add(event)]);
    const result = verifier.result();
    const comparison = checkpoint ? compareWithCheckpoint(verifier, checkpoint, this.signingKey.publicKey) : null;
    const blobs = await this.checkBlobs(references.live());
    const named = references.liveHashes();
    const orphaned: BlobInfo[] = [];
    for await (const blob of this.contents.blobs.list()) if (!named.has(blob.hash)) orphaned.push(blob);
    const breaks: IntegrityBreak[] = [...result.breaks, ...(comparison?.breaks ?? []), ...blobs.breaks];
    return {
      ok: breaks.length === 0,
      scope: { log: 'all' },
      verifiedAt: this.clock().toISOString(),
      events: { checked: result.head.eventCount, streams: result.streamCount, firstRecordedAt: result.firstRecordedAt, lastRecordedAt: result.lastRecordedAt },
      head: result.head,
      firstBreak: breaks[0] ?? null,
      breaks: breaks.slice(0, MAX_LISTED_BREAKS),
      blobs: { checked: blobs.checked, orphaned },
      ...(comparison
        ? {
            checkpoint: {
              ok: comparison.breaks.length === 0,
              signature: comparison.signature,
              checkpoint: comparison.checkpoint,
              logHeadAtCheckpoint: comparison.logHeadAtCheckpoint,
            },
          }
        : {}),
    };
  }

  /**
   * A signed checkpoint of the log up to `upTo` (default: the head now), with the heads of the
   * given streams (`'all'`: every stream; none: the log head alone).
   */
  async checkpoint(options: { streams?: 'all' | readonly string[]; upTo?: string | null } = {}): Promise<SignedCheckpoint> {
    const upTo = options.upTo === undefined ? await this.eventStore.headPosition() : options.upTo;
    const verifier = new LogVerifier();
    if (upTo !== null) await scanLog(this.eventStore, [(event) => verifier.add(event)], { upTo });
    const heads = verifier.streamHeads();
    const streams =
      options.streams === 'all'
        ? heads
        : options.streams
          ? Object.fromEntries(options.streams.filter((streamId) => heads[streamId]).map((streamId) => [streamId, heads[streamId]!]))
          : undefined;
    return signCheckpoint({ format: CHECKPOINT_FORMAT, issuedAt: this.clock().toISOString(), log: verifier.head(), ...(streams ? { streams } : {}) }, this.signingKey.privateKey);
  }

  private async checkBlobs(live: readonly ContentReference[]): Promise<{ checked: number; breaks: BlobBreak[] }> {
    const breaks: BlobBreak[] = [];
    const intact = new Map<string, boolean | null>();
    for (const { documentId, version, contentHash } of live) {
      if (!intact.has(contentHash)) {
        const bytes = await this.contents.blobs.get(contentHash);
        intact.set(contentHash, bytes === null ? null : sha256Hex(bytes) === contentHash);
      }
      const state = intact.get(contentHash);
      if (state === true) continue;
      const streamId = toDocumentStreamId(documentId);
      breaks.push({
        kind: 'blob',
        reason: state === null ? 'missing' : 'hash_mismatch',
        streamId,
        documentId,
        version,
        contentHash,
        detail:
          state === null
            ? `The content of ${streamId} version ${version} (${contentHash}) is missing from the blob store`
            : `The stored content of ${streamId} version ${version} no longer hashes to ${contentHash}: it was altered`,
      });
    }
    return { checked: live.length, breaks };
  }
}
