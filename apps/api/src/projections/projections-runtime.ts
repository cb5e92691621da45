import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { EVENT_STORE, type EventStore } from '@pc/event-store';
import { ALL_PROJECTIONS, Projector } from '@pc/projections';
import { READ_STORE, type ReadStore } from '@pc/read-store';
import { ProcessRunner } from '../processes/process-runner';
import { ProjectionProgress } from './projection-progress';

const RESTART_DELAY_MS = 1000;

/**
 * Runs the projections and the processes in this process, each from its own checkpoint, until
 * shutdown. A failure (a store gone away) is logged and the loop resumes from the checkpoint.
 */
@Injectable()
export class ProjectionsRuntime implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Projector');
  private readonly abort = new AbortController();
  private readonly loops: Promise<void>[] = [];

  constructor(
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    @Inject(READ_STORE) private readonly readStore: ReadStore,
    private readonly progress: ProjectionProgress,
    private readonly processes: ProcessRunner,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const projector = new Projector(this.eventStore, this.readStore, ALL_PROJECTIONS, { onProgress: (position) => this.progress.report(position) });
    await projector.prepare();
    this.loops.push(this.keepRunning('projections', async (signal) => {
      await projector.prepare();
      await projector.run(signal);
    }));
    this.loops.push(this.keepRunning('processes', (signal) => this.processes.run(signal)));
  }

  async onApplicationShutdown(): Promise<void> {
    this.abort.abort();
    await Promise.allSettled(this.loops);
  }

  private async keepRunning(name: string, loop: (signal: AbortSignal) => Promise<void>): Promise<void> {
    const { signal } = this.abort;
    while (!signal.aborted) {
      try {
        await loop(signal);
      } catch (error) {
        if (signal.aborted) return;
        this.logger.error(`${name} stopped: ${error instanceof Error ? error.message : String(error)}; resuming from the checkpoint in ${RESTART_DELAY_MS} ms`);
        await new Promise((resolve) => setTimeout(resolve, RESTART_DELAY_MS));
      }
    }
  }
}
