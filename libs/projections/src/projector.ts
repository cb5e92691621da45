import { comparePositions, lowestPosition, type EventStore, type RecordedEvent } from '@pc/event-store';
import type { Document, DocumentChange, ReadStore } from '@pc/read-store';
import { batched } from './batched';
import type { Projection } from './projection';

export interface ProjectorOptions {
  readonly batchSize?: number;
  /** Called after each committed batch with the position now reflected in every projection. */
  readonly onProgress?: (position: string) => void;
  readonly onError?: (error: unknown) => void;
}

/**
 * Most events one commit takes. A batch holds only what is already available, so a live event is never
 * held back; a catch-up over a long log moves in transactions this large, which amortizes the fsync and
 * lets index pages touched by many events be written once (docs/performance.md: 500 → 5000 took a
 * catch-up from about 9,000 to about 15,000 events/s at 100,000 events; 5000 → 20000 about +14 % at
 * 200,000 events, with no higher peak RSS; 50000 gained nothing more).
 */
const DEFAULT_BATCH_SIZE = 20_000;
/**
 * Events read and projected at a time while catching up: few enough that a page's rows and parsed events (~1 MB)
 * die young, inside a projector thread's 8 MB young generation. A page of 1,000 (~4 MB) outgrew it, so every page
 * was still live at a scavenge and copied: 250 took ~10 % of the CPU off a catch-up (docs/performance.md, d).
 */
const CATCH_UP_PAGE_SIZE = 250;

/**
 * Feeds the projections from the log: by pages while it is behind the head, then from the event store's
 * subscription. Each batch's document changes and every projection's checkpoint are committed as one
 * unit, so a crash replays a batch whole or not at all, and a projection never sees an event twice.
 */
export class Projector {
  private readonly checkpoints = new Map<string, string | null>();

  constructor(
    private readonly eventStore: EventStore,
    private readonly readStore: ReadStore,
    private readonly projections: readonly Projection[],
    private readonly options: ProjectorOptions = {},
  ) {}

  async prepare(): Promise<void> {
    await this.readStore.ensureCollections(this.projections.map((projection) => projection.collection));
    for (const projection of this.projections) this.checkpoints.set(projection.name, await this.readStore.getCheckpoint(projection.name));
  }

  /** The position every projection has reached; null before the first event. */
  get position(): string | null {
    return lowestPosition(this.checkpoints.values());
  }

  /** Runs until the signal aborts. Call prepare() first. */
  async run(signal: AbortSignal): Promise<void> {
    const batchSize = this.options.batchSize ?? DEFAULT_BATCH_SIZE;
    const pageSize = Math.min(batchSize, CATCH_UP_PAGE_SIZE);
    // Behind the head the log is read by pages, each projected as soon as it is read, and a batch commits every
    // batchSize events: stepping through the subscription event by event cost more than reading the events did, and
    // a page's events are garbage once projected instead of living as long as the batch (docs/performance.md, d).
    // The subscription takes over once a page comes back short.
    for (;;) {
      if (signal.aborted) return;
      const batch = new PendingBatch();
      let page: readonly RecordedEvent[];
      let read = 0;
      do {
        page = await this.eventStore.readAll({ after: batch.last ?? this.position, limit: pageSize });
        await this.project(batch, page);
        read += page.length;
      } while (page.length === pageSize && read < batchSize);
      await this.commit(batch);
      if (page.length < pageSize) break;
    }
    if (signal.aborted) return;
    const subscription = this.eventStore.subscribeAll({ after: this.position, signal });
    for await (const events of batched(subscription, batchSize)) {
      await this.apply(events);
      if (signal.aborted) return;
    }
  }

  /** Applies events in order, as one commit; events at or before a projection's checkpoint are skipped for it. */
  async apply(events: readonly RecordedEvent[]): Promise<void> {
    const batch = new PendingBatch();
    await this.project(batch, events);
    await this.commit(batch);
  }

  /** Evolves the batch's documents by `events`, which follow the batch's earlier events in the log. */
  private async project(batch: PendingBatch, events: readonly RecordedEvent[]): Promise<void> {
    if (events.length === 0) return;
    for (const projection of this.projections) {
      const checkpoint = this.checkpoints.get(projection.name) ?? null;
      const { name: collection } = projection.collection;
      const { working, changes } = batch.of(collection);
      // A projection that builds its documents whole needs no lookup (docs/performance.md: one read-store get per audit entry).
      const reads = projection.readsDocument !== false;
      const perStream = projection.documentScope === 'stream';
      for (const event of events) {
        if (checkpoint !== null && comparePositions(event.position, checkpoint) <= 0) continue;
        // A stream's first event comes before anything stored of a document only that stream touches.
        const stored = reads && !(perStream && event.revision === 0);
        for (const id of projection.documentIds(event)) {
          const current = working.has(id) ? working.get(id)! : stored ? await this.readStore.get(collection, id) : null;
          const next = projection.evolve(current, event, id);
          working.set(id, next);
          if (next !== current) {
            changes.set(id, next === null ? { op: 'delete', collection, id } : { op: 'upsert', collection, document: next });
          }
        }
      }
    }
    batch.last = events[events.length - 1]!.position;
  }

  /** The batch's changes and every projection's checkpoint at its last event, in one read-store commit. */
  private async commit(batch: PendingBatch): Promise<void> {
    const position = batch.last;
    if (position === null) return;
    const checkpoints: Record<string, string> = {};
    for (const { name } of this.projections) {
      const checkpoint = this.checkpoints.get(name) ?? null;
      // Only forwards: a batch behind this projection (a newly added one sets the pace) must not pull it back to replay events.
      if (checkpoint === null || comparePositions(position, checkpoint) > 0) checkpoints[name] = position;
    }
    await this.readStore.commit({ changes: batch.allChanges(), checkpoints, position });
    for (const [name, checkpoint] of Object.entries(checkpoints)) this.checkpoints.set(name, checkpoint);
    this.options.onProgress?.(position);
  }
}

/** What a batch's events made of the documents they touch, until it commits. */
class PendingBatch {
  /**
   * By collection: the documents as the batch's events left them, by id (null: deleted), and the changes to write.
   * A commit writes one collection's changes after another's, not in the order the events touched them: SQLite then
   * works on one table and its indexes at a time, whose pages stay in its cache (docs/performance.md, d).
   */
  private readonly collections = new Map<string, CollectionChanges>();
  /** The position of the batch's last event; null before any. */
  last: string | null = null;

  of(collection: string): CollectionChanges {
    let changes = this.collections.get(collection);
    if (changes === undefined) this.collections.set(collection, (changes = { working: new Map(), changes: new Map() }));
    return changes;
  }

  allChanges(): DocumentChange[] {
    const all: DocumentChange[] = [];
    for (const { changes } of this.collections.values()) for (const change of changes.values()) all.push(change);
    return all;
  }
}

interface CollectionChanges {
  readonly working: Map<string, Document | null>;
  readonly changes: Map<string, DocumentChange>;
}
