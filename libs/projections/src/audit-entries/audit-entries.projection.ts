import type { Actor, RecordedEvent } from '@pc/event-store';
import { parseStreamId, type Projection } from '../projection';

/**
 * The index of the audit trail: one entry per stored event, whatever its type, keyed by the event's position in the
 * log, holding what an auditor filters by and where the event lies (stream and revision). The event itself is not
 * copied: the audit query reads it from the log, which is the record of what happened (docs/performance.md, d:
 * copying every event into the read store was most of a catch-up's work and of the read store's size).
 */
export interface AuditEntry {
  /** The event's position: the key is the log's order, so every index of the entries ends in it. */
  readonly id: string;
  readonly eventId: string;
  readonly streamId: string;
  readonly revision: number;
  readonly entityId: string;
  readonly type: string;
  readonly actorId: string;
  readonly recordedAt: string;
  [key: string]: unknown;
}

/** What the audit trail shows of one event: its envelope, its actor and its payload, as the log holds them. */
export interface AuditRecord {
  readonly position: string;
  readonly eventId: string;
  readonly type: string;
  readonly schemaVersion: number;
  readonly streamId: string;
  readonly entityId: string;
  readonly revision: number;
  readonly actor: Actor;
  readonly occurredAt: string;
  readonly recordedAt: string;
  readonly correlationId: string;
  readonly causationId: string | null;
  readonly hash: string;
  readonly data: unknown;
}

/**
 * Entries keyed by position (docs/performance.md, d): the primary key is the order of the log and each index is the
 * filtered field followed by that key, one index and one key column fewer than when entries were keyed by event id
 * (projection `audit-entries`, collection `audit_entries`, which a read store written by an earlier version still
 * holds, unused; it may be dropped).
 */
export const AUDIT_ENTRIES_COLLECTION = 'audit_index';

export const auditEntriesProjection: Projection<AuditEntry> = {
  name: 'audit-index',
  collection: {
    name: AUDIT_ENTRIES_COLLECTION,
    // Each index ends with the id, the position, so every filter comes out in the order of the log.
    indexes: [{ fields: ['entityId'] }, { fields: ['actorId'] }, { fields: ['type'] }, { fields: ['recordedAt'] }],
  },
  // One new entry per event, never a function of a stored one: the projector need not read it.
  readsDocument: false,
  documentIds: (event) => [event.position],
  evolve: (_document, event) => ({
    id: event.position,
    eventId: event.eventId,
    streamId: event.streamId,
    revision: event.revision,
    entityId: parseStreamId(event.streamId).entityId,
    type: event.type,
    actorId: event.metadata.actor.id,
    recordedAt: event.recordedAt,
  }),
};

/** The audit record of an event read back from the log. */
export function auditRecordOf(event: RecordedEvent): AuditRecord {
  return {
    position: event.position,
    eventId: event.eventId,
    type: event.type,
    schemaVersion: event.schemaVersion,
    streamId: event.streamId,
    entityId: parseStreamId(event.streamId).entityId,
    revision: event.revision,
    actor: event.metadata.actor,
    occurredAt: event.metadata.occurredAt,
    recordedAt: event.recordedAt,
    correlationId: event.metadata.correlationId,
    causationId: event.metadata.causationId,
    hash: event.hash,
    data: event.data,
  };
}
