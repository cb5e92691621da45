/** A stream's head as the `streams` table holds it, read raw (an array: no property names to intern per row). */
export type StreamHead = readonly [lastRevision: number, lastPosition: number, lastHash: string];

/** Enough for the streams a busy writer returns to (a product's, a change request's through its life), ~1 MB at most. */
const MAX_CACHED_STREAM_HEADS = 4096;

/**
 * The heads of streams this connection wrote, so that the next append to one needs no lookup (docs/performance.md, b).
 * What a transaction writes is kept apart until its COMMIT has returned, and dropped if it fails. Every transaction
 * starts by reading `PRAGMA data_version` once the write lock is held: when another connection (another process,
 * another store on the file) has committed since, nothing cached is trusted.
 */
export class StreamHeadCache {
  private readonly heads = new Map<string, StreamHead>();
  private readonly written = new Map<string, StreamHead>();
  private dataVersion: number | null = null;

  constructor(private readonly capacity = MAX_CACHED_STREAM_HEADS) {}

  begin(dataVersion: number): void {
    this.written.clear();
    if (dataVersion !== this.dataVersion) this.heads.clear();
    this.dataVersion = dataVersion;
  }

  get(streamId: string): StreamHead | undefined {
    return this.written.get(streamId) ?? this.heads.get(streamId);
  }

  wrote(streamId: string, head: StreamHead): void {
    this.written.set(streamId, head);
  }

  /** An append that failed alone, inside a transaction that goes on. */
  forget(streamId: string): void {
    this.written.delete(streamId);
    this.heads.delete(streamId);
  }

  committed(): void {
    for (const [streamId, head] of this.written) {
      if (this.heads.size >= this.capacity && !this.heads.has(streamId)) this.evictOldest();
      this.heads.set(streamId, head);
    }
    this.written.clear();
  }

  rolledBack(): void {
    this.written.clear();
    this.heads.clear();
    this.dataVersion = null;
  }

  /** A sixteenth at once, in insertion order: one entry at a time would walk the Map's deleted slots again and again. */
  private evictOldest(): void {
    let count = Math.max(1, Math.floor(this.capacity / 16));
    for (const streamId of this.heads.keys()) {
      if (count-- <= 0) break;
      this.heads.delete(streamId);
    }
  }
}
