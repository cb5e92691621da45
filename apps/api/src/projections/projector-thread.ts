import '../../../../libs/register-paths';
import { parentPort, workerData } from 'node:worker_threads';
import { SqliteEventStore } from '@pc/event-store';
import { ALL_PROJECTIONS, Projector } from '@pc/projections';
import { SharedWriteLock, SqliteReadStore } from '@pc/read-store';

/** What the API's main thread hands the projector thread: the two SQLite files, opened here with connections of its own. */
export interface ProjectorThreadData {
  readonly eventStoreFile: string;
  readonly readStoreFile: string;
  /** The names of the projections this thread runs, among ALL_PROJECTIONS. */
  readonly projections: readonly string[];
  /** The buffer of the SharedWriteLock the projector threads of this process take turns with. */
  readonly writeLock: SharedArrayBuffer;
}

/** Main thread → projector thread. */
export type ToProjectorThread = { readonly type: 'appended' } | { readonly type: 'stop' };
/** Projector thread → main thread: each committed batch's position, then how the run ended. */
export type FromProjectorThread = { readonly type: 'progress'; readonly position: string } | { readonly type: 'failed'; readonly message: string };

/**
 * A share of the projections of the embedded default, on a thread of their own (ProjectionsRuntime starts one per
 * share while the API holds the projector lease): the same Projector over the same files, so batches and checkpoints
 * commit exactly as in the main thread, but a batch no longer blocks the event loop that answers requests. Stops
 * after the batch in hand when told to; an error is reported and ends the thread, and the runtime starts the threads
 * again from their checkpoints.
 */
async function runProjectorThread(port: NonNullable<typeof parentPort>, data: ProjectorThreadData): Promise<void> {
  const eventStore = SqliteEventStore.open({ file: data.eventStoreFile });
  const readStore = SqliteReadStore.open({ file: data.readStoreFile, writeLock: new SharedWriteLock(data.writeLock) });
  const stop = new AbortController();
  port.on('message', (message: ToProjectorThread) => {
    if (message.type === 'appended') eventStore.wakeSubscriptions();
    else stop.abort();
  });
  try {
    const projections = ALL_PROJECTIONS.filter(({ name }) => data.projections.includes(name));
    if (projections.length !== data.projections.length) throw new Error(`Unknown projections among ${data.projections.join(', ')}`);
    const projector = new Projector(eventStore, readStore, projections, {
      onProgress: (position) => port.postMessage({ type: 'progress', position } satisfies FromProjectorThread),
    });
    await projector.prepare();
    await projector.run(stop.signal);
  } catch (error) {
    port.postMessage({ type: 'failed', message: error instanceof Error ? error.message : String(error) } satisfies FromProjectorThread);
  } finally {
    await readStore.close();
    await eventStore.close();
    // The port keeps the thread alive even without listeners; closing it (after what was posted) lets it end.
    port.close();
  }
}

if (parentPort) void runProjectorThread(parentPort, workerData as ProjectorThreadData);
