/** Small measuring helpers: a monotonic clock, percentiles, and fixed-width formatting for the report. */

export function nowMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

/** Nearest-rank percentile of a sample, in the sample's unit; NaN for an empty sample. */
export function percentile(sample: readonly number[], p: number): number {
  if (sample.length === 0) return Number.NaN;
  const sorted = [...sample].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

export function round(value: number, digits = 0): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

export function formatRate(perSecond: number): string {
  return `${Math.round(perSecond).toLocaleString('en-US')}/s`;
}

export function formatRatio(ratio: number): string {
  return ratio >= 10 ? `${ratio.toFixed(1)}×` : `${ratio.toFixed(2)}×`;
}

export function formatMs(ms: number): string {
  return ms >= 100 ? `${ms.toFixed(0)} ms` : `${ms.toFixed(2)} ms`;
}

/** Prints one line of the human part of the report (the last line printed is reserved for the JSON). */
export function report(line = ''): void {
  process.stdout.write(`${line}\n`);
}

/** A count scaled by BENCH_SCALE, never below `min` so that every phase still does real work at a tiny scale. */
export function scaled(count: number, scale: number, min: number): number {
  return Math.max(min, Math.round(count * scale));
}
