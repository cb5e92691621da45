import type { Actor, RecordedEvent } from '@pc/event-store';
import { parseStreamId, type Projection } from '../projection';

/**
 * The index of the audit trail: one entry per stored event, whatever its type, holding what an auditor filters
 * and orders by and where the event lies in the log (stream and revision). The event itself is not copied: the
 * audit query reads it from the log, which is the record of what happened (docs/performance.md, d: copying every
 * event into the read store was most of a catch-up's work and of the read store's size).
 */
export interface AuditEntry {
  readonly id: string;
  readonly position: string;
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

export const AUDIT_ENTRIES_COLLECTION = 'audit_entries';

export const auditEntriesProjection: Projection<AuditEntry> = {
  name: 'audit-entries',
  collection: {
    name: AUDIT_ENTRIES_COLLECTION,
    indexes: [
      { fields: ['position'] },
      { fields: ['entityId', 'position'] },
      { fields: ['actorId', 'position'] },
      { fields: ['type', 'position'] },
      { fields: ['recordedAt'] },
    ],
  },
  // One new entry per event, never a function of a stored one: the projector need not read it.
  readsDocument: false,
  documentIds: (event) => [event.eventId],
  evolve: (_document, event) => ({
    id: event.eventId,
    position: event.position,
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
