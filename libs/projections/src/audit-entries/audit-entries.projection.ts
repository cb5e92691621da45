import type { Actor } from '@pc/event-store';
import { parseStreamId, type Projection } from '../projection';

/** One entry per stored event, whatever its type: the auditor's view of the whole log. */
export interface AuditEntry {
  readonly id: string;
  readonly position: string;
  readonly eventId: string;
  readonly type: string;
  readonly schemaVersion: number;
  readonly streamId: string;
  readonly entityId: string;
  readonly revision: number;
  readonly actor: Actor;
  readonly actorId: string;
  readonly occurredAt: string;
  readonly recordedAt: string;
  readonly correlationId: string;
  readonly causationId: string | null;
  readonly hash: string;
  readonly data: unknown;
  [key: string]: unknown;
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
    eventId: event.eventId,
    type: event.type,
    schemaVersion: event.schemaVersion,
    streamId: event.streamId,
    entityId: parseStreamId(event.streamId).entityId,
    revision: event.revision,
    actor: event.metadata.actor,
    actorId: event.metadata.actor.id,
    occurredAt: event.metadata.occurredAt,
    recordedAt: event.recordedAt,
    correlationId: event.metadata.correlationId,
    causationId: event.metadata.causationId,
    hash: event.hash,
    data: event.data,
  }),
};
