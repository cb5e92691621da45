import { createHash, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import type { RecordedEvent } from './event-store.port';
import { canonicalJson, computeEventHash } from './integrity';

/**
 * Tamper evidence that needs nothing but the events: each stream's hash chain recomputed, a
 * running hash over the whole log in position order, and Ed25519-signed checkpoints of that
 * log's head that an outside party keeps and later checks a log against. Pure but for hashing
 * and signatures, so the offline bundle verifier runs the same code as the server.
 */

export type ChainBreakReason = 'hash_mismatch' | 'previous_hash_mismatch' | 'revision_gap';

/** The first event at which a stream stops verifying. */
export interface ChainBreak {
  readonly kind: 'event';
  readonly reason: ChainBreakReason;
  readonly streamId: string;
  readonly revision: number;
  readonly position: string;
  readonly eventId: string;
  readonly type: string;
  readonly detail: string;
}

export interface StreamHead {
  readonly revision: number;
  readonly hash: string;
}

/** The hash the event should carry, recomputed from what is stored about it. */
export const recomputeEventHash = (event: RecordedEvent): string =>
  computeEventHash(event, { streamId: event.streamId, revision: event.revision, recordedAt: event.recordedAt, previousHash: event.previousHash });

interface StreamCursor {
  revision: number;
  hash: string;
}

/** Checks one event against the end of its stream so far; returns the break, or null. */
function checkLink(event: RecordedEvent, previous: StreamCursor | undefined): ChainBreak | null {
  const at = { kind: 'event' as const, streamId: event.streamId, revision: event.revision, position: event.position, eventId: event.eventId, type: event.type };
  const expectedRevision = previous ? previous.revision + 1 : 0;
  if (event.revision !== expectedRevision) {
    return {
      ...at,
      reason: 'revision_gap',
      detail:
        event.revision > expectedRevision
          ? `${event.streamId} jumps from revision ${expectedRevision - 1} to ${event.revision}: events are missing`
          : `${event.streamId} repeats revision ${event.revision}`,
    };
  }
  const expectedPrevious = previous?.hash ?? null;
  if (event.previousHash !== expectedPrevious) {
    return {
      ...at,
      reason: 'previous_hash_mismatch',
      detail: `${event.streamId}@${event.revision} names previous hash ${String(event.previousHash)}, but the event before it hashes to ${String(expectedPrevious)}: an earlier event was changed or removed`,
    };
  }
  const recomputed = recomputeEventHash(event);
  if (recomputed !== event.hash) {
    return {
      ...at,
      reason: 'hash_mismatch',
      detail: `${event.streamId}@${event.revision} (${event.type}) was altered: its content hashes to ${recomputed}, not to its recorded ${event.hash}`,
    };
  }
  return null;
}

export interface StreamVerification {
  readonly streamId: string;
  readonly eventCount: number;
  /** The last event's revision and recorded hash; null for no events. */
  readonly head: StreamHead | null;
  readonly firstBreak: ChainBreak | null;
  readonly firstRecordedAt: string | null;
  readonly lastRecordedAt: string | null;
}

/** One stream, in revision order, from revision 0. */
export function verifyStream(streamId: string, events: readonly RecordedEvent[]): StreamVerification {
  let cursor: StreamCursor | undefined;
  let firstBreak: ChainBreak | null = null;
  for (const event of events) {
    if (event.streamId !== streamId) {
      firstBreak ??= {
        kind: 'event',
        reason: 'revision_gap',
        streamId,
        revision: event.revision,
        position: event.position,
        eventId: event.eventId,
        type: event.type,
        detail: `An event of ${event.streamId} is listed in ${streamId}`,
      };
      continue;
    }
    firstBreak ??= checkLink(event, cursor);
    cursor = { revision: event.revision, hash: event.hash };
  }
  return {
    streamId,
    eventCount: events.length,
    head: cursor ? { revision: cursor.revision, hash: cursor.hash } : null,
    firstBreak,
    firstRecordedAt: events[0]?.recordedAt ?? null,
    lastRecordedAt: events.at(-1)?.recordedAt ?? null,
  };
}

/** The running hash over the log: each step commits to everything before it and to the next event's hash. */
export const nextLogHash = (previous: string | null, eventHash: string): string => sha256Hex(canonicalJson({ previous, eventHash }));

export interface LogHead {
  /** How many events the log holds up to the head. */
  readonly eventCount: number;
  readonly headPosition: string | null;
  /** Running hash after the last event; null for an empty log. */
  readonly logHash: string | null;
}

export interface LogVerification {
  readonly head: LogHead;
  readonly streamCount: number;
  /** Every stream's first break, in position order. */
  readonly breaks: readonly ChainBreak[];
  readonly firstRecordedAt: string | null;
  readonly lastRecordedAt: string | null;
}

/**
 * Verifies a whole log fed to it event by event in position order, without holding it in
 * memory: per-stream chains, and the running log hash. `watch` asks it to remember the log head
 * after a given number of events, and the hash at given stream revisions, for comparison with a
 * checkpoint.
 */
export class LogVerifier {
  private readonly streams = new Map<string, StreamCursor>();
  private readonly brokenStreams = new Set<string>();
  private readonly breaks: ChainBreak[] = [];
  private eventCount = 0;
  private logHash: string | null = null;
  private headPosition: string | null = null;
  private firstRecordedAt: string | null = null;
  private lastRecordedAt: string | null = null;
  private headAtWatchedCount: LogHead | null = null;
  private readonly watchedRevisions: Map<string, number>;
  private readonly seenAtWatchedRevisions = new Map<string, string>();

  constructor(private readonly watch: { readonly eventCount?: number; readonly streamRevisions?: Readonly<Record<string, number>> } = {}) {
    this.watchedRevisions = new Map(Object.entries(watch.streamRevisions ?? {}));
    if (watch.eventCount === 0) this.headAtWatchedCount = { eventCount: 0, headPosition: null, logHash: null };
  }

  add(event: RecordedEvent): void {
    const previous = this.streams.get(event.streamId);
    if (!this.brokenStreams.has(event.streamId)) {
      const broken = checkLink(event, previous);
      if (broken) {
        this.breaks.push(broken);
        this.brokenStreams.add(event.streamId);
      }
    }
    this.streams.set(event.streamId, { revision: event.revision, hash: event.hash });
    if (this.watchedRevisions.get(event.streamId) === event.revision) this.seenAtWatchedRevisions.set(event.streamId, event.hash);
    this.eventCount += 1;
    this.logHash = nextLogHash(this.logHash, event.hash);
    this.headPosition = event.position;
    this.firstRecordedAt ??= event.recordedAt;
    this.lastRecordedAt = event.recordedAt;
    if (this.watch.eventCount === this.eventCount) this.headAtWatchedCount = this.head();
  }

  head(): LogHead {
    return { eventCount: this.eventCount, headPosition: this.headPosition, logHash: this.logHash };
  }

  /** The head as it was after `watch.eventCount` events, or null if the log is shorter. */
  watchedHead(): LogHead | null {
    return this.headAtWatchedCount;
  }

  /** The recorded hash at the watched revision of a stream, or null if the stream never got there. */
  hashAtWatchedRevision(streamId: string): string | null {
    return this.seenAtWatchedRevisions.get(streamId) ?? null;
  }

  streamHeads(): Record<string, StreamHead> {
    return Object.fromEntries([...this.streams].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([streamId, { revision, hash }]) => [streamId, { revision, hash }]));
  }

  result(): LogVerification {
    return { head: this.head(), streamCount: this.streams.size, breaks: [...this.breaks], firstRecordedAt: this.firstRecordedAt, lastRecordedAt: this.lastRecordedAt };
  }
}

// ————— Checkpoints and signatures —————

export const CHECKPOINT_FORMAT = 'product-coordinator/checkpoint@1';

/** What a checkpoint commits to: the log up to its head, and optionally the heads of some or all streams. */
export interface Checkpoint {
  readonly format: typeof CHECKPOINT_FORMAT;
  readonly issuedAt: string;
  readonly log: LogHead;
  /** Stream id → its last revision and hash at the head. Absent: the log head alone. */
  readonly streams?: Readonly<Record<string, StreamHead>>;
}

export interface Signature {
  readonly algorithm: 'Ed25519';
  /** SHA-256 of the public key (SPKI, DER), hex: compare it with the one you were given out of band. */
  readonly keyId: string;
  /** The public key, PEM (SPKI), so anyone can check the signature; trust comes from the keyId. */
  readonly publicKey: string;
  /** Base64 signature over the canonical JSON of what is signed. */
  readonly value: string;
}

export interface SignedCheckpoint {
  readonly checkpoint: Checkpoint;
  readonly signature: Signature;
}

export const sha256Hex = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');

export const keyIdOf = (publicKey: KeyObject): string => sha256Hex(publicKey.export({ type: 'spki', format: 'der' }));

export function signPayload(payload: unknown, privateKey: KeyObject): Signature {
  const publicKey = createPublicKey(privateKey);
  return {
    algorithm: 'Ed25519',
    keyId: keyIdOf(publicKey),
    publicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    value: sign(null, Buffer.from(canonicalJson(payload)), privateKey).toString('base64'),
  };
}

export const signCheckpoint = (checkpoint: Checkpoint, privateKey: KeyObject): SignedCheckpoint => ({ checkpoint, signature: signPayload(checkpoint, privateKey) });

export interface SignatureCheck {
  readonly valid: boolean;
  readonly keyId: string | null;
  /** True when the signing key is the trusted one; null when no trusted key was given to compare with. */
  readonly trusted: boolean | null;
  readonly detail: string;
}

/**
 * Checks a signature with the key it names, and that key against a trusted one when given:
 * anyone can sign with a fresh key, so a signature proves something only under a key you trust.
 */
export function checkSignature(payload: unknown, signature: Signature | undefined, trustedPublicKey?: KeyObject | null): SignatureCheck {
  if (!signature || signature.algorithm !== 'Ed25519' || typeof signature.publicKey !== 'string' || typeof signature.value !== 'string') {
    return { valid: false, keyId: null, trusted: null, detail: 'No Ed25519 signature' };
  }
  let publicKey: KeyObject;
  try {
    publicKey = createPublicKey(signature.publicKey);
  } catch {
    return { valid: false, keyId: null, trusted: null, detail: 'The signature names a public key that cannot be read' };
  }
  const keyId = keyIdOf(publicKey);
  if (keyId !== signature.keyId) return { valid: false, keyId, trusted: null, detail: `The key id ${signature.keyId} is not that of the public key given (${keyId})` };
  let valid = false;
  try {
    valid = verify(null, Buffer.from(canonicalJson(payload)), publicKey, Buffer.from(signature.value, 'base64'));
  } catch {
    valid = false;
  }
  if (!valid) return { valid: false, keyId, trusted: null, detail: `The signature by key ${keyId} does not match the signed content: it was altered after signing` };
  if (!trustedPublicKey) return { valid: true, keyId, trusted: null, detail: `Signed by key ${keyId}` };
  const trustedKeyId = keyIdOf(trustedPublicKey);
  return trustedKeyId === keyId
    ? { valid: true, keyId, trusted: true, detail: `Signed by the trusted key ${keyId}` }
    : { valid: true, keyId, trusted: false, detail: `Signed by key ${keyId}, not by the trusted key ${trustedKeyId}` };
}

export type CheckpointBreakReason = 'bad_signature' | 'untrusted_key' | 'truncated' | 'rewritten' | 'position_mismatch' | 'stream_truncated' | 'stream_rewritten';

export interface CheckpointBreak {
  readonly kind: 'checkpoint';
  readonly reason: CheckpointBreakReason;
  readonly streamId?: string;
  readonly detail: string;
}

export interface CheckpointComparison {
  readonly signature: SignatureCheck;
  readonly checkpoint: Checkpoint;
  /** The log head now at the checkpoint's event count, or null when the log no longer has that many events. */
  readonly logHeadAtCheckpoint: LogHead | null;
  readonly breaks: readonly CheckpointBreak[];
}

/** Which verifier to run over a log to compare it with this checkpoint afterwards. */
export const verifierFor = (signed: SignedCheckpoint): LogVerifier =>
  new LogVerifier({
    eventCount: signed.checkpoint.log.eventCount,
    streamRevisions: Object.fromEntries(Object.entries(signed.checkpoint.streams ?? {}).map(([streamId, head]) => [streamId, head.revision])),
  });

/**
 * Compares a log (already run through `verifierFor(signed)`) with a checkpoint signed earlier:
 * the log must still hold every event the checkpoint committed to, unchanged and in order. New
 * events after it are fine.
 */
export function compareWithCheckpoint(verifier: LogVerifier, signed: SignedCheckpoint, trustedPublicKey?: KeyObject | null): CheckpointComparison {
  const { checkpoint } = signed;
  const signature = checkSignature(checkpoint, signed.signature, trustedPublicKey);
  const breaks: CheckpointBreak[] = [];
  if (!signature.valid) breaks.push({ kind: 'checkpoint', reason: 'bad_signature', detail: signature.detail });
  else if (signature.trusted === false) breaks.push({ kind: 'checkpoint', reason: 'untrusted_key', detail: signature.detail });
  const now = verifier.head();
  const atCheckpoint = verifier.watchedHead();
  const signedAt = `the checkpoint issued at ${checkpoint.issuedAt}`;
  if (!atCheckpoint) {
    breaks.push({
      kind: 'checkpoint',
      reason: 'truncated',
      detail: `The log holds ${now.eventCount} events, but ${signedAt} commits to ${checkpoint.log.eventCount} (head position ${String(checkpoint.log.headPosition)}): events were removed`,
    });
  } else if (atCheckpoint.logHash !== checkpoint.log.logHash) {
    breaks.push({
      kind: 'checkpoint',
      reason: 'rewritten',
      detail: `The first ${checkpoint.log.eventCount} events of the log hash to ${String(atCheckpoint.logHash)}, not to ${String(checkpoint.log.logHash)} as ${signedAt} says: history was rewritten`,
    });
  } else if (atCheckpoint.headPosition !== checkpoint.log.headPosition) {
    breaks.push({
      kind: 'checkpoint',
      reason: 'position_mismatch',
      detail: `Event ${checkpoint.log.eventCount} of the log is at position ${String(atCheckpoint.headPosition)}, not ${String(checkpoint.log.headPosition)} as ${signedAt} says`,
    });
  }
  for (const [streamId, head] of Object.entries(checkpoint.streams ?? {})) {
    const hash = verifier.hashAtWatchedRevision(streamId);
    if (hash === null) {
      breaks.push({ kind: 'checkpoint', reason: 'stream_truncated', streamId, detail: `${streamId} no longer reaches revision ${head.revision}, which ${signedAt} commits to` });
    } else if (hash !== head.hash) {
      breaks.push({ kind: 'checkpoint', reason: 'stream_rewritten', streamId, detail: `${streamId}@${head.revision} now hashes to ${hash}, not ${head.hash} as ${signedAt} says` });
    }
  }
  return { signature, checkpoint, logHeadAtCheckpoint: atCheckpoint, breaks };
}
