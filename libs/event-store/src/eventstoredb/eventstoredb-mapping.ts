import {
  ANY,
  ErrorType,
  NO_STREAM,
  jsonEvent,
  type AppendExpectedRevision,
  type CurrentRevision,
  type EventData,
  type JSONType,
  type Position,
} from '@eventstore/db-client';
import {
  WrongExpectedRevisionError,
  type Actor,
  type EventMetadata,
  type ExpectedRevision,
  type NewEvent,
  type RecordedEvent,
} from '../event-store.port';
import { refuseNonFiniteNumbers } from '../adapter-checks';

/**
 * Pure translations between the port's types and the EventStoreDB client's, kept apart from
 * the adapter so they are testable without a server.
 */

const POSITION_DIGITS = 20;
const MAX_LOG_POSITION = 2n ** 64n - 1n;
const POSITION_PATTERN = /^(\d{20})-(\d{20})$/;

/**
 * `<commit>-<prepare>`, each zero-padded to 20 digits (the width of an unsigned 64-bit number),
 * so that comparing the strings compares (commit, prepare) as numbers.
 */
export function toEventStoreDbPosition(position: Position): string {
  return `${padLogPosition(position.commit, 'commit')}-${padLogPosition(position.prepare, 'prepare')}`;
}

export function fromEventStoreDbPosition(position: string): Position {
  const match = POSITION_PATTERN.exec(position);
  if (!match) {
    throw new InvalidEventStoreDbPositionError(position);
  }
  const commit = BigInt(match[1]);
  const prepare = BigInt(match[2]);
  if (commit > MAX_LOG_POSITION || prepare > MAX_LOG_POSITION) {
    throw new InvalidEventStoreDbPositionError(position);
  }
  return { commit, prepare };
}

export class InvalidEventStoreDbPositionError extends Error {
  override readonly name = 'InvalidEventStoreDbPositionError';
  constructor(readonly position: string) {
    super(`"${position}" is not an EventStoreDB position: expected <commit>-<prepare>, two 20-digit numbers`);
  }
}

function padLogPosition(value: bigint, part: 'commit' | 'prepare'): string {
  if (value < 0n || value > MAX_LOG_POSITION) {
    throw new RangeError(`EventStoreDB ${part} position ${value} is outside the unsigned 64-bit range`);
  }
  return value.toString(10).padStart(POSITION_DIGITS, '0');
}

export function toAppendExpectedRevision(expected: ExpectedRevision): AppendExpectedRevision {
  if (expected === 'any') return ANY;
  if (expected === 'no_stream') return NO_STREAM;
  if (!Number.isSafeInteger(expected) || expected < 0) {
    throw new RangeError(`Expected revision must be a non-negative integer, 'no_stream' or 'any', got ${expected}`);
  }
  return BigInt(expected);
}

export function fromCurrentRevision(current: CurrentRevision): number | 'no_stream' {
  return current === NO_STREAM ? 'no_stream' : Number(current);
}

/** The shape of the client's WrongExpectedVersionError that the mapping relies on. */
interface WrongExpectedVersionLike {
  readonly type: ErrorType.WRONG_EXPECTED_VERSION;
  readonly actualVersion: CurrentRevision;
}

export function isWrongExpectedVersionError(error: unknown): error is WrongExpectedVersionLike {
  return typeof error === 'object' && error !== null && (error as { type?: unknown }).type === ErrorType.WRONG_EXPECTED_VERSION;
}

export function isStreamNotFoundError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { type?: unknown }).type === ErrorType.STREAM_NOT_FOUND;
}

/** Turns the client's concurrency failure into the port's; any other error passes through unchanged. */
export function toPortAppendError(error: unknown, streamId: string, expected: ExpectedRevision): unknown {
  if (!isWrongExpectedVersionError(error)) return error;
  return new WrongExpectedRevisionError(streamId, expected, fromCurrentRevision(error.actualVersion));
}

/**
 * Metadata as stored in EventStoreDB: correlation and causation under the server's `$` names
 * (its projections and UI understand those), the rest of the port's fields under plain names.
 */
export interface EventStoreDbEventMetadata {
  readonly $correlationId: string;
  readonly $causationId?: string;
  readonly actor: Actor;
  readonly schemaVersion: number;
  readonly occurredAt: string;
  readonly idempotencyKey?: string;
  readonly requestHash?: string;
  readonly recordedAt: string;
  readonly hash: string;
  readonly previousHash: string | null;
}

/** What the adapter adds to an event when it appends it: the store's clock and the hash chain. */
export interface ChainFields {
  readonly recordedAt: string;
  readonly hash: string;
  readonly previousHash: string | null;
}

export function toStoredMetadata(event: NewEvent, chain: ChainFields): EventStoreDbEventMetadata {
  const { correlationId, causationId, ...rest } = event.metadata;
  return {
    ...rest,
    $correlationId: correlationId,
    ...(causationId !== null && causationId !== undefined ? { $causationId: causationId } : {}),
    schemaVersion: event.schemaVersion,
    recordedAt: chain.recordedAt,
    hash: chain.hash,
    previousHash: chain.previousHash,
  };
}

export function fromStoredMetadata(stored: EventStoreDbEventMetadata): EventMetadata {
  const { $correlationId, $causationId, schemaVersion, recordedAt, hash, previousHash, ...rest } = stored;
  return { ...rest, correlationId: $correlationId, causationId: $causationId ?? null };
}

/**
 * The event exactly as a reader will get it back: data and metadata through JSON and the stored
 * metadata layout. Hashing this form makes every stored hash verifiable from what is read.
 * Throws a TypeError for values JSON cannot carry faithfully (NaN, Infinity, bigint).
 */
export function readBackForm(event: NewEvent): NewEvent {
  const placeholder: ChainFields = { recordedAt: '', hash: '', previousHash: null };
  const storedMetadata = throughJson(toStoredMetadata(event, placeholder), 'metadata', event.eventId) as EventStoreDbEventMetadata;
  return {
    eventId: event.eventId,
    type: event.type,
    schemaVersion: event.schemaVersion,
    data: throughJson(event.data, 'data', event.eventId),
    metadata: fromStoredMetadata(storedMetadata),
  };
}

function throughJson(value: unknown, field: string, eventId: string): unknown {
  let text: string | undefined;
  try {
    text = JSON.stringify(value, refuseNonFiniteNumbers);
  } catch (error) {
    throw new TypeError(`Event ${eventId}: ${field} cannot be stored as JSON: ${(error as Error).message}`);
  }
  return text === undefined ? null : (JSON.parse(text) as unknown);
}

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * EventStoreDB keeps event ids as UUIDs and returns them in lower case, so ids are lower-cased
 * before hashing and storing: the id read back then matches the one the hash covers.
 */
export function normalizeEventId(eventId: string): string {
  if (!UUID_PATTERN.test(eventId)) {
    throw new TypeError(`EventStoreDB event ids must be UUIDs, got "${eventId}"`);
  }
  return eventId.toLowerCase();
}

/** Our event id always goes to the server, so a retried append is recognised as the same events. */
export function toEventData(event: NewEvent, chain: ChainFields): EventData {
  const readBack = readBackForm(event);
  return jsonEvent({
    id: normalizeEventId(event.eventId),
    type: event.type,
    // The client serializes any JSON value; its type only names the common shapes.
    data: readBack.data as JSONType,
    metadata: toStoredMetadata(readBack, chain) as unknown as JSONType,
  });
}

/** The part of the client's ResolvedEvent / AllStreamResolvedEvent that the mapping reads. */
export interface EventStoreDbResolvedEvent {
  readonly event?: {
    readonly streamId: string;
    readonly id: string;
    readonly revision: bigint;
    readonly type: string;
    readonly isJson: boolean;
    readonly data: unknown;
    readonly metadata?: unknown;
    readonly position?: Position;
  };
}

/** Events the port does not show: the server's own (`$`-prefixed types such as links and metadata, or `$`-prefixed streams). */
export function isHiddenEvent(resolved: EventStoreDbResolvedEvent): boolean {
  const event = resolved.event;
  return event === undefined || event.type.startsWith('$') || event.streamId.startsWith('$');
}

/** What readAll hands over: events the port shows, of the streams `streamPrefix` names (every stream without one). */
export function isReadAllMatch(resolved: EventStoreDbResolvedEvent, streamPrefix: string | undefined): boolean {
  return !isHiddenEvent(resolved) && (streamPrefix === undefined || resolved.event!.streamId.startsWith(streamPrefix));
}

export class ForeignEventError extends Error {
  override readonly name = 'ForeignEventError';
  constructor(readonly streamId: string, readonly revision: bigint, reason: string) {
    super(`Event ${revision} of stream ${streamId} was not written by this event store: ${reason}`);
  }
}

export function toRecordedEvent(resolved: EventStoreDbResolvedEvent): RecordedEvent {
  const event = resolved.event;
  if (event === undefined) {
    throw new TypeError('A resolved event without an event (an unresolved link) cannot be mapped');
  }
  if (!event.isJson) {
    throw new ForeignEventError(event.streamId, event.revision, 'its content type is not JSON');
  }
  if (!isStoredMetadata(event.metadata)) {
    throw new ForeignEventError(event.streamId, event.revision, 'its metadata lacks the hash chain fields');
  }
  if (event.position === undefined || event.position.commit === MAX_LOG_POSITION) {
    // Stream reads carry the $all position only from EventStoreDB 22.6 on; older servers send none or the maximum.
    throw new Error(`EventStoreDB returned event ${event.revision} of ${event.streamId} without its position; the server must be 22.10 or later`);
  }
  const metadata = event.metadata;
  return {
    eventId: event.id,
    type: event.type,
    schemaVersion: metadata.schemaVersion,
    data: event.data,
    metadata: fromStoredMetadata(metadata),
    streamId: event.streamId,
    revision: Number(event.revision),
    position: toEventStoreDbPosition(event.position),
    recordedAt: metadata.recordedAt,
    hash: metadata.hash,
    previousHash: metadata.previousHash,
  };
}

function isStoredMetadata(value: unknown): value is EventStoreDbEventMetadata {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || value instanceof Uint8Array) return false;
  const candidate = value as Record<string, unknown>;
  return (
    typeof candidate.$correlationId === 'string' &&
    typeof candidate.actor === 'object' &&
    candidate.actor !== null &&
    typeof candidate.schemaVersion === 'number' &&
    typeof candidate.occurredAt === 'string' &&
    typeof candidate.recordedAt === 'string' &&
    typeof candidate.hash === 'string' &&
    (candidate.previousHash === null || typeof candidate.previousHash === 'string')
  );
}
