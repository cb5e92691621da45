import { randomUUID } from 'node:crypto';
import { ANY, NO_STREAM, StreamNotFoundError, WrongExpectedVersionError, excludeSystemEvents } from '@eventstore/db-client';
import * as fc from 'fast-check';
import { WrongExpectedRevisionError, type NewEvent } from '../event-store.port';
import { computeEventHash } from '../integrity';
import {
  ForeignEventError,
  InvalidEventStoreDbPositionError,
  fromCurrentRevision,
  fromEventStoreDbPosition,
  fromStoredMetadata,
  isHiddenEvent,
  isReadAllMatch,
  isStreamNotFoundError,
  isWrongExpectedVersionError,
  normalizeEventId,
  readBackForm,
  toAppendExpectedRevision,
  toEventData,
  toEventStoreDbPosition,
  toPortAppendError,
  toRecordedEvent,
  toStoredMetadata,
  type EventStoreDbEventMetadata,
  type EventStoreDbResolvedEvent,
} from './eventstoredb-mapping';

const MAX_U64 = 2n ** 64n - 1n;

function newEvent(overrides: Partial<NewEvent> = {}): NewEvent {
  return {
    eventId: randomUUID(),
    type: 'PartReleased',
    schemaVersion: 2,
    data: { partNumber: 'P-1', quantities: [1, 2.5] },
    metadata: {
      actor: { id: 'user-1', roles: ['engineer'] },
      correlationId: randomUUID(),
      causationId: randomUUID(),
      occurredAt: '2024-05-01T10:00:00.000Z',
      idempotencyKey: 'key-1',
      requestHash: 'c0ffee',
    },
    ...overrides,
  };
}

const chain = { recordedAt: '2024-05-01T10:00:01.000Z', hash: 'a'.repeat(64), previousHash: 'b'.repeat(64) };

/** What the client hands back for an event appended with `toEventData`: JSON parsed again, plus server fields. */
function asServerReturns(event: NewEvent, streamId = 'part-1', revision = 0n, position = { commit: 1234n, prepare: 1234n }): EventStoreDbResolvedEvent {
  const sent = toEventData(event, chain);
  return {
    event: {
      streamId,
      id: sent.id,
      revision,
      type: sent.type,
      isJson: true,
      data: JSON.parse(JSON.stringify(sent.data)),
      metadata: JSON.parse(JSON.stringify(sent.metadata)),
      position,
    },
  };
}

describe('EventStoreDB positions', () => {
  it('zero-pads commit and prepare to 20 digits', () => {
    expect(toEventStoreDbPosition({ commit: 0n, prepare: 0n })).toBe('00000000000000000000-00000000000000000000');
    expect(toEventStoreDbPosition({ commit: 1234n, prepare: 1200n })).toBe('00000000000000001234-00000000000000001200');
    expect(toEventStoreDbPosition({ commit: MAX_U64, prepare: MAX_U64 })).toBe('18446744073709551615-18446744073709551615');
  });

  it('round-trips every unsigned 64-bit pair', () => {
    const logPosition = fc.bigInt({ min: 0n, max: MAX_U64 });
    fc.assert(
      fc.property(logPosition, logPosition, (commit, prepare) => {
        expect(fromEventStoreDbPosition(toEventStoreDbPosition({ commit, prepare }))).toEqual({ commit, prepare });
      }),
    );
  });

  it('orders the strings as (commit, prepare) pairs', () => {
    const logPosition = fc.bigInt({ min: 0n, max: MAX_U64 });
    const pair = fc.record({ commit: logPosition, prepare: logPosition });
    fc.assert(
      fc.property(pair, pair, (left, right) => {
        const byNumbers = left.commit !== right.commit ? Math.sign(Number(left.commit - right.commit)) : Math.sign(Number(left.prepare - right.prepare));
        const a = toEventStoreDbPosition(left);
        const b = toEventStoreDbPosition(right);
        expect(a < b ? -1 : a > b ? 1 : 0).toBe(byNumbers);
      }),
    );
  });

  it('refuses values outside the unsigned 64-bit range', () => {
    expect(() => toEventStoreDbPosition({ commit: -1n, prepare: 0n })).toThrow(RangeError);
    expect(() => toEventStoreDbPosition({ commit: 0n, prepare: MAX_U64 + 1n })).toThrow(RangeError);
  });

  it.each([
    '',
    '1234-1234',
    '00000000000000001234',
    '00000000000000001234-',
    '00000000000000001234-0000000000000000123x',
    ' 00000000000000001234-00000000000000001234',
    '00000000000000001234_00000000000000001234',
    '99999999999999999999-00000000000000000000',
    '0000000000000042',
  ])('refuses the malformed position %p with a clear error', (position) => {
    expect(() => fromEventStoreDbPosition(position)).toThrow(InvalidEventStoreDbPositionError);
    expect(() => fromEventStoreDbPosition(position)).toThrow(/not an EventStoreDB position/);
  });
});

describe('expected revision', () => {
  it('maps numbers to bigints and the named states to the client constants', () => {
    expect(toAppendExpectedRevision(0)).toBe(0n);
    expect(toAppendExpectedRevision(41)).toBe(41n);
    expect(toAppendExpectedRevision('no_stream')).toBe(NO_STREAM);
    expect(toAppendExpectedRevision('any')).toBe(ANY);
  });

  it('refuses revisions that are not non-negative integers', () => {
    for (const bad of [-1, 1.5, Number.NaN, Number.MAX_SAFE_INTEGER + 1]) expect(() => toAppendExpectedRevision(bad)).toThrow(RangeError);
  });

  it('maps the current revision back', () => {
    expect(fromCurrentRevision(7n)).toBe(7);
    expect(fromCurrentRevision(NO_STREAM)).toBe('no_stream');
  });
});

describe('append errors', () => {
  it("turns the client's WrongExpectedVersionError into the port's error, with the actual revision", () => {
    const clientError = new WrongExpectedVersionError(undefined, { streamName: 'part-1', expected: 2n, current: 5n });

    const mapped = toPortAppendError(clientError, 'part-1', 2);

    expect(isWrongExpectedVersionError(clientError)).toBe(true);
    expect(mapped).toBeInstanceOf(WrongExpectedRevisionError);
    expect(mapped).toMatchObject({ streamId: 'part-1', expected: 2, actual: 5 });
  });

  it("reports 'no_stream' when the stream does not exist", () => {
    const clientError = new WrongExpectedVersionError(undefined, { streamName: 'part-2', expected: 0n, current: NO_STREAM });

    expect(toPortAppendError(clientError, 'part-2', 0)).toMatchObject({ streamId: 'part-2', expected: 0, actual: 'no_stream' });
  });

  it('recognises an error of the same shape from another copy of the client', () => {
    const lookalike = Object.assign(new Error('wrong expected version'), { type: 'wrong-expected-version', actualVersion: 3n });

    expect(toPortAppendError(lookalike, 's', 'any')).toMatchObject({ expected: 'any', actual: 3 });
  });

  it('passes any other error through unchanged', () => {
    const other = new Error('unavailable');
    expect(toPortAppendError(other, 's', 0)).toBe(other);
    expect(isWrongExpectedVersionError(undefined)).toBe(false);
  });

  it('recognises a missing stream', () => {
    expect(isStreamNotFoundError(new StreamNotFoundError(undefined, 'part-9'))).toBe(true);
    expect(isStreamNotFoundError(new Error('part-9 not found'))).toBe(false);
  });
});

describe('metadata', () => {
  it("stores correlation and causation under EventStoreDB's names next to the port's fields and the chain", () => {
    const event = newEvent();

    expect(toStoredMetadata(event, chain)).toEqual({
      $correlationId: event.metadata.correlationId,
      $causationId: event.metadata.causationId,
      actor: event.metadata.actor,
      schemaVersion: 2,
      occurredAt: event.metadata.occurredAt,
      idempotencyKey: 'key-1',
      requestHash: 'c0ffee',
      recordedAt: chain.recordedAt,
      hash: chain.hash,
      previousHash: chain.previousHash,
    });
  });

  it('leaves out absent causation and optional fields, and reads them back as the port expects', () => {
    const event = newEvent({
      metadata: { actor: { id: 'u', roles: [] }, correlationId: 'corr', causationId: null, occurredAt: '2024-01-01T00:00:00.000Z' },
    });

    const stored = JSON.parse(JSON.stringify(toStoredMetadata(event, { ...chain, previousHash: null }))) as EventStoreDbEventMetadata;

    expect(stored).not.toHaveProperty('$causationId');
    expect(stored).not.toHaveProperty('idempotencyKey');
    expect(stored.previousHash).toBeNull();
    expect(fromStoredMetadata(stored)).toEqual(event.metadata);
  });

  it('round-trips the metadata through the stored form', () => {
    const event = newEvent();
    expect(fromStoredMetadata(toStoredMetadata(event, chain))).toEqual(event.metadata);
  });
});

describe('event data and recorded events', () => {
  it('sends our event id, type and JSON content', () => {
    const event = newEvent({ eventId: 'A2B1C3D4-0000-4000-8000-00000000000F' });

    const sent = toEventData(event, chain);

    expect(sent).toMatchObject({ id: 'a2b1c3d4-0000-4000-8000-00000000000f', type: 'PartReleased', contentType: 'application/json', data: event.data });
  });

  it('refuses event ids EventStoreDB cannot store', () => {
    expect(() => normalizeEventId('evt-1')).toThrow(/must be UUIDs/);
    expect(() => toEventData(newEvent({ eventId: 'not-a-uuid' }), chain)).toThrow(TypeError);
  });

  it('refuses data JSON would change: non-finite numbers and bigints', () => {
    expect(() => toEventData(newEvent({ data: { ratio: Number.NaN } }), chain)).toThrow(/non-finite/);
    expect(() => toEventData(newEvent({ data: { count: 1n } }), chain)).toThrow(TypeError);
  });

  it('maps what the server returns back to the recorded event, field by field', () => {
    const event = newEvent();

    const recorded = toRecordedEvent(asServerReturns(event, 'part-1', 3n, { commit: 1234n, prepare: 1200n }));

    expect(recorded).toEqual({
      ...event,
      streamId: 'part-1',
      revision: 3,
      position: '00000000000000001234-00000000000000001200',
      recordedAt: chain.recordedAt,
      hash: chain.hash,
      previousHash: chain.previousHash,
    });
  });

  it('property: the read-back form is what a reader gets, so the hash of the sent event verifies after reading', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 3 }), (data) => {
        const event = newEvent({ data });
        const fields = { streamId: 's', revision: 0, recordedAt: chain.recordedAt, previousHash: null };
        const hash = computeEventHash(readBackForm(event), fields);

        const sent = toEventData(event, { recordedAt: chain.recordedAt, hash, previousHash: null });
        const recorded = toRecordedEvent({
          event: { streamId: 's', id: sent.id, revision: 0n, type: sent.type, isJson: true, data: JSON.parse(JSON.stringify(sent.data)), metadata: JSON.parse(JSON.stringify(sent.metadata)), position: { commit: 1n, prepare: 1n } },
        });

        expect(recorded.data).toEqual(JSON.parse(JSON.stringify(data)));
        expect(computeEventHash(recorded, recorded)).toBe(hash);
      }),
    );
  });

  it('refuses events this store did not write', () => {
    const base = asServerReturns(newEvent());
    expect(() => toRecordedEvent({ event: { ...base.event!, metadata: { $correlationId: 'x' } } })).toThrow(ForeignEventError);
    expect(() => toRecordedEvent({ event: { ...base.event!, isJson: false, data: new Uint8Array() } })).toThrow(ForeignEventError);
    expect(() => toRecordedEvent({})).toThrow(TypeError);
  });

  it('refuses an event without a usable position, as servers before 22.6 send on stream reads', () => {
    const base = asServerReturns(newEvent());
    expect(() => toRecordedEvent({ event: { ...base.event!, position: undefined } })).toThrow(/position/);
    expect(() => toRecordedEvent({ event: { ...base.event!, position: { commit: MAX_U64, prepare: MAX_U64 } } })).toThrow(/position/);
  });
});

describe('hidden events', () => {
  const resolved = (streamId: string, type: string): EventStoreDbResolvedEvent => ({
    event: { streamId, id: randomUUID(), revision: 0n, type, isJson: true, data: {}, position: { commit: 1n, prepare: 1n } },
  });

  it('hides system events and system streams, and nothing else', () => {
    expect(isHiddenEvent(resolved('$stats-127.0.0.1:2113', '$statsCollected'))).toBe(true);
    expect(isHiddenEvent(resolved('$$part-1', '$metadata'))).toBe(true);
    expect(isHiddenEvent(resolved('part-1', '$>'))).toBe(true);
    expect(isHiddenEvent(resolved('part-1', 'PartReleased'))).toBe(false);
    expect(isHiddenEvent({})).toBe(true);
  });

  it("hands readAll's caller the shown events of the streams its prefix names", () => {
    expect(isReadAllMatch(resolved('document-1', 'DocumentFiled'), 'document-')).toBe(true);
    expect(isReadAllMatch(resolved('product-1', 'ProductRegistered'), 'document-')).toBe(false);
    expect(isReadAllMatch(resolved('documents', 'DocumentFiled'), 'document-')).toBe(false);
    expect(isReadAllMatch(resolved('product-1', 'ProductRegistered'), undefined)).toBe(true);
    expect(isReadAllMatch(resolved('document-1', '$>'), 'document-')).toBe(false);
    expect(isReadAllMatch({}, undefined)).toBe(false);
  });

  it('uses the same event type filter as the server-side subscription filter', () => {
    const filter = excludeSystemEvents();
    expect(new RegExp(filter.regex).test('PartReleased')).toBe(true);
    expect(new RegExp(filter.regex).test('$statsCollected')).toBe(false);
  });
});
