import { randomUUID } from 'node:crypto';
import * as fc from 'fast-check';
import type { EventMetadata, NewEvent } from '../event-store.port';
import { canonicalJson, computeEventHash } from '../integrity';
import { HASHED_MEMBERS, canonicalJsonOfParsed, chainedEventHash } from './sqlite-hashing';

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
});
