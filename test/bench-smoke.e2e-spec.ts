import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * Keeps `npm run bench` from rotting: the compiled bench runs end to end at a tiny BENCH_SCALE and must
 * print its JSON summary as the last line. No timing is asserted: CI machines differ and are shared.
 */
const ROOT = resolve(__dirname, '..');
const BENCH = join(ROOT, 'dist/bench/run.js');
const KEYS = [
  'appendsPerSec',
  'floorAppendsPerSec',
  'peerAppendsPerSec',
  'groupCommitEventsPerSec',
  'httpWritesPerSec',
  'httpWriteP99Ms',
  'httpReadsPerSec',
  'catchUpEventsPerSec',
  'auditP99Ms',
  'asOfMs',
  'peakRssMb',
];

function runBench(env: Record<string, string>) {
  return spawnSync(process.execPath, [BENCH], { cwd: ROOT, env: { ...process.env, ...env }, encoding: 'utf8', timeout: 100_000 });
}

describe('bench (smoke, BENCH_SCALE=0.001)', () => {
  let dataDir: string;

  beforeAll(() => {
    // The bench is compiled with the apps (tsconfig.build.json); build if this checkout has not been yet.
    if (!existsSync(BENCH) || !existsSync(join(ROOT, 'dist/apps/api/src/main.js'))) {
      const build = spawnSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: ROOT, encoding: 'utf8', timeout: 100_000 });
      if (build.status !== 0) throw new Error(`build failed:\n${build.stdout}\n${build.stderr}`);
    }
  }, 120_000);

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'pc-bench-smoke-'));
  });

  afterEach(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('measures the host, runs every phase and ends with one JSON line of finite numbers, leaving DATA_DIR as it found it', () => {
    const run = runBench({ BENCH_SCALE: '0.001', DATA_DIR: dataDir });

    expect({ status: run.status, stderr: run.stderr.slice(-2000) }).toEqual({ status: 0, stderr: expect.any(String) });
    const lines = run.stdout.trim().split('\n');
    // The host's own costs head the report, so that runs on different hosts can be compared.
    expect(lines[1]).toMatch(/^host: a 4 KiB write plus fdatasync \d+\.\d{3} ms at the median, \d+\.\d{3} ms at p90; CPU reference \d+\.\d µs/);
    // d says when each projector thread reached the head: the last one sets the pace.
    expect(run.stdout).toMatch(/each thread at the head after: \d+\.\d s \(audit-index\); \d+\.\d s \(product-details, /);
    const summary = JSON.parse(lines[lines.length - 1]!) as Record<string, unknown>;
    expect(Object.keys(summary).sort()).toEqual([...KEYS].sort());
    for (const key of KEYS) expect({ key, finite: Number.isFinite(summary[key]) }).toEqual({ key, finite: true });
    expect(readdirSync(dataDir)).toEqual([]);
  }, 110_000);

  it('refuses a DATA_DIR that holds data and leaves it untouched', () => {
    writeFileSync(join(dataDir, 'events.sqlite'), 'not to be touched');

    const run = runBench({ BENCH_SCALE: '0.001', DATA_DIR: dataDir });

    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/will not run beside real data/);
    expect(readdirSync(dataDir)).toEqual(['events.sqlite']);
  });
});
