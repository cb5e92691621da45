import { Inject, Injectable } from '@nestjs/common';
import { comparePositions, lowestPosition } from '@pc/event-store';
import { ALL_PROJECTIONS } from '@pc/projections';
import { READ_STORE, type ReadStore } from '@pc/read-store';

const POLL_MS = 20;

/**
 * How far the read models have got. An in-process projector reports each commit; otherwise
 * (a separate projector process) the checkpoints are polled from the read store.
 */
@Injectable()
export class ProjectionProgress {
  private reported: string | null = null;
  private readonly waiters = new Set<() => void>();

  constructor(@Inject(READ_STORE) private readonly readStore: ReadStore) {}

  report(position: string): void {
    this.reported = position;
    for (const wake of this.waiters) wake();
  }

  /** The position every projection has reached, from the read store. */
  async current(): Promise<string | null> {
    const checkpoints: (string | null)[] = [];
    for (const { name } of ALL_PROJECTIONS) {
      const checkpoint = await this.readStore.getCheckpoint(name);
      if (checkpoint === null) return null;
      checkpoints.push(checkpoint);
    }
    return lowestPosition(checkpoints);
  }

  /** Resolves true once every projection has applied `position`, false if `timeoutMs` passes first. */
  async waitFor(position: string, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (this.reported !== null && comparePositions(this.reported, position) >= 0) return true;
      const current = await this.current();
      if (current !== null && comparePositions(current, position) >= 0) {
        this.reported = current;
        return true;
      }
      const remaining = deadline - Date.now();
      if (remaining <= 0) return false;
      await new Promise<void>((resolve) => {
        const wake = () => {
          clearTimeout(timer);
          this.waiters.delete(wake);
          resolve();
        };
        const timer = setTimeout(wake, Math.min(POLL_MS, remaining));
        this.waiters.add(wake);
      });
    }
  }
}
