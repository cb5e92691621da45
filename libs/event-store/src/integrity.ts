import { createHash } from 'node:crypto';
import type { NewEvent } from './event-store.port';

/**
 * Canonical JSON: object keys sorted, no whitespace, undefined members dropped. Two engines,
 * or a verifier years later, serialize the same event to the same bytes.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) throw new TypeError('Non-finite numbers cannot be hashed');
    return JSON.stringify(value) ?? 'null';
  }
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item === undefined ? null : item)).join(',')}]`;
  const entries = Object.keys(value as Record<string, unknown>)
    .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
    .sort()
    .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`);
  return `{${entries.join(',')}}`;
}

export interface HashedFields {
  readonly streamId: string;
  readonly revision: number;
  readonly recordedAt: string;
  readonly previousHash: string | null;
}

/** The chained hash of one event: covers everything stored about it and the hash before it. */
export function computeEventHash(event: NewEvent, fields: HashedFields): string {
  const canonical = canonicalJson({
    streamId: fields.streamId,
    revision: fields.revision,
    eventId: event.eventId,
    type: event.type,
    schemaVersion: event.schemaVersion,
    data: event.data,
    metadata: event.metadata,
    recordedAt: fields.recordedAt,
    previousHash: fields.previousHash,
  });
  return createHash('sha256').update(canonical).digest('hex');
}
