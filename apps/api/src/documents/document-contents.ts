import { Inject, Injectable, Logger } from '@nestjs/common';
import { BLOB_STORE, sha256Hex, type BlobInfo, type BlobStore } from '@pc/blob-store';
import { DOCUMENT_STREAM_PREFIX } from '@pc/domain';
import { EVENT_STORE, type EventStore } from '@pc/event-store';
import { ContentReferenceIndex, scanLog } from './content-references';

/** Blobs younger than this are never swept: their upload may still be on its way to its event. */
export const DEFAULT_SWEEP_GRACE_MS = 60 * 60 * 1000;

export interface SweepResult {
  readonly removed: readonly BlobInfo[];
  /** Unreferenced, but younger than the grace period or in use by an upload under way. */
  readonly spared: readonly BlobInfo[];
}

/**
 * The orphan policy, in one place. A blob is stored before the event that names it, and is
 * "live" once a filed (not disposed) document's event names its hash.
 * - A command that stored a new blob and then failed removes it again, unless another upload of
 *   the same bytes is under way here or the log names it for a live document.
 * - Disposal removes a document's blobs unless another live document holds the same bytes.
 * - What a crash leaves behind is listed by GET /api/audit/verify (`blobs.orphaned`), reused by a
 *   re-upload of the same bytes, and removed by POST /api/audit/blobs/sweep once older than an hour.
 * Every removal and every blob left behind is logged: nothing is orphaned silently.
 */
@Injectable()
export class DocumentContents {
  private readonly logger = new Logger('DocumentContents');
  /** Hash → uploads of those bytes under way in this process. */
  private readonly inFlight = new Map<string, number>();

  constructor(
    @Inject(BLOB_STORE) readonly blobs: BlobStore,
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
  ) {}

  /**
   * Stores the bytes, then runs the work that records the event naming them. `work` says
   * whether it wrote such an event; if it did not, or failed, a blob this call created goes again.
   */
  async storeFor<T>(bytes: Buffer, work: () => Promise<{ result: T; wroteEvent: boolean }>): Promise<T> {
    const hash = sha256Hex(bytes);
    this.inFlight.set(hash, (this.inFlight.get(hash) ?? 0) + 1);
    let created = false;
    try {
      created = (await this.blobs.put(bytes)).created;
      const { result, wroteEvent } = await work();
      if (wroteEvent) {
        // A disposal elsewhere may have removed the same bytes meanwhile; the event now needs them.
        if (!(await this.blobs.has(hash))) await this.blobs.put(bytes);
      } else if (created) {
        await this.removeUnreferenced([hash], 'the command that uploaded it recorded nothing', true);
      }
      return result;
    } catch (error) {
      if (created) await this.removeUnreferenced([hash], 'the command that uploaded it failed', true);
      throw error;
    } finally {
      const left = (this.inFlight.get(hash) ?? 1) - 1;
      if (left > 0) this.inFlight.set(hash, left);
      else this.inFlight.delete(hash);
    }
  }

  /**
   * Removes the blobs among `hashes` that no live document names and no other upload here is
   * using, reading the log once for all of them; never throws, logs what it leaves. `ownUpload`:
   * the caller is itself one of the uploads of these bytes. Answers the hashes removed.
   */
  async removeUnreferenced(hashes: Iterable<string>, why: string, ownUpload = false): Promise<Set<string>> {
    const removed = new Set<string>();
    const inUse = (hash: string) => (this.inFlight.get(hash) ?? 0) > (ownUpload ? 1 : 0);
    const keptInUse = (hash: string) => this.logger.log(`Kept blob ${hash} (${why}): an upload of the same bytes is under way`);
    const candidates = new Set<string>();
    for (const hash of hashes) {
      if (inUse(hash)) keptInUse(hash);
      else candidates.add(hash);
    }
    if (candidates.size === 0) return removed;
    let live: Set<string>;
    try {
      live = (await this.referenceIndex(candidates)).liveHashes();
    } catch (error) {
      for (const hash of candidates) this.leftBehind(hash, why, error);
      return removed;
    }
    for (const hash of candidates) {
      if (live.has(hash)) continue;
      if (inUse(hash)) {
        keptInUse(hash);
        continue;
      }
      try {
        if (await this.blobs.delete(hash)) {
          this.logger.log(`Removed blob ${hash}: ${why}`);
          removed.add(hash);
        }
      } catch (error) {
        this.leftBehind(hash, why, error);
      }
    }
    return removed;
  }

  /** Removes blobs no live document names, older than the grace period and not in use by an upload here. */
  async sweep(graceMs: number, now: Date): Promise<SweepResult> {
    const live = (await this.referenceIndex()).liveHashes();
    const removed: BlobInfo[] = [];
    const spared: BlobInfo[] = [];
    for await (const blob of this.blobs.list()) {
      if (live.has(blob.hash)) continue;
      const young = now.getTime() - Date.parse(blob.storedAt) < graceMs;
      if (young || this.inFlight.has(blob.hash)) {
        spared.push(blob);
        continue;
      }
      if (await this.blobs.delete(blob.hash)) {
        this.logger.log(`Swept blob ${blob.hash} (${blob.size} bytes, stored ${blob.storedAt}): no live document names it`);
        removed.push(blob);
      }
    }
    return { removed, spared };
  }

  /**
   * One pass over the documents' streams; `only`: the hashes asked about (default: all). The event store skips the
   * other streams itself: on a log of 1,000,000 events, most of them not documents', 4.1–4.5 s → 0.4 s (docs/performance.md).
   */
  private async referenceIndex(only: ReadonlySet<string> | null = null): Promise<ContentReferenceIndex> {
    const index = new ContentReferenceIndex(only);
    await scanLog(this.eventStore, [(event) => index.add(event)], { streamPrefix: DOCUMENT_STREAM_PREFIX });
    return index;
  }

  private leftBehind(hash: string, why: string, error: unknown): void {
    this.logger.warn(
      `Blob ${hash} may be left without a live document (${why}): ${(error as Error).message}. GET /api/audit/verify lists it; POST /api/audit/blobs/sweep removes it`,
    );
  }
}
