import * as fc from 'fast-check';
import type { NewEvent } from './event-store.port';
import { canonicalJson, computeEventHash, type HashedFields } from './integrity';

/** The same value with every object's keys inserted in reverse order. */
function withReversedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withReversedKeys);
  if (value === null || typeof value !== 'object') return value;
  const reversed: Record<string, unknown> = {};
  for (const key of Object.keys(value).reverse()) {
    Object.defineProperty(reversed, key, { value: withReversedKeys((value as Record<string, unknown>)[key]), enumerable: true, writable: true, configurable: true });
  }
  return reversed;
}

describe('canonicalJson', () => {
  it('sorts object keys, so key order does not matter', () => {
    expect(canonicalJson({ b: 1, a: 2 })).toBe('{"a":2,"b":1}');
    expect(canonicalJson({ b: 1, a: 2 })).toBe(canonicalJson({ a: 2, b: 1 }));
  });

  it('sorts keys at every depth, including inside arrays', () => {
    expect(canonicalJson({ z: { y: 1, x: [{ d: 1, c: 2 }] }, a: null })).toBe('{"a":null,"z":{"x":[{"c":2,"d":1}],"y":1}}');
  });

  it('keeps array order and writes no whitespace', () => {
    expect(canonicalJson([3, 1, 2])).toBe('[3,1,2]');
    expect(canonicalJson({ list: ['b', 'a'], text: 'a b' })).toBe('{"list":["b","a"],"text":"a b"}');
  });

  it('drops undefined members and writes undefined array items as null', () => {
    expect(canonicalJson({ a: 1, gone: undefined })).toBe('{"a":1}');
    expect(canonicalJson([1, undefined, 2])).toBe('[1,null,2]');
    expect(canonicalJson(undefined)).toBe('null');
  });

  it('writes scalars as JSON does', () => {
    expect(canonicalJson('quote " and ünï')).toBe(JSON.stringify('quote " and ünï'));
    expect(canonicalJson(1.5)).toBe('1.5');
    expect(canonicalJson(true)).toBe('true');
    expect(canonicalJson(null)).toBe('null');
    expect(canonicalJson({})).toBe('{}');
    expect(canonicalJson([])).toBe('[]');
  });

  it('refuses non-finite numbers, wherever they are', () => {
    expect(() => canonicalJson(Number.NaN)).toThrow(TypeError);
    expect(() => canonicalJson({ a: Number.POSITIVE_INFINITY })).toThrow(/Non-finite/);
    expect(() => canonicalJson([1, [Number.NEGATIVE_INFINITY]])).toThrow(/Non-finite/);
  });

  it('property: is independent of key order and parses back to the same value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const canonical = canonicalJson(value);
        expect(canonicalJson(withReversedKeys(value))).toBe(canonical);
        expect(JSON.parse(canonical)).toEqual(JSON.parse(JSON.stringify(value)));
      }),
    );
  });
});

describe('computeEventHash', () => {
  const event: NewEvent = {
    eventId: '6f1c2b1e-0000-4000-8000-000000000001',
    type: 'PartReleased',
    schemaVersion: 1,
    data: { partNumber: 'P-1', quantities: [1, 2] },
    metadata: {
      actor: { id: 'user-1', roles: ['engineer'] },
      correlationId: 'correlation-1',
      causationId: null,
      occurredAt: '2024-01-01T00:00:00.000Z',
    },
  };
  const fields: HashedFields = { streamId: 'part-1', revision: 0, recordedAt: '2024-01-01T00:00:01.000Z', previousHash: null };
  const baseline = computeEventHash(event, fields);

  it('is a SHA-256 hex digest and deterministic', () => {
    expect(baseline).toMatch(/^[0-9a-f]{64}$/);
    expect(computeEventHash({ ...event }, { ...fields })).toBe(baseline);
  });

  it('does not depend on the key order of data or metadata', () => {
    const reordered: NewEvent = { ...event, data: withReversedKeys(event.data), metadata: withReversedKeys(event.metadata) as NewEvent['metadata'] };
    expect(computeEventHash(reordered, fields)).toBe(baseline);
  });

  const eventChanges: Array<[string, Partial<NewEvent>]> = [
    ['eventId', { eventId: '6f1c2b1e-0000-4000-8000-000000000002' }],
    ['type', { type: 'PartObsoleted' }],
    ['schemaVersion', { schemaVersion: 2 }],
    ['data', { data: { partNumber: 'P-2', quantities: [1, 2] } }],
    ['data array order', { data: { partNumber: 'P-1', quantities: [2, 1] } }],
    ['metadata actor', { metadata: { ...event.metadata, actor: { id: 'user-2', roles: ['engineer'] } } }],
    ['metadata correlationId', { metadata: { ...event.metadata, correlationId: 'correlation-2' } }],
    ['metadata causationId', { metadata: { ...event.metadata, causationId: 'cause-1' } }],
    ['metadata occurredAt', { metadata: { ...event.metadata, occurredAt: '2024-01-02T00:00:00.000Z' } }],
    ['metadata idempotencyKey', { metadata: { ...event.metadata, idempotencyKey: 'key-1' } }],
    ['metadata requestHash', { metadata: { ...event.metadata, requestHash: 'abc' } }],
  ];
  it.each(eventChanges)('changes when the event %s changes', (_field, change) => {
    expect(computeEventHash({ ...event, ...change }, fields)).not.toBe(baseline);
  });

  const fieldChanges: Array<[string, Partial<HashedFields>]> = [
    ['streamId', { streamId: 'part-2' }],
    ['revision', { revision: 1 }],
    ['recordedAt', { recordedAt: '2024-01-01T00:00:02.000Z' }],
    ['previousHash', { previousHash: 'a'.repeat(64) }],
  ];
  it.each(fieldChanges)('changes when the stored %s changes', (_field, change) => {
    expect(computeEventHash(event, { ...fields, ...change })).not.toBe(baseline);
  });
});
