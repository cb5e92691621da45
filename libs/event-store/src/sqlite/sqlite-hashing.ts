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

/** Past this depth the fast path hands over to the exact one, which also reports cycles as JSON.stringify does. */
const MAX_FAST_DEPTH = 64;
const NOT_PLAIN = Symbol('not plain');

/**
 * JSON.stringify(value) and the canonical JSON of what JSON.parse would give back, in one walk over the
 * value, reading each property once. Only for plain data (plain objects, arrays, strings, finite numbers,
 * booleans, null, and what JSON leaves out or turns into null: undefined, functions, symbols; toJSON is
 * honoured); anything else, a non-finite number included, returns null, and the caller takes the exact
 * path (stringify, refuse what JSON cannot hold, parse, canonicalize).
 */
export function plainJsonAndCanonical(value: unknown): { readonly json: string; readonly canonical: string } | null {
  const out = { json: '', canonical: '' };
  const written = writePlain(value, '', 0, out);
  if (written === NOT_PLAIN) return null;
  // JSON.stringify(undefined) is undefined: the store keeps 'null' for it.
  return written ? out : { json: 'null', canonical: 'null' };
}

/** Appends the value to both texts; false when JSON would leave it out; NOT_PLAIN when the fast path cannot vouch for it. */
function writePlain(value: unknown, key: string, depth: number, out: { json: string; canonical: string }): boolean | typeof NOT_PLAIN {
  if (value !== null && typeof value === 'object' && typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    value = (value as { toJSON(key: string): unknown }).toJSON(key);
  }
  switch (typeof value) {
    case 'string': {
      const text = JSON.stringify(value);
      out.json += text;
      out.canonical += text;
      return true;
    }
    case 'number': {
      if (!Number.isFinite(value)) return NOT_PLAIN;
      const text = JSON.stringify(value);
      out.json += text;
      out.canonical += text;
      return true;
    }
    case 'boolean':
      out.json += value ? 'true' : 'false';
      out.canonical += value ? 'true' : 'false';
      return true;
    case 'undefined':
    case 'function':
    case 'symbol':
      return false;
    case 'object':
      break;
    default:
      return NOT_PLAIN;
  }
  if (value === null) {
    out.json += 'null';
    out.canonical += 'null';
    return true;
  }
  if (depth >= MAX_FAST_DEPTH) return NOT_PLAIN;
  if (Array.isArray(value)) {
    out.json += '[';
    out.canonical += '[';
    for (let index = 0; index < value.length; index++) {
      if (index > 0) {
        out.json += ',';
        out.canonical += ',';
      }
      const written = writePlain(value[index], String(index), depth + 1, out);
      if (written === NOT_PLAIN) return NOT_PLAIN;
      if (!written) {
        out.json += 'null';
        out.canonical += 'null';
      }
    }
    out.json += ']';
    out.canonical += ']';
    return true;
  }
  const prototype = Object.getPrototypeOf(value) as unknown;
  if (prototype !== Object.prototype && prototype !== null) return NOT_PLAIN;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  let sorted = true;
  for (let index = 1; index < keys.length; index++) {
    if (keys[index - 1]! > keys[index]!) {
      sorted = false;
      break;
    }
  }
  if (sorted) {
    // The usual case: both texts list the members in the same order.
    out.json += '{';
    out.canonical += '{';
    let first = true;
    for (const name of keys) {
      const json = out.json;
      const canonical = out.canonical;
      const label = `${first ? '' : ','}${JSON.stringify(name)}:`;
      out.json += label;
      out.canonical += label;
      const written = writePlain(record[name], name, depth + 1, out);
      if (written === NOT_PLAIN) return NOT_PLAIN;
      if (written) first = false;
      else {
        out.json = json;
        out.canonical = canonical;
      }
    }
    out.json += '}';
    out.canonical += '}';
    return true;
  }
  const members = new Map<string, string>();
  out.json += '{';
  let first = true;
  for (const name of keys) {
    const member = { json: '', canonical: '' };
    const written = writePlain(record[name], name, depth + 1, member);
    if (written === NOT_PLAIN) return NOT_PLAIN;
    if (!written) continue;
    const label = JSON.stringify(name);
    out.json += `${first ? '' : ','}${label}:${member.json}`;
    members.set(name, `${label}:${member.canonical}`);
    first = false;
  }
  out.json += '}';
  out.canonical += `{${[...members.keys()].sort().map((name) => members.get(name)!).join(',')}}`;
  return true;
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
