import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { EVENT_STORE, SqliteEventStore, lowestPosition, type EventStore } from '@pc/event-store';
import { ALL_PROJECTIONS, Projector } from '@pc/projections';
import { READ_STORE, SharedWriteLock, type ReadStore } from '@pc/read-store';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { ProcessRunner } from '../processes/process-runner';
import { ProjectionProgress } from './projection-progress';
import type { FromProjectorThread, ProjectorThreadData, ToProjectorThread } from './projector-thread';
import { PROJECTOR_THREAD_LIMITS, projectorThreadGroups } from './projector-thread-groups';

export const PROJECTOR_LEASE = 'projector';
const RESTART_DELAY_MS = 1000;
/** The compiled projector thread; absent when the API runs from its TypeScript sources (tests). */
const PROJECTOR_THREAD_SCRIPT = join(__dirname, 'projector-thread.js');

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
    if (this.wantsProjectorThread() && !existsSync(PROJECTOR_THREAD_SCRIPT)) {
      this.logger.warn(`PROJECTOR_THREAD=on needs the compiled build (${PROJECTOR_THREAD_SCRIPT} is missing): projections run on the main thread`);
    }
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
    await Promise.all([
      this.keepRunning('projections', signal, () => this.runProjections(signal)),
      this.keepRunning('processes', signal, () => this.processes.run(signal)),
    ]);
  }

  private async runProjections(signal: AbortSignal): Promise<void> {
    const files = this.projectorThreadFiles();
    if (files) return this.runProjectionsOnThreads(files, signal);
    const projector = new Projector(this.eventStore, this.readStore, ALL_PROJECTIONS, { onProgress: (position) => this.progress.report(position) });
    await projector.prepare();
    await projector.run(signal);
  }

  private wantsProjectorThread(): boolean {
    const { eventStore, readStore, projectorThread } = this.config;
    return projectorThread && eventStore.kind === 'sqlite' && readStore.kind === 'sqlite';
  }

  /** The files the projector threads open, when threads are wanted and built; otherwise null. */
  private projectorThreadFiles(): Pick<ProjectorThreadData, 'eventStoreFile' | 'readStoreFile'> | null {
    const { eventStore, readStore } = this.config;
    if (!this.wantsProjectorThread() || eventStore.kind !== 'sqlite' || readStore.kind !== 'sqlite' || !existsSync(PROJECTOR_THREAD_SCRIPT)) return null;
    return { eventStoreFile: eventStore.file, readStoreFile: readStore.file };
  }

  /**
   * Runs the projections on PROJECTOR_THREADS threads, each with its share of them, until the signal aborts or one
   * thread ends: then the others are stopped too, and a failure is thrown for keepRunning to start them all again
   * from their checkpoints. The reported position is the lowest any thread has committed.
   */
  private async runProjectionsOnThreads(files: Pick<ProjectorThreadData, 'eventStoreFile' | 'readStoreFile'>, signal: AbortSignal): Promise<void> {
    const writeLock = new SharedWriteLock();
    const groups = projectorThreadGroups(this.config.projectorThreads);
    const positions: (string | null)[] = groups.map(() => null);
    const stopAll = new AbortController();
    const stop = () => stopAll.abort();
    signal.addEventListener('abort', stop, { once: true });
    const threads = groups.map((projections, index) =>
      this.runProjectorThread({ ...files, projections, writeLock: writeLock.buffer }, writeLock, stopAll.signal, (position) => {
        positions[index] = position;
        const lowest = lowestPosition(positions);
        if (lowest !== null) this.progress.report(lowest);
      }).finally(stop),
    );
    const outcomes = await Promise.allSettled(threads);
    signal.removeEventListener('abort', stop);
    const failed = outcomes.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
    if (failed) throw failed.reason;
    if (!signal.aborted) throw new Error('a projector thread stopped unasked');
  }

  /**
   * One projector thread, until the signal aborts (it finishes its batch and closes its connections) or it fails.
   * Each append committed here wakes it at once; appends by other processes reach it by polling, as they reach any
   * subscription. A thread that ends holding `writeLock` (out of memory in a commit) has it freed here, so the other
   * thread does not wait out the lock's timeout.
   */
  private runProjectorThread(data: ProjectorThreadData, writeLock: SharedWriteLock, signal: AbortSignal, onProgress: (position: string) => void): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const worker = new Worker(PROJECTOR_THREAD_SCRIPT, { workerData: data, resourceLimits: PROJECTOR_THREAD_LIMITS });
      // Read now: once the thread has exited, worker.threadId is -1.
      const { threadId } = worker;
      const send = (message: ToProjectorThread) => worker.postMessage(message);
      const stop = () => send({ type: 'stop' });
      const stopWaking = this.eventStore instanceof SqliteEventStore ? this.eventStore.onAppended(() => send({ type: 'appended' })) : () => undefined;
      let failure: Error | null = null;
      if (signal.aborted) stop();
      else signal.addEventListener('abort', stop, { once: true });
      worker.on('message', (message: FromProjectorThread) => {
        if (message.type === 'progress') onProgress(message.position);
        else failure = new Error(message.message);
      });
      worker.on('error', (error) => (failure = error));
      worker.on('exit', (code) => {
        stopWaking();
        if (writeLock.releaseHeldBy(threadId)) this.logger.warn(`A projector thread ended holding the read store's write lock (exit code ${code}); freed it`);
        signal.removeEventListener('abort', stop);
        if (failure) reject(failure);
        else if (code !== 0) reject(new Error(`the projector thread exited with code ${code}`));
        else if (!signal.aborted) reject(new Error('the projector thread stopped unasked'));
        else resolve();
      });
    });
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
