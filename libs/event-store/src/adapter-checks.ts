/** Argument and data checks both event-store adapters apply, so they refuse the same inputs. */

import { MAX_POSITIONS_PER_READ } from './event-store.port';

export function assertPositionCount(positions: readonly string[]): void {
  if (positions.length > MAX_POSITIONS_PER_READ) throw new RangeError(`readEventsAt takes at most ${MAX_POSITIONS_PER_READ} positions, got ${positions.length}`);
}

export function assertNonNegativeInteger(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`${name} must be a non-negative integer, got ${String(value)}`);
}

/** A JSON.stringify replacer: it would silently turn NaN and Infinity into null, changing the recorded fact. */
export function refuseNonFiniteNumbers(_key: string, value: unknown): unknown {
  if (typeof value === 'number' && !Number.isFinite(value)) throw new TypeError(`non-finite number ${String(value)}`);
  return value;
}

/** A stream prefix of readAll: a non-empty string, or none. */
export function assertStreamPrefix(prefix: string | undefined): void {
  if (prefix !== undefined && (typeof prefix !== 'string' || prefix.length === 0)) {
    throw new RangeError(`streamPrefix must be a non-empty string, got ${JSON.stringify(prefix)}`);
  }
}
