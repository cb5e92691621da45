import { randomUUID } from 'node:crypto';
import { EVENT_SCHEMA_VERSIONS, isDomainEventType } from '@pc/domain';
import type { NewEvent, RecordedEvent } from '@pc/event-store';
import type { Document } from '@pc/read-store';
import type { Projection } from '../projection';

/**
 * Fixtures for stored events. Specs describe the domain event and, at most, who did it; the
 * envelope (revision, position, times, hashes) is filled in the way a store would.
 */

/** Every fixture time is counted from here, so expected values can be written out literally. */
export const FIXTURE_EPOCH = '2025-03-14T09:00:00.000Z';
export const DEFAULT_ACTOR_ID = 'user-coordinator';

/** The SQLite engine's position format: 16 digits, zero-padded, so string order is commit order. */
export const positionOf = (n: number): string => String(n).padStart(16, '0');

/** FIXTURE_EPOCH plus `minutes` whole minutes, ISO 8601. */
export const minutesAfterEpoch = (minutes: number): string => new Date(Date.parse(FIXTURE_EPOCH) + minutes * 60_000).toISOString();

/** What a spec may want to say about the envelope; everything else gets a predictable default. */
export interface EnvelopeOverrides {
  readonly eventId?: string;
  readonly schemaVersion?: number;
  readonly actorId?: string;
  readonly roles?: readonly string[];
  readonly correlationId?: string;
  readonly causationId?: string | null;
  readonly occurredAt?: string;
  readonly recordedAt?: string;
}

export interface Placement {
  readonly streamId: string;
  readonly revision: number;
  /** The position as a number; stored as the engine's padded string. */
  readonly position: number;
  readonly previousHash?: string | null;
}

interface EventBody {
  readonly type: string;
  readonly data: unknown;
}

const schemaVersionOf = (type: string): number => (isDomainEventType(type) ? EVENT_SCHEMA_VERSIONS[type] : 1);

/**
 * One stored event. Defaults: the event happened `position` minutes after the epoch and was
 * recorded 250 ms later (so a spec can tell occurredAt from recordedAt), by the coordinator.
 */
export function recorded<Event extends EventBody>(
  event: Event,
  { streamId, revision, position, previousHash = null, ...envelope }: Placement & EnvelopeOverrides,
): RecordedEvent<Event['type'], Event['data']> {
  const occurredAt = envelope.occurredAt ?? minutesAfterEpoch(position);
  return {
    eventId: envelope.eventId ?? `event-${position}`,
    type: event.type,
    schemaVersion: envelope.schemaVersion ?? schemaVersionOf(event.type),
    data: event.data,
    metadata: {
      actor: { id: envelope.actorId ?? DEFAULT_ACTOR_ID, roles: envelope.roles ?? ['coordinator'] },
      correlationId: envelope.correlationId ?? `correlation-${position}`,
      causationId: envelope.causationId ?? null,
      occurredAt,
    },
    streamId,
    revision,
    position: positionOf(position),
    recordedAt: envelope.recordedAt ?? new Date(Date.parse(occurredAt) + 250).toISOString(),
    hash: `hash-${position}`,
    previousHash,
  };
}

/**
 * An in-memory log that places events as a store would: positions rise across the log from 1,
 * revisions rise per stream from 0, and each event's previousHash is its stream's last hash.
 */
export class EventLog {
  readonly events: RecordedEvent[] = [];
  private readonly streams = new Map<string, { revision: number; hash: string }>();

  append<Event extends EventBody>(streamId: string, event: Event, envelope: EnvelopeOverrides = {}): RecordedEvent<Event['type'], Event['data']> {
    const last = this.streams.get(streamId);
    const stored = recorded(event, {
      ...envelope,
      streamId,
      revision: last ? last.revision + 1 : 0,
      position: this.events.length + 1,
      previousHash: last?.hash ?? null,
    });
    this.streams.set(streamId, { revision: stored.revision, hash: stored.hash });
    this.events.push(stored);
    return stored;
  }
}

/** The same event ready to append to a real store, with a fresh id. */
export function toNewEvent<Event extends EventBody>(
  event: Event,
  { actorId = DEFAULT_ACTOR_ID, roles = ['coordinator'], correlationId, causationId = null, occurredAt }: EnvelopeOverrides = {},
): NewEvent<Event['type'], Event['data']> {
  return {
    eventId: randomUUID(),
    type: event.type,
    schemaVersion: schemaVersionOf(event.type),
    data: event.data,
    metadata: { actor: { id: actorId, roles }, correlationId: correlationId ?? randomUUID(), causationId, occurredAt: occurredAt ?? FIXTURE_EPOCH },
  };
}

/**
 * Folds a projection over events in memory, the way the projector does: each event goes to every
 * document it names, in order; a document evolved to null is removed. Returns documents by id.
 */
export function projectEvents<Doc extends Document>(
  projection: Projection<Doc>,
  events: Iterable<RecordedEvent>,
  documents: ReadonlyMap<string, Doc> = new Map(),
): Map<string, Doc> {
  const result = new Map(documents);
  for (const event of events) {
    for (const id of projection.documentIds(event)) {
      const next = projection.evolve(result.get(id) ?? null, event, id);
      if (next === null) result.delete(id);
      else result.set(id, next);
    }
  }
  return result;
}

/** The one document a projection keeps under `id` after the events, or null. */
export const projectDocument = <Doc extends Document>(projection: Projection<Doc>, events: Iterable<RecordedEvent>, id: string): Doc | null =>
  projectEvents(projection, events).get(id) ?? null;
