import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { EVENT_STORE, type EventStore } from '@pc/event-store';
import { ALL_PROJECTIONS, Projector } from '@pc/projections';
import { READ_STORE, type ReadStore } from '@pc/read-store';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { ProcessRunner } from '../processes/process-runner';
import { ProjectionProgress } from './projection-progress';

export const PROJECTOR_LEASE = 'projector';
const RESTART_DELAY_MS = 1000;

/**
 * Runs the projections and the processes, each from its own checkpoint, while this process holds
 * the projector lease: of several replicas only one writes, and another takes over within a lease
 * period when it dies. A failure (a store gone away) is logged and the work resumes from the checkpoint.
 */
@Injectable()
export class ProjectionsRuntime implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Projector');
  private readonly holder = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private readonly stopping = new AbortController();
  private supervisor: Promise<void> | null = null;

  constructor(
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    @Inject(READ_STORE) private readonly readStore: ReadStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly progress: ProjectionProgress,
    private readonly processes: ProcessRunner,
  ) {}

  onApplicationBootstrap(): void {
    this.supervisor = this.superviseLease();
  }

  /** Before the stores close: the current batch finishes and the lease is handed back for a standby to take at once. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopping.abort();
    await this.supervisor;
    await this.readStore.releaseLease(PROJECTOR_LEASE, this.holder).catch(() => undefined);
  }

  private async superviseLease(): Promise<void> {
    const { leaseTtlMs } = this.config;
    const renewEvery = Math.max(50, Math.floor(leaseTtlMs / 4));
    let active: { abort: AbortController; work: Promise<void> } | null = null;
    let announcedStandby = false;
    while (!this.stopping.signal.aborted) {
      const held = await this.readStore.acquireLease(PROJECTOR_LEASE, this.holder, leaseTtlMs).catch((error: unknown) => {
        this.logger.error(`Cannot reach the read store for the projector lease: ${error instanceof Error ? error.message : String(error)}`);
        return false;
      });
      if (held && !active) {
        this.logger.log(`Holding the projector lease as ${this.holder}: projections and processes run here`);
        announcedStandby = false;
        const abort = new AbortController();
        active = { abort, work: this.runWhileHeld(abort.signal) };
      } else if (!held && active) {
        this.logger.warn('Lost the projector lease: stopping projections and processes here');
        active.abort.abort();
        await active.work;
        active = null;
      } else if (!held && !announcedStandby) {
        this.logger.log('Another replica holds the projector lease: standing by');
        announcedStandby = true;
      }
      await sleep(renewEvery, this.stopping.signal);
    }
    active?.abort.abort();
    await active?.work;
  }

  private async runWhileHeld(signal: AbortSignal): Promise<void> {
    const projector = new Projector(this.eventStore, this.readStore, ALL_PROJECTIONS, { onProgress: (position) => this.progress.report(position) });
    await Promise.all([
      this.keepRunning('projections', signal, async () => {
        await projector.prepare();
        await projector.run(signal);
      }),
      this.keepRunning('processes', signal, () => this.processes.run(signal)),
    ]);
  }

  private async keepRunning(name: string, signal: AbortSignal, loop: () => Promise<void>): Promise<void> {
    while (!signal.aborted) {
      try {
        await loop();
      } catch (error) {
        if (signal.aborted) return;
        this.logger.error(`${name} stopped: ${error instanceof Error ? error.message : String(error)}; resuming from the checkpoint in ${RESTART_DELAY_MS} ms`);
        await sleep(RESTART_DELAY_MS, signal);
      }
    }
  }
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done);
  });
