import { Inject, Injectable, Logger } from '@nestjs/common';
import { EventBus } from '@nestjs/cqrs';
import { isDomainError } from '@pc/domain';
import { EVENT_STORE, type EventStore, type RecordedEvent } from '@pc/event-store';
import { batched } from '@pc/projections';
import { READ_STORE, type ReadStore } from '@pc/read-store';
import { ProcessTracker } from './process-tracker';
import { StoredEvent } from './stored-event';

export const PROCESSES_CHECKPOINT = 'processes';
const MAX_BACKOFF_MS = 5000;
/**
 * Under a steady stream of events the checkpoint is written at most this often, not after every small batch (a
 * read-store commit per batch was ~3.5 % of the API's CPU under write load): a crash replays at most this much,
 * which the processes' idempotency makes harmless. It is written at once when the run ends.
 */
const CHECKPOINT_INTERVAL_MS = 250;

/**
 * Feeds the EventBus (and so the sagas) from the event store's subscription, never from a
 * command's own hands. The checkpoint moves only after every command a batch caused has
 * finished; a failed batch is offered again, which the processes' idempotency makes harmless.
 */
@Injectable()
export class ProcessRunner {
  private readonly logger = new Logger('Processes');

  constructor(
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    @Inject(READ_STORE) private readonly readStore: ReadStore,
    private readonly eventBus: EventBus,
    private readonly tracker: ProcessTracker,
  ) {}

  async run(signal: AbortSignal): Promise<void> {
    const after = await this.readStore.getCheckpoint(PROCESSES_CHECKPOINT);
    let unsaved: string | null = null;
    let savedAt = 0;
    try {
      for await (const batch of batched(this.eventStore.subscribeAll({ after, signal }), 200)) {
        if (!(await this.process(batch, signal))) return;
        unsaved = batch[batch.length - 1]!.position;
        if (Date.now() - savedAt >= CHECKPOINT_INTERVAL_MS) {
          await this.saveCheckpoint(unsaved);
          unsaved = null;
          savedAt = Date.now();
        }
        if (signal.aborted) return;
      }
    } finally {
      if (unsaved !== null) await this.saveCheckpoint(unsaved);
    }
  }

  /** Publishes the batch and waits for every command it caused; false if the signal aborted before they all succeeded. */
  async process(batch: readonly RecordedEvent[], signal?: AbortSignal): Promise<boolean> {
    for (let attempt = 1; ; attempt++) {
      for (const event of batch) this.eventBus.publish(new StoredEvent(event));
      const failures = await this.tracker.settle();
      // A refusal by the domain will not change on a retry: it is logged and passed over, so one bad event cannot stop every process.
      const refusals = failures.filter(isDomainError);
      for (const refusal of refusals) this.logger.error(`A process command was refused and is passed over: ${refusal.code}: ${refusal.message}`);
      if (failures.length === refusals.length) break;
      this.logger.warn(`${failures.length - refusals.length} process command(s) failed (attempt ${attempt}); offering the batch again: ${String(failures[0])}`);
      if (signal?.aborted) return false;
      await new Promise((resolve) => setTimeout(resolve, Math.min(MAX_BACKOFF_MS, 50 * 2 ** attempt)));
    }
    return true;
  }

  private async saveCheckpoint(position: string): Promise<void> {
    await this.readStore.commit({ changes: [], checkpoints: { [PROCESSES_CHECKPOINT]: position }, position });
  }
}
