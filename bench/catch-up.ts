import { comparePositions, SqliteEventStore } from '@pc/event-store';
import { ALL_PROJECTIONS, Projector } from '@pc/projections';
import { SqliteReadStore } from '@pc/read-store';
import { nowMs } from './support/stats';

export interface CatchUpResult {
  readonly events: number;
  readonly seconds: number;
  readonly eventsPerSec: number;
}

/**
 * d. Every projection from zero over the whole log, as the embedded default runs them: the event store's
 * subscription, batches committed with their checkpoints. Ends when every projection has reached the head.
 */
export async function benchCatchUp(eventStoreFile: string, readStoreFile: string, events: number): Promise<CatchUpResult> {
  const eventStore = SqliteEventStore.open({ file: eventStoreFile });
  const readStore = SqliteReadStore.open({ file: readStoreFile });
  try {
    const head = await eventStore.headPosition();
    if (head === null) throw new Error('catch-up: the event store is empty');
    const controller = new AbortController();
    const projector = new Projector(eventStore, readStore, ALL_PROJECTIONS, {
      onProgress: (position) => {
        if (comparePositions(position, head) >= 0) controller.abort();
      },
    });
    await projector.prepare();
    if (projector.position !== null) throw new Error('catch-up: the read store is not empty');
    const started = nowMs();
    await projector.run(controller.signal);
    const seconds = (nowMs() - started) / 1000;
    if (projector.position !== head) throw new Error(`catch-up stopped at ${String(projector.position)}, not at the head ${head}`);
    return { events, seconds, eventsPerSec: events / seconds };
  } finally {
    await readStore.close();
    await eventStore.close();
  }
}
