import { generateKeyPairSync } from 'node:crypto';
import type { RecordedEvent } from './event-store.port';
import { computeEventHash } from './integrity';
import {
  CHECKPOINT_FORMAT,
  checkSignature,
  compareWithCheckpoint,
  LogVerifier,
  signCheckpoint,
  signPayload,
  verifierFor,
  verifyStream,
  type SignedCheckpoint,
} from './verification';

/** A log as a store would chain it: positions across the log, revisions and hashes per stream. */
function chainedLog(entries: Array<[streamId: string, data: unknown]>): RecordedEvent[] {
  const heads = new Map<string, { revision: number; hash: string }>();
  return entries.map(([streamId, data], index) => rechain({ streamId, data, index }, heads));
}

function rechain({ streamId, data, index }: { streamId: string; data: unknown; index: number }, heads: Map<string, { revision: number; hash: string }>): RecordedEvent {
  const head = heads.get(streamId);
  const base = {
    eventId: `event-${index + 1}`,
    type: 'Happened',
    schemaVersion: 1,
    data,
    metadata: { actor: { id: 'u-1', roles: ['coordinator'] }, correlationId: `c-${index}`, causationId: null, occurredAt: '2025-01-01T00:00:00.000Z' },
  };
  const fields = { streamId, revision: head ? head.revision + 1 : 0, recordedAt: `2025-01-01T00:00:${String(index).padStart(2, '0')}.000Z`, previousHash: head?.hash ?? null };
  const hash = computeEventHash(base, fields);
  heads.set(streamId, { revision: fields.revision, hash });
  return { ...base, ...fields, position: String(index + 1).padStart(16, '0'), hash };
}

/** What someone with write access to the file could do: rewrite events and recompute every later hash. */
function rewriteAndRechain(events: RecordedEvent[], change: (event: RecordedEvent) => RecordedEvent): RecordedEvent[] {
  const heads = new Map<string, { revision: number; hash: string }>();
  return events.map((event, index) => rechain({ streamId: event.streamId, data: change(event).data, index }, heads));
}

const log = () =>
  chainedLog([
    ['product-1', { n: 1 }],
    ['document-1', { n: 2 }],
    ['product-1', { n: 3 }],
    ['document-1', { n: 4 }],
    ['product-1', { n: 5 }],
  ]);

const runVerifier = (events: RecordedEvent[], verifier = new LogVerifier()) => {
  for (const event of events) verifier.add(event);
  return verifier;
};

const keys = () => generateKeyPairSync('ed25519');

describe('verifyStream', () => {
  const product = () => log().filter((event) => event.streamId === 'product-1');

  it('accepts an untouched chain and reports its head', () => {
    const events = product();
    expect(verifyStream('product-1', events)).toMatchObject({ eventCount: 3, firstBreak: null, head: { revision: 2, hash: events[2]!.hash } });
  });

  it('names the event whose content changed', () => {
    const events = product();
    events[1] = { ...events[1]!, data: { n: 33 } };
    expect(verifyStream('product-1', events).firstBreak).toMatchObject({ reason: 'hash_mismatch', revision: 1, eventId: 'event-3' });
  });

  it('names the event after a changed and re-hashed one', () => {
    const events = product();
    const forged = { ...events[1]!, data: { n: 33 } };
    events[1] = { ...forged, hash: computeEventHash(forged, forged) };
    expect(verifyStream('product-1', events).firstBreak).toMatchObject({ reason: 'previous_hash_mismatch', revision: 2 });
  });

  it('names the gap an event removed from the middle leaves', () => {
    const events = product();
    expect(verifyStream('product-1', [events[0]!, events[2]!]).firstBreak).toMatchObject({ reason: 'revision_gap', revision: 2 });
  });

  it('cannot tell a stream cut at its end by itself: that takes a checkpoint', () => {
    expect(verifyStream('product-1', product().slice(0, 2)).firstBreak).toBeNull();
  });
});

describe('LogVerifier', () => {
  it('verifies every stream of a log and hashes the log in position order', () => {
    const result = runVerifier(log()).result();
    expect(result.breaks).toEqual([]);
    expect(result.streamCount).toBe(2);
    expect(result.head).toEqual({ eventCount: 5, headPosition: '0000000000000005', logHash: expect.stringMatching(/^[0-9a-f]{64}$/) });
  });

  it('lists the first break of each stream', () => {
    const events = log();
    events[1] = { ...events[1]!, data: { n: 22 } };
    events[2] = { ...events[2]!, metadata: { ...events[2]!.metadata, actor: { id: 'u-evil', roles: ['admin'] } } };
    expect(runVerifier(events).result().breaks.map(({ streamId, revision, reason }) => [streamId, revision, reason])).toEqual([
      ['document-1', 0, 'hash_mismatch'],
      ['product-1', 1, 'hash_mismatch'],
    ]);
  });

  it('gives a different log hash for a log in another order', () => {
    const events = log();
    const swapped = [events[1]!, events[0]!, ...events.slice(2)];
    expect(runVerifier(swapped).head().logHash).not.toBe(runVerifier(events).head().logHash);
  });
});

describe('Signed checkpoints', () => {
  const { privateKey, publicKey } = keys();
  const checkpointOf = (events: RecordedEvent[], withStreams = false): SignedCheckpoint => {
    const verifier = runVerifier(events);
    return signCheckpoint(
      { format: CHECKPOINT_FORMAT, issuedAt: '2025-01-02T00:00:00.000Z', log: verifier.head(), ...(withStreams ? { streams: verifier.streamHeads() } : {}) },
      privateKey,
    );
  };
  const compare = (events: RecordedEvent[], signed: SignedCheckpoint, trusted = publicKey) => compareWithCheckpoint(runVerifier(events, verifierFor(signed)), signed, trusted);

  it('accepts the same log, and the same log grown since', () => {
    const events = log();
    const signed = checkpointOf(events.slice(0, 3), true);
    expect(compare(events.slice(0, 3), signed).breaks).toEqual([]);
    const later = compare(events, signed);
    expect(later.breaks).toEqual([]);
    expect(later.signature).toMatchObject({ valid: true, trusted: true });
    expect(later.logHeadAtCheckpoint).toEqual(signed.checkpoint.log);
  });

  it('catches the newest events deleted, which no chain shows', () => {
    const events = log();
    const signed = checkpointOf(events, true);
    const comparison = compare(events.slice(0, 3), signed);
    expect(comparison.breaks.map((found) => [found.reason, found.streamId])).toEqual([
      ['truncated', undefined],
      ['stream_truncated', 'document-1'],
      ['stream_truncated', 'product-1'],
    ]);
    expect(comparison.breaks[0]!.detail).toMatch(/holds 3 events.*commits to 5/);
    expect(runVerifier(events.slice(0, 3)).result().breaks).toEqual([]);
  });

  it('catches history rewritten with every hash recomputed', () => {
    const events = log();
    const signed = checkpointOf(events, true);
    const rewritten = rewriteAndRechain(events, (event) => (event.eventId === 'event-2' ? { ...event, data: { n: 'forged' } } : event));
    expect(runVerifier(rewritten).result().breaks).toEqual([]);
    const comparison = compare(rewritten, signed);
    expect(comparison.breaks.map((found) => [found.reason, found.streamId])).toEqual([
      ['rewritten', undefined],
      ['stream_rewritten', 'document-1'],
    ]);
  });

  it('refuses a checkpoint altered after signing', () => {
    const signed = checkpointOf(log());
    const altered: SignedCheckpoint = { ...signed, checkpoint: { ...signed.checkpoint, log: { ...signed.checkpoint.log, eventCount: 4 } } };
    expect(compare(log(), altered).breaks[0]).toMatchObject({ reason: 'bad_signature' });
  });

  it('refuses a checkpoint signed by a key other than the trusted one', () => {
    const forger = keys();
    const verifier = runVerifier(log());
    const forged = signCheckpoint({ format: CHECKPOINT_FORMAT, issuedAt: '2025-01-02T00:00:00.000Z', log: verifier.head() }, forger.privateKey);
    expect(compare(log(), forged).breaks.map((found) => found.reason)).toEqual(['untrusted_key']);
  });

  it('checks a signature under the key it names, and says whether that key is trusted', () => {
    const signature = signPayload({ a: 1 }, privateKey);
    expect(checkSignature({ a: 1 }, signature)).toMatchObject({ valid: true, trusted: null, keyId: signature.keyId });
    expect(checkSignature({ a: 2 }, signature).valid).toBe(false);
    expect(checkSignature({ a: 1 }, { ...signature, keyId: 'f'.repeat(64) }).valid).toBe(false);
    expect(checkSignature({ a: 1 }, undefined).valid).toBe(false);
  });
});
