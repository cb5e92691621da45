import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { comparePositions, SqliteEventStore } from '@pc/event-store';
import { ALL_PROJECTIONS } from '@pc/projections';
import { SharedWriteLock, SqliteReadStore } from '@pc/read-store';
import type { FromProjectorThread, ProjectorThreadData, ToProjectorThread } from '../apps/api/src/projections/projector-thread';
import { PROJECTOR_THREAD_LIMITS, projectorThreadGroups } from '../apps/api/src/projections/projector-thread-groups';
import { nowMs } from './support/stats';

export interface CatchUpResult {
  readonly events: number;
  readonly seconds: number;
  readonly eventsPerSec: number;
  /** When each projector thread's projections reached the head: the last one sets the pace. */
  readonly threads: readonly { readonly projections: readonly string[]; readonly seconds: number }[];
}

/** The API's own projector thread, compiled beside this file's compiled form. */
const PROJECTOR_THREAD = join(__dirname, '../apps/api/src/projections/projector-thread.js');

/**
 * d. Every projection from zero over the whole log, as the embedded default runs them: on the API's projector
 * threads (each reads the log by pages and commits its share of the projections with their checkpoints, taking
 * turns with the other through the shared write lock), here with nothing else running. Ends when every projection
 * has reached the head. Their heaps are their own, with the server's limits, so the audit queries measured next in
 * this process do not pay for the catch-up's garbage.
 */
export async function benchCatchUp(eventStoreFile: string, readStoreFile: string, events: number, threads: 1 | 2 = 2): Promise<CatchUpResult> {
  const head = await headOf(eventStoreFile);
  await assertEmpty(readStoreFile);
  const writeLock = new SharedWriteLock().buffer;
  const started = nowMs();
  const reachedAt = await Promise.all(
    projectorThreadGroups(threads).map(async (projections) => {
      const reachedMs = await runUntil(head, { eventStoreFile, readStoreFile, projections, writeLock });
      return { projections, seconds: (reachedMs - started) / 1000 };
    }),
  );
  const seconds = (nowMs() - started) / 1000;
  return { events, seconds, eventsPerSec: events / seconds, threads: reachedAt };
}

/**
 * One projector thread, stopped once its projections have reached `head`. Resolves, once the thread has ended, with
 * the time (nowMs) its report of reaching the head arrived.
 */
function runUntil(head: string, data: ProjectorThreadData): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    const worker = new Worker(PROJECTOR_THREAD, { workerData: data, resourceLimits: PROJECTOR_THREAD_LIMITS });
    let failure: Error | null = null;
    let reachedMs: number | null = null;
    worker.on('message', (message: FromProjectorThread) => {
      if (message.type === 'failed') failure = new Error(`catch-up: ${message.message}`);
      else if (reachedMs === null && comparePositions(message.position, head) >= 0) {
        reachedMs = nowMs();
        worker.postMessage({ type: 'stop' } satisfies ToProjectorThread);
      }
    });
    worker.on('error', (error) => (failure = error));
    worker.on('exit', () => {
      if (failure) reject(failure);
      else if (reachedMs === null) reject(new Error('catch-up: the projector thread stopped before the head'));
      else resolve(reachedMs);
    });
  });
}

async function headOf(eventStoreFile: string): Promise<string> {
  const eventStore = SqliteEventStore.open({ file: eventStoreFile });
  try {
    const head = await eventStore.headPosition();
    if (head === null) throw new Error('catch-up: the event store is empty');
    return head;
  } finally {
    await eventStore.close();
  }
}

async function assertEmpty(readStoreFile: string): Promise<void> {
  const readStore = SqliteReadStore.open({ file: readStoreFile });
  try {
    for (const { name } of ALL_PROJECTIONS) {
      if ((await readStore.getCheckpoint(name)) !== null) throw new Error(`catch-up: the read store already holds projection ${name}`);
    }
  } finally {
    await readStore.close();
  }
}
