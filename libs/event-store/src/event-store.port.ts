/**
 * The event store port. Adapters: sqlite (embedded default) and EventStoreDB.
 *
 * Positions are opaque strings whose lexicographic order is the store's commit order,
 * so every consumer (projector checkpoints, X-Min-Position, audit ordering) compares them
 * the same way without knowing the engine.
 */
export type ExpectedRevision = number | 'no_stream' | 'any';

export interface Actor {
  readonly id: string;
  readonly roles: readonly string[];
}

export interface EventMetadata {
  readonly actor: Actor;
  readonly correlationId: string;
  readonly causationId: string | null;
  /** When the fact happened in the domain (the command's clock), ISO 8601. */
  readonly occurredAt: string;
  /** Present when the command carried an Idempotency-Key: lets a retry find its first answer in the stream. */
  readonly idempotencyKey?: string;
  /** Hash of the request that carried the idempotency key, to refuse the same key on a different request. */
  readonly requestHash?: string;
}

export interface NewEvent<Type extends string = string, Data = unknown> {
  readonly eventId: string;
  readonly type: Type;
  readonly schemaVersion: number;
  readonly data: Data;
  readonly metadata: EventMetadata;
}

export interface RecordedEvent<Type extends string = string, Data = unknown> extends NewEvent<Type, Data> {
  readonly streamId: string;
  /** 0-based revision of this event within its stream. */
  readonly revision: number;
  readonly position: string;
  /** When the store committed it, ISO 8601. */
  readonly recordedAt: string;
  /** SHA-256 (hex) over the canonical form of this event and the previous event's hash in the stream. */
  readonly hash: string;
  readonly previousHash: string | null;
}

export interface AppendResult {
  /** Revision of the last event now in the stream. */
  readonly nextRevision: number;
  /** Position of the last event appended (or found, on an idempotent retry). */
  readonly position: string;
}

export interface ReadStreamOptions {
  /** Revision to start from (inclusive). Forwards default 0; backwards default the end. */
  readonly from?: number;
  readonly direction?: 'forwards' | 'backwards';
  readonly limit?: number;
}

/** Most positions one readEventsAt call may ask for: a page of an audit query, not a bulk export. */
export const MAX_POSITIONS_PER_READ = 1000;

export interface ReadAllOptions {
  /** Exclusive lower bound; null or absent reads from the start. */
  readonly after?: string | null;
  /** Most events to return; with `streamPrefix`, most matching events. */
  readonly limit?: number;
  /**
   * Only the events of streams whose id begins with this (a category's streams: `document-`), still in log order.
   * The engine skips the others without handing them over (SQLite filters in its scan; EventStoreDB, whose client
   * here filters only subscriptions, before mapping them).
   */
  readonly streamPrefix?: string;
}

export interface SubscribeAllOptions {
  readonly after?: string | null;
  /** Aborting ends the iteration cleanly. */
  readonly signal?: AbortSignal;
}

export interface EngineHealth {
  readonly engine: string;
  readonly status: 'up' | 'down';
  readonly detail?: string;
}

export interface EventStore {
  append(streamId: string, events: readonly NewEvent[], options: { expectedRevision: ExpectedRevision }): Promise<AppendResult>;
  /** Returns [] for a stream that does not exist. */
  readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;
  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]>;
  /**
   * The events at these positions, in the order asked (at most MAX_POSITIONS_PER_READ); null where no event is.
   * For a page of events found through a read model: one lookup each in the log's own order, one round trip
   * where the engine allows it. A malformed position throws, as everywhere.
   */
  readEventsAt(positions: readonly string[]): Promise<(RecordedEvent | null)[]>;
  /** Catch-up from `after`, then live, in commit order, until the signal aborts. */
  subscribeAll(options?: SubscribeAllOptions): AsyncIterable<RecordedEvent>;
  /** Position of the newest event, or null for an empty store. */
  headPosition(): Promise<string | null>;
  health(): Promise<EngineHealth>;
  close(): Promise<void>;
}

export const EVENT_STORE = Symbol('EventStore');

export class WrongExpectedRevisionError extends Error {
  override readonly name = 'WrongExpectedRevisionError';
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedRevision,
    /** Current revision, or 'no_stream' when the stream does not exist. */
    readonly actual: number | 'no_stream',
  ) {
    super(`Stream ${streamId}: expected revision ${String(expected)}, actual ${String(actual)}`);
  }
}

/** An event id already stored in another stream, or a partial retry of an earlier append. */
export class DuplicateEventIdError extends Error {
  override readonly name = 'DuplicateEventIdError';
  constructor(readonly eventId: string, readonly streamId: string) {
    super(`Event ${eventId} is already stored and does not match this append to ${streamId}`);
  }
}

export function comparePositions(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The lowest of the positions, or null if any is null (not reached yet) or there are none. */
export function lowestPosition(positions: Iterable<string | null>): string | null {
  let lowest: string | null = null;
  for (const position of positions) {
    if (position === null) return null;
    if (lowest === null || comparePositions(position, lowest) < 0) lowest = position;
  }
  return lowest;
}

export function maxPosition(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  if (b === null) return a;
  return comparePositions(a, b) >= 0 ? a : b;
}
