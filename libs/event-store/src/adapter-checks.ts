/** Argument and data checks both event-store adapters apply, so they refuse the same inputs. */

export function assertNonNegativeInteger(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`${name} must be a non-negative integer, got ${String(value)}`);
}

/** A JSON.stringify replacer: it would silently turn NaN and Infinity into null, changing the recorded fact. */
export function refuseNonFiniteNumbers(_key: string, value: unknown): unknown {
  if (typeof value === 'number' && !Number.isFinite(value)) throw new TypeError(`non-finite number ${String(value)}`);
  return value;
}
