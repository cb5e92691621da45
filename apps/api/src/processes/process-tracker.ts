import { Injectable } from '@nestjs/common';

/**
 * Sagas hand their commands to the CommandBus without waiting. The runner must know they all
 * finished before it moves its checkpoint, so process command handlers register their work here.
 */
@Injectable()
export class ProcessTracker {
  private readonly pending = new Set<Promise<unknown>>();
  private failures: unknown[] = [];

  track<T>(work: Promise<T>): Promise<T> {
    const settled = work.then(
      () => undefined,
      (error: unknown) => {
        this.failures.push(error);
      },
    );
    this.pending.add(settled);
    void settled.finally(() => this.pending.delete(settled));
    return work;
  }

  /** Waits for all tracked work, including work started by work being waited on; returns the failures since the last call. */
  async settle(): Promise<unknown[]> {
    do {
      await new Promise((resolve) => setImmediate(resolve));
      await Promise.all([...this.pending]);
    } while (this.pending.size > 0);
    const failures = this.failures;
    this.failures = [];
    return failures;
  }
}
