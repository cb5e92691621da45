import { hash } from 'node:crypto';
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
/** Keys an object enumerates before all others, in numeric order, whatever order they were added in. */
const ARRAY_INDEX_KEY = /^(?:0|[1-9][0-9]*)$/;

/**
 * The canonical JSON of plain data (what canonicalJson gives for what JSON.parse(JSON.stringify(value)) returns),
 * built by the engine's own JSON.stringify: objects whose keys are out of order are copied with their keys sorted,
 * everything else is passed through as it is. Plain data is plain objects, arrays, strings, finite numbers, booleans,
 * null, and what JSON leaves out or turns into null (undefined, functions, symbols). Anything else (a toJSON, a
 * class instance, a Map, a BigInt, a non-finite number, a cycle, a `__proto__` key, a key that is an array index in
 * an object whose keys need sorting) returns null, and the caller takes the exact path.
 */
export function canonicalJsonOfPlain(value: unknown): string | null {
  const canonical = canonicalCopy(value, 0);
  if (canonical === NOT_PLAIN) return null;
  // JSON.stringify(undefined) is undefined: the store keeps 'null' for it.
  return JSON.stringify(canonical) ?? 'null';
}

/** The value itself when JSON.stringify already writes it canonically, a copy with sorted keys where not, or NOT_PLAIN. */
function canonicalCopy(value: unknown, depth: number): unknown {
  switch (typeof value) {
    case 'string':
    case 'boolean':
    case 'undefined':
    case 'function':
    case 'symbol':
      return value;
    case 'number':
      return Number.isFinite(value) ? value : NOT_PLAIN;
    case 'object':
      break;
    default:
      return NOT_PLAIN;
  }
  if (value === null) return null;
  if (depth >= MAX_FAST_DEPTH || typeof (value as { toJSON?: unknown }).toJSON === 'function') return NOT_PLAIN;
  if (Array.isArray(value)) {
    let copy: unknown[] | null = null;
    for (let index = 0; index < value.length; index++) {
      const item: unknown = value[index];
      const canonical = canonicalCopy(item, depth + 1);
      if (canonical === NOT_PLAIN) return NOT_PLAIN;
      if (canonical !== item) (copy ??= value.slice())[index] = canonical;
    }
    return copy ?? value;
  }
  const prototype = Object.getPrototypeOf(value) as unknown;
  if (prototype !== Object.prototype && prototype !== null) return NOT_PLAIN;
  const record = value as Record<string, unknown>;
  let keys: readonly string[] = Object.keys(record);
  let sorted = true;
  for (let index = 1; index < keys.length; index++) {
    if (keys[index - 1]! > keys[index]!) {
      sorted = false;
      break;
    }
  }
  if (!sorted) {
    const order = sortedKeyOrder(keys);
    if (order === NOT_PLAIN) return NOT_PLAIN;
    keys = order;
  }
  let copy: Record<string, unknown> | null = sorted ? null : {};
  for (let index = 0; index < keys.length; index++) {
    const key = keys[index]!;
    // Assigning `__proto__` to a copy would set its prototype instead of adding a member.
    if (key === '__proto__') return NOT_PLAIN;
    const item = record[key];
    const canonical = canonicalCopy(item, depth + 1);
    if (canonical === NOT_PLAIN) return NOT_PLAIN;
    if (copy === null && canonical !== item) {
      copy = {};
      for (let before = 0; before < index; before++) copy[keys[before]!] = record[keys[before]!];
    }
    if (copy !== null) copy[key] = canonical;
  }
  return copy ?? value;
}

/**
 * Sorted key orders of the objects seen with keys out of order, by their first key. The objects of one kind of event
 * are built by the same code, with the same keys in the same order, so a shape's keys are sorted and checked once
 * rather than at every append (docs/performance.md, a). Kinds of event often begin with the same key (a change
 * request's id), so a first key holds a few shapes; a hit is confirmed key by key.
 */
interface KeyOrder {
  readonly keys: readonly string[];
  readonly order: readonly string[] | typeof NOT_PLAIN;
}
const keyOrdersByFirstKey = new Map<string, KeyOrder[]>();
let cachedKeyOrders = 0;
const MAX_CACHED_KEY_ORDERS = 1024;
const MAX_KEY_ORDERS_PER_FIRST_KEY = 8;
/** Shapes with longer keys than this in all are sorted every time: the cache is not to hold on to large strings. */
const MAX_CACHED_KEY_CHARACTERS = 2048;

/** `keys` (out of order, at least two) sorted, or NOT_PLAIN when one is an array index. Does not change `keys`. */
function sortedKeyOrder(keys: readonly string[]): readonly string[] | typeof NOT_PLAIN {
  const shapes = keyOrdersByFirstKey.get(keys[0]!);
  if (shapes !== undefined) {
    for (const shape of shapes) if (sameKeys(shape.keys, keys)) return shape.order;
  }
  let characters = 0;
  let order: readonly string[] | typeof NOT_PLAIN = keys;
  for (const key of keys) {
    characters += key.length;
    // An object lists array-index keys first whatever the insertion order, so a sorted copy would not stay sorted.
    if (ARRAY_INDEX_KEY.test(key)) order = NOT_PLAIN;
  }
  if (order !== NOT_PLAIN) order = [...keys].sort();
  if (characters <= MAX_CACHED_KEY_CHARACTERS) {
    if (cachedKeyOrders >= MAX_CACHED_KEY_ORDERS) {
      keyOrdersByFirstKey.clear();
      cachedKeyOrders = 0;
    }
    const list = keyOrdersByFirstKey.get(keys[0]!) ?? [];
    if (list.length >= MAX_KEY_ORDERS_PER_FIRST_KEY) list.shift();
    else cachedKeyOrders += 1;
    list.push({ keys, order });
    keyOrdersByFirstKey.set(keys[0]!, list);
  }
  return order;
}

/** Whether two key lists filed under the same first key are the same list (so the first is not compared again). */
function sameKeys(cached: readonly string[], keys: readonly string[]): boolean {
  if (cached.length !== keys.length) return false;
  for (let index = 1; index < keys.length; index++) if (cached[index] !== keys[index]) return false;
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
  return hash('sha256', canonical, 'hex');
}

/** Strings JSON.stringify writes unchanged between quotes: printable ASCII but `"` and `\`. */
const PRINTABLE_WITHOUT_ESCAPES = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

/** A member after the first, as canonicalJson writes it; an undefined one is left out, as it is there. */
function member(key: string, value: unknown): string {
  if (value === undefined) return '';
  // Ids, hashes and timestamps are printable ASCII without quote or backslash: quoted as they are, as JSON.stringify
  // would, without the call (~0.1 µs a member on the append path). Other strings, integers and null: JSON.stringify.
  if (typeof value === 'string' && PRINTABLE_WITHOUT_ESCAPES.test(value)) return `,"${key}":"${value}"`;
  const text = typeof value === 'string' || value === null || Number.isSafeInteger(value) ? JSON.stringify(value) : canonicalJson(value);
  return `,"${key}":${text}`;
}
