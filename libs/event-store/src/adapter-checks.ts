/** Argument and data checks both event-store adapters apply, so they refuse the same inputs. */

import { MAX_EVENT_PLACES, type EventPlace } from './event-store.port';

export function assertEventPlaces(places: readonly EventPlace[]): void {
  if (places.length > MAX_EVENT_PLACES) throw new RangeError(`readEvents takes at most ${MAX_EVENT_PLACES} places, got ${places.length}`);
  for (const place of places) {
    if (typeof place?.streamId !== 'string') throw new TypeError('Each place needs a string streamId');
    assertNonNegativeInteger('revision', place.revision);
  }
}

export function assertNonNegativeInteger(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`${name} must be a non-negative integer, got ${String(value)}`);
}

/** A JSON.stringify replacer: it would silently turn NaN and Infinity into null, changing the recorded fact. */
export function refuseNonFiniteNumbers(_key: string, value: unknown): unknown {
  if (typeof value === 'number' && !Number.isFinite(value)) throw new TypeError(`non-finite number ${String(value)}`);
  return value;
}
