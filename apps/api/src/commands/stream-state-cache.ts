import type { RecordedEvent } from '@pc/event-store';

/** What one event written under an Idempotency-Key answers: the request it belonged to and where it stands. */
export interface IdempotencyAnswer {
  readonly actorId: string;
  readonly requestHash: string | undefined;
  readonly revision: number;
  readonly position: string;
}

/**
 * The state of one stream folded by one decider, with the idempotency answers its events hold.
 * State values are immutable (deciders' evolve functions return new objects), so an entry may be
 * handed out as it is; the entry itself only ever moves forward.
 */
interface Entry<State> {
  state: State;
  revision: number;
  lastPosition: string | null;
  /**
   * `${actorId}\u0000${key}` → every event written under that key by that actor, in revision
   * order. Append-only, so a snapshot taken at revision R reads it bounded by R and stays exact
   * while the entry moves on.
   */
  readonly answers: Map<string, IdempotencyAnswer[]>;
}

/** A stream's folded state as of one revision. */
export interface StreamSnapshot<State> {
  readonly state: State;
  /** Revision of the stream's last event; -1 if the stream is empty. */
  readonly revision: number;
  /** Position of the stream's last event; null if the stream is empty. */
  readonly lastPosition: string | null;
  /** The last event this actor wrote under this key, up to this snapshot's revision. */
  answerFor(actorId: string, key: string): IdempotencyAnswer | null;
}

export interface Evolver<State> {
  initialState(): State;
  evolve(state: State, event: never): State;
}

export const DEFAULT_STREAM_STATE_CACHE_SIZE = 10_000;

const answerKey = (actorId: string, key: string) => `${actorId}\u0000${key}`;

/**
 * A bounded (least recently used) in-process cache of folded stream state, keyed by stream id and
 * decider. Streams are append-only, so an entry is brought up to date by reading only the events
 * after its revision: exact even when another process appended meanwhile.
 */
export class StreamStateCache {
  private readonly entries = new Map<string, Entry<unknown>>();
  private readonly deciderIds = new WeakMap<object, number>();
  private nextDeciderId = 1;

  constructor(readonly maxStreams: number = DEFAULT_STREAM_STATE_CACHE_SIZE) {
    if (!Number.isInteger(maxStreams) || maxStreams < 1) throw new RangeError(`maxStreams must be a positive integer, got ${maxStreams}`);
  }

  get size(): number {
    return this.entries.size;
  }

  /**
   * Brings the stream's entry up to date with `readFrom(revision + 1)` and returns a snapshot.
   * `readFrom` must return the stream's events from that revision on, in revision order.
   */
  async load<State>(streamId: string, decider: Evolver<State>, readFrom: (from: number) => Promise<readonly RecordedEvent[]>): Promise<StreamSnapshot<State>> {
    const key = this.keyOf(streamId, decider);
    const base = this.entries.get(key) as Entry<State> | undefined;
    const from = base ? base.revision + 1 : 0;
    const events = await readFrom(from);
    // Another load of this stream may have moved the entry on (or evicted it) while this one read;
    // what follows is synchronous, so nothing moves it under us from here on.
    const current = this.entries.get(key) as Entry<State> | undefined;
    const entry: Entry<State> =
      current && current.revision >= from - 1 ? current : (base ?? { state: decider.initialState(), revision: -1, lastPosition: null, answers: new Map() });
    for (const event of events) {
      if (event.revision <= entry.revision) continue;
      if (event.revision !== entry.revision + 1) {
        throw new Error(`Stream ${streamId} read out of order: revision ${event.revision} after ${entry.revision}`);
      }
      entry.state = decider.evolve(entry.state, event as never);
      entry.revision = event.revision;
      entry.lastPosition = event.position;
      const { idempotencyKey, actor, requestHash } = event.metadata;
      if (idempotencyKey !== undefined) {
        const k = answerKey(actor.id, idempotencyKey);
        const list = entry.answers.get(k);
        const answer: IdempotencyAnswer = { actorId: actor.id, requestHash, revision: event.revision, position: event.position };
        if (list) list.push(answer);
        else entry.answers.set(k, [answer]);
      }
    }
    this.touch(key, entry);
    return snapshotOf(entry);
  }

  /** Forgets every entry (tests, or after an out-of-band change to the store such as a restore). */
  clear(): void {
    this.entries.clear();
  }

  /** Stream id plus the decider's identity: another fold of the same stream never gets this one's state. */
  private keyOf(streamId: string, decider: object): string {
    let id = this.deciderIds.get(decider);
    if (id === undefined) {
      id = this.nextDeciderId++;
      this.deciderIds.set(decider, id);
    }
    return `${id}\u0000${streamId}`;
  }

  private touch(key: string, entry: Entry<unknown>): void {
    // Map iteration follows insertion order: re-inserting makes this the most recently used.
    this.entries.delete(key);
    this.entries.set(key, entry);
    if (this.entries.size <= this.maxStreams) return;
    // Evict a sixteenth of the bound at once, in one pass: a Map keeps the slots of deleted entries at its front
    // until it rehashes, so finding the oldest entry one eviction at a time walks past them again and again
    // (~3 % of a write's CPU with a full cache of 10,000 streams).
    let excess = this.entries.size - this.maxStreams + Math.floor(this.maxStreams / 16);
    for (const oldest of this.entries.keys()) {
      if (excess-- <= 0) break;
      this.entries.delete(oldest);
    }
  }
}

/** A stream that has no events: what a stream named by a newly issued id is, without asking the store. */
export function emptyStream<State>(decider: Evolver<State>): StreamSnapshot<State> {
  return { state: decider.initialState(), revision: -1, lastPosition: null, answerFor: () => null };
}

function snapshotOf<State>(entry: Entry<State>): StreamSnapshot<State> {
  const { state, revision, lastPosition, answers } = entry;
  return {
    state,
    revision,
    lastPosition,
    answerFor(actorId, key) {
      const list = answers.get(answerKey(actorId, key));
      if (!list) return null;
      for (let i = list.length - 1; i >= 0; i--) if (list[i]!.revision <= revision) return list[i]!;
      return null;
    },
  };
}
