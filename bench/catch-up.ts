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
  await Promise.all(projectorThreadGroups(threads).map((projections) => runUntil(head, { eventStoreFile, readStoreFile, projections, writeLock })));
  const seconds = (nowMs() - started) / 1000;
  return { events, seconds, eventsPerSec: events / seconds };
}

/** One projector thread, stopped once its projections have reached `head`. */
function runUntil(head: string, data: ProjectorThreadData): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const worker = new Worker(PROJECTOR_THREAD, { workerData: data, resourceLimits: PROJECTOR_THREAD_LIMITS });
    let failure: Error | null = null;
    let reached = false;
    worker.on('message', (message: FromProjectorThread) => {
      if (message.type === 'failed') failure = new Error(`catch-up: ${message.message}`);
      else if (!reached && comparePositions(message.position, head) >= 0) {
        reached = true;
        worker.postMessage({ type: 'stop' } satisfies ToProjectorThread);
      }
    });
    worker.on('error', (error) => (failure = error));
    worker.on('exit', () => (failure ? reject(failure) : reached ? resolve() : reject(new Error('catch-up: the projector thread stopped before the head'))));
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
