import { randomUUID } from 'node:crypto';
import * as fc from 'fast-check';
import type { EventMetadata, NewEvent } from '../event-store.port';
import { canonicalJson, computeEventHash } from '../integrity';
import { HASHED_MEMBERS, canonicalJsonOfParsed, chainedEventHash, plainJsonAndCanonical } from './sqlite-hashing';

const stored = (value: unknown): unknown => JSON.parse(JSON.stringify(value) ?? 'null');

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

  describe('plainJsonAndCanonical', () => {
    /** The exact way: JSON.stringify refusing non-finite numbers, then the canonical form of what parses back. */
    function exact(value: unknown): { json: string; canonical: string } | 'refused' {
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
      return { json, canonical: canonicalJson(JSON.parse(json)) };
    }

    it('property: whatever it accepts, it writes as JSON.stringify does and canonicalizes as canonicalJson does after a round trip', () => {
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
          const fast = plainJsonAndCanonical(value);
          if (fast === null) return;
          accepted += 1;
          expect(fast).toEqual(exact(value));
        }),
        { numRuns: 2000 },
      );
      expect(accepted).toBeGreaterThan(200);
    });

    it('handles what JSON leaves out, turns into null or converts', () => {
      const when = new Date('2024-01-02T03:04:05.006Z');
      const value = {
        z: 1,
        gone: undefined,
        fn: () => 1,
        list: [undefined, () => 1, Symbol('s'), 2, , 3],
        when,
        custom: { toJSON: (key: string) => ({ key, b: 2, a: 1 }) },
        nested: { b: [{ d: 1, c: -0 }], a: 'ü\u2028"' },
        '': 'empty key',
      };
      expect(plainJsonAndCanonical(value)).toEqual(exact(value));
      expect(plainJsonAndCanonical(undefined)).toEqual({ json: 'null', canonical: 'null' });
      expect(plainJsonAndCanonical(() => 1)).toEqual({ json: 'null', canonical: 'null' });
    });

    it('leaves to the exact path what it cannot vouch for', () => {
      const cyclic: Record<string, unknown> = {};
      cyclic.self = cyclic;
      for (const value of [Number.NaN, { a: [Number.POSITIVE_INFINITY] }, 1n, new Map(), { m: new Set([1]) }, Object.assign(Object.create({ inherited: 1 }), { own: 1 }), cyclic]) {
        expect(plainJsonAndCanonical(value)).toBeNull();
      }
    });
  });
});
