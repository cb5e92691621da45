import { threadId } from 'node:worker_threads';

/** Taken around each write transaction of a SqliteReadStore that is given one. */
export interface WriteLock {
  acquire(): void;
  release(): void;
}

/** Long enough for any batch a projector commits; past it, a holder that never released (a thread gone) is reported. */
const DEFAULT_ACQUIRE_TIMEOUT_MS = 60_000;
const FREE = 0;

/** Thrown when the lock is still held after the timeout. */
export class WriteLockTimeoutError extends Error {
  override readonly name = 'WriteLockTimeoutError';
}

/** What the lock word holds while `thread` (a worker_threads threadId; the main thread's is 0) holds the lock. */
const holderMark = (thread: number) => thread + 1;

/**
 * A write lock shared by the worker threads of one process through a SharedArrayBuffer, for their connections to one
 * SQLite file. SQLite's own busy handler polls with sleeps of up to 100 ms, so two threads committing in turn could
 * starve each other past the busy timeout ("database is locked"); this hands the lock to the waiting thread as soon
 * as it is released. Waiting blocks the thread: for worker threads only, never for a thread that answers requests.
 * The lock word names its holder, so that whoever sees a thread end can free a lock the thread died holding.
 */
export class SharedWriteLock implements WriteLock {
  private readonly state: Int32Array;
  private readonly mark = holderMark(threadId);

  /** A new lock, or (in another thread) the one whose buffer was handed over. */
  constructor(
    readonly buffer: SharedArrayBuffer = new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT),
    private readonly acquireTimeoutMs = DEFAULT_ACQUIRE_TIMEOUT_MS,
  ) {
    this.state = new Int32Array(buffer);
  }

  acquire(): void {
    const deadline = Date.now() + this.acquireTimeoutMs;
    for (;;) {
      const holder = Atomics.compareExchange(this.state, 0, FREE, this.mark);
      if (holder === FREE) return;
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new WriteLockTimeoutError(`The shared write lock is still held after ${this.acquireTimeoutMs} ms`);
      Atomics.wait(this.state, 0, holder, remaining);
    }
  }

  release(): void {
    Atomics.store(this.state, 0, FREE);
    Atomics.notify(this.state, 0, 1);
  }

  /**
   * Frees the lock if the thread `thread` holds it, for a thread that ended without releasing it (out of memory in a
   * commit: its connection is closed with the thread, which rolls the transaction back). True if it was freed.
   */
  releaseHeldBy(thread: number): boolean {
    if (Atomics.compareExchange(this.state, 0, holderMark(thread), FREE) !== holderMark(thread)) return false;
    Atomics.notify(this.state, 0, 1);
    return true;
  }
}
