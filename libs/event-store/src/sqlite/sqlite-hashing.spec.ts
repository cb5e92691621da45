import { randomUUID } from 'node:crypto';
import * as fc from 'fast-check';
import type { EventMetadata, NewEvent } from '../event-store.port';
import { canonicalJson, computeEventHash } from '../integrity';
import { HASHED_MEMBERS, canonicalJsonOfParsed, canonicalJsonOfPlain, chainedEventHash } from './sqlite-hashing';

const stored = (value: unknown): unknown => JSON.parse(JSON.stringify(value) ?? 'null');
const isSorted = (keys: readonly string[]): boolean => keys.every((key, index) => index === 0 || keys[index - 1]! <= key);

describe('the append path hashing', () => {
  it('lists the hashed members in the order canonicalJson sorts them', () => {
    expect([...HASHED_MEMBERS].sort()).toEqual([...HASHED_MEMBERS]);
  });

  it('property: canonicalJsonOfParsed agrees with canonicalJson on anything JSON.parse returns', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const parsed = stored(value);
        expect(canonicalJsonOfParsed(parsed)).toBe(canonicalJson(parsed));
      }),
      { numRuns: 500 },
    );
  });

  it('sorts keys that arrive out of order, including odd ones', () => {
    const parsed = JSON.parse('{"b":1,"__proto__":{"z":1,"a":[{"y":2,"x":1}]},"a":"ü","":null,"B":true,"10":0,"9":0}');
    expect(canonicalJsonOfParsed(parsed)).toBe(canonicalJson(parsed));
  });

  it('property: chainedEventHash equals computeEventHash over the stored event', () => {
    fc.assert(
      fc.property(
        fc.jsonValue(),
        fc.dictionary(fc.string(), fc.jsonValue(), { maxKeys: 4 }),
        fc.string(),
        fc.nat(),
        fc.option(fc.stringMatching(/^[0-9a-f]{64}$/), { nil: null }),
        fc.string(),
        fc.integer({ min: 0, max: 1000 }),
        (data, extraMetadata, streamId, revision, previousHash, type, schemaVersion) => {
          const metadata = { ...extraMetadata, actor: { id: 'u', roles: ['r'] }, correlationId: randomUUID(), causationId: null, occurredAt: '2024-01-01T00:00:00.000Z' };
          const event: NewEvent = { eventId: randomUUID(), type, schemaVersion, data: stored(data), metadata: stored(metadata) as EventMetadata };
          const fields = { streamId, revision, recordedAt: new Date(revision).toISOString(), previousHash };
          const fast = chainedEventHash(
            { eventId: event.eventId, type, schemaVersion, canonicalData: canonicalJsonOfParsed(event.data), canonicalMetadata: canonicalJsonOfParsed(event.metadata) },
            fields.streamId,
            fields.revision,
            fields.recordedAt,
            fields.previousHash,
          );
          expect(fast).toBe(computeEventHash(event, fields));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('hashes stream ids and types that JSON escapes as computeEventHash does', () => {
    const metadata = { actor: { id: 'u', roles: ['r'] }, correlationId: 'c', causationId: null, occurredAt: '2024-01-01T00:00:00.000Z' } as EventMetadata;
    for (const odd of ['say "hi"', 'back\\slash', 'tab\t', 'nul\u0000', 'del\u007f', 'é', '\u2028', 'lone \ud800', '']) {
      const event: NewEvent = { eventId: odd, type: odd, schemaVersion: 1, data: { odd }, metadata };
      const fields = { streamId: `s-${odd}`, revision: 0, recordedAt: odd, previousHash: null };
      const prepared = { eventId: odd, type: odd, schemaVersion: 1, canonicalData: canonicalJsonOfParsed(event.data), canonicalMetadata: canonicalJsonOfParsed(metadata) };
      expect(chainedEventHash(prepared, fields.streamId, 0, odd, null)).toBe(computeEventHash(event, fields));
    }
  });

  describe('canonicalJsonOfPlain', () => {
    /** The exact way: JSON.stringify refusing non-finite numbers, then the canonical form of what parses back. */
    function exact(value: unknown): string | 'refused' {
      let json: string;
      try {
        json =
          JSON.stringify(value, (_key, item: unknown) => {
            if (typeof item === 'number' && !Number.isFinite(item)) throw new TypeError('non-finite');
            return item;
          }) ?? 'null';
      } catch {
        return 'refused';
      }
      return canonicalJson(JSON.parse(json));
    }

    it('property: whatever it accepts, it writes as canonicalJson writes what a JSON round trip gives back', () => {
      const anything = fc.anything({
        withBoxedValues: true,
        withMap: true,
        withSet: true,
        withObjectString: true,
        withNullPrototype: true,
        withBigInt: true,
        withDate: true,
        withTypedArray: true,
        withSparseArray: true,
        withUnicodeString: true,
        maxDepth: 4,
      });
      let accepted = 0;
      fc.assert(
        fc.property(anything, (value) => {
          const fast = canonicalJsonOfPlain(value);
          if (fast === null) return;
          accepted += 1;
          expect(fast).toBe(exact(value));
        }),
        { numRuns: 2000 },
      );
      expect(accepted).toBeGreaterThan(200);
    });

    it('property: accepts every JSON value with keys that are not array indexes', () => {
      const jsonValue = fc.jsonValue().filter((value) => !JSON.stringify(value).match(/"(?:0|[1-9][0-9]*)":|"__proto__":/));
      fc.assert(
        fc.property(jsonValue, (value) => {
          expect(canonicalJsonOfPlain(value)).toBe(canonicalJson(value));
        }),
        { numRuns: 500 },
      );
    });

    it('sorts keys at every depth and leaves the value it was given unchanged', () => {
      const value = { z: 1, gone: undefined, fn: () => 1, list: [undefined, () => 1, Symbol('s'), 2, , 3, { b: 1, a: [{ d: 1, c: -0 }] }], nested: { b: 2, a: 'ü\u2028"' }, '': 'empty key' };
      const before = JSON.stringify(value);
      expect(canonicalJsonOfPlain(value)).toBe(exact(value));
      expect(canonicalJsonOfPlain(value)).toBe('{"":"empty key","list":[null,null,null,2,null,3,{"a":[{"c":0,"d":1}],"b":1}],"nested":{"a":"ü\u2028\\"","b":2},"z":1}');
      expect(JSON.stringify(value)).toBe(before);
      expect(canonicalJsonOfPlain(undefined)).toBe('null');
      expect(canonicalJsonOfPlain(() => 1)).toBe('null');
    });

    it('property: objects met again in one shape, and others that begin with the same key, all come out sorted', () => {
      // A small pool of keys, so that shapes repeat and many begin with the same key in another order or set.
      const keyLists = fc.uniqueArray(fc.constantFrom('kind', 'id', 'at', 'by', 'z', '__proto__', '7'), { minLength: 2, maxLength: 5 });
      fc.assert(
        fc.property(fc.array(keyLists, { minLength: 1, maxLength: 40 }), (shapes) => {
          shapes.forEach((keys, index) => {
            const value: Record<string, unknown> = {};
            for (const key of keys) Object.defineProperty(value, key, { value: `${key}${index}`, enumerable: true, writable: true, configurable: true });
            const fast = canonicalJsonOfPlain({ nested: value, again: value });
            if (keys.includes('__proto__') || (keys.includes('7') && !isSorted(Object.keys(value)))) expect(fast).toBeNull();
            else expect(fast).toBe(exact({ nested: value, again: value }));
          });
        }),
        { numRuns: 300 },
      );
    });

    it('keeps sorted objects with array-index keys, which enumerate in that order already', () => {
      expect(canonicalJsonOfPlain({ 1: 'a', 2: 'b', x: { b: 1, a: 2 } })).toBe('{"1":"a","2":"b","x":{"a":2,"b":1}}');
    });

    it('leaves to the exact path what it cannot vouch for', () => {
      const cyclic: Record<string, unknown> = {};
      cyclic.self = cyclic;
      const protoKey = JSON.parse('{"b":1,"__proto__":{"z":1}}') as unknown;
      for (const value of [
        Number.NaN,
        { a: [Number.POSITIVE_INFINITY] },
        1n,
        new Map(),
        { m: new Set([1]) },
        new Date(0),
        { custom: { toJSON: () => 1 } },
        Object.assign(Object.create({ inherited: 1 }), { own: 1 }),
        cyclic,
        { b: 1, 10: 0, 9: 0, a: 2 },
        protoKey,
      ]) {
        expect(canonicalJsonOfPlain(value)).toBeNull();
      }
    });
  });
});
