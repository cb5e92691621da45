import { hash } from 'node:crypto';
import { closeSync, fdatasyncSync, openSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { nowMs, percentile } from './stats';

/**
 * What the host itself costs, measured at the head of a run: figures of runs on different days' hosts (a shared VM's
 * disk and CPU both change) can then be read side by side. Not a goal of anything; nothing is asserted on it.
 */
export interface HostCalibration {
  /** One 4 KiB write followed by fdatasync, in the scratch directory, as a commit's WAL append and sync is. */
  readonly fdatasyncP50Ms: number;
  readonly fdatasyncP90Ms: number;
  /** JSON.stringify, then SHA-256 of the text, then JSON.parse of it, for the event `a` appends: the CPU an append's own work needs. */
  readonly cpuReferenceMicros: number;
  readonly eventBytes: number;
}

const FSYNC_WRITES = 200;
const CPU_ROUNDS = 5;
const CPU_ITERATIONS_PER_ROUND = 4_000;

export function calibrateHost(dir: string, event: unknown): HostCalibration {
  const { p50, p90 } = measureFdatasync(dir);
  const text = JSON.stringify(event);
  return { fdatasyncP50Ms: p50, fdatasyncP90Ms: p90, cpuReferenceMicros: measureCpuReference(event), eventBytes: Buffer.byteLength(text) };
}

function measureFdatasync(dir: string): { readonly p50: number; readonly p90: number } {
  const file = join(dir, 'fdatasync-probe');
  const block = Buffer.alloc(4096, 0x61);
  const fd = openSync(file, 'w');
  const sample: number[] = [];
  try {
    for (let write = 0; write < FSYNC_WRITES; write++) {
      writeSync(fd, block, 0, block.length, 0);
      const started = nowMs();
      fdatasyncSync(fd);
      sample.push(nowMs() - started);
    }
  } finally {
    closeSync(fd);
    rmSync(file, { force: true });
  }
  return { p50: percentile(sample, 50), p90: percentile(sample, 90) };
}

/** The median round's µs per event, after a round to warm up: a round that a neighbour's burst slowed is not the figure. */
function measureCpuReference(event: unknown): number {
  const perEvent: number[] = [];
  let sink = 0;
  for (let round = 0; round <= CPU_ROUNDS; round++) {
    const started = nowMs();
    for (let iteration = 0; iteration < CPU_ITERATIONS_PER_ROUND; iteration++) {
      const text = JSON.stringify(event);
      sink += hash('sha256', text, 'hex').length + (JSON.parse(text) === null ? 1 : 0);
    }
    if (round > 0) perEvent.push(((nowMs() - started) * 1000) / CPU_ITERATIONS_PER_ROUND);
  }
  if (sink === 0) throw new Error('unreachable: every round hashes');
  return percentile(perEvent, 50);
}
