import { createHash } from 'node:crypto';
import { canonicalJson } from '../integrity';

/**
 * The event hash of `computeEventHash` (integrity.ts), byte for byte, built faster for the append path:
 * the canonical forms of data and metadata are made once, before the transaction, from the JSON the
 * store keeps; inside it only the chain fields are added and hashed. integrity.ts stays the definition;
 * sqlite-hashing.spec.ts proves the two agree.
 */

/**
 * canonicalJson for a value that came out of JSON.parse: no undefined, no toJSON, no non-finite numbers,
 * only plain objects, arrays and scalars. Keys are sorted only when they are not already in order.
 */
export function canonicalJsonOfParsed(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) {
    let text = '[';
    for (let index = 0; index < value.length; index++) {
      if (index > 0) text += ',';
      text += canonicalJsonOfParsed(value[index]);
    }
    return `${text}]`;
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  for (let index = 1; index < keys.length; index++) {
    if (keys[index - 1]! > keys[index]!) {
      keys.sort();
      break;
    }
  }
  let text = '{';
  for (let index = 0; index < keys.length; index++) {
    const key = keys[index]!;
    if (index > 0) text += ',';
    text += `${JSON.stringify(key)}:${canonicalJsonOfParsed(record[key])}`;
  }
  return `${text}}`;
}

export interface HashableEvent {
  readonly eventId: unknown;
  readonly type: unknown;
  readonly schemaVersion: unknown;
  /** canonicalJsonOfParsed of the stored data and metadata. */
  readonly canonicalData: string;
  readonly canonicalMetadata: string;
}

/** The members of the hashed object, in the order canonicalJson sorts them; `data` first, always present. */
export const HASHED_MEMBERS = ['data', 'eventId', 'metadata', 'previousHash', 'recordedAt', 'revision', 'schemaVersion', 'streamId', 'type'] as const;

/** computeEventHash(event, { streamId, revision, recordedAt, previousHash }) for an event prepared for storage. */
export function chainedEventHash(event: HashableEvent, streamId: string, revision: number, recordedAt: string, previousHash: string | null): string {
  const canonical =
    `{"data":${event.canonicalData}` +
    member('eventId', event.eventId) +
    `,"metadata":${event.canonicalMetadata}` +
    member('previousHash', previousHash) +
    member('recordedAt', recordedAt) +
    member('revision', revision) +
    member('schemaVersion', event.schemaVersion) +
    member('streamId', streamId) +
    member('type', event.type) +
    '}';
  return createHash('sha256').update(canonical).digest('hex');
}

/** A member after the first, as canonicalJson writes it; an undefined one is left out, as it is there. */
function member(key: string, value: unknown): string {
  return value === undefined ? '' : `,"${key}":${canonicalJson(value)}`;
}
