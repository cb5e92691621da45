import { isDomainEventType, type AnyDomainEvent } from '@pc/domain';
import type { RecordedEvent } from '@pc/event-store';
import type { CollectionDefinition, Document } from '@pc/read-store';

/**
 * A read model as a pure function of the events: which documents an event touches, and how it
 * changes one. The projector applies it and moves its checkpoint in the same commit.
 */
export interface Projection<Doc extends Document = Document> {
  readonly name: string;
  readonly collection: CollectionDefinition;
  /**
   * `false` declares that evolve never looks at the stored document: each event builds its documents
   * whole (e.g. one audit entry per event). The projector then passes null instead of reading the
   * stored one (or, within a batch, what an earlier event of the batch made of it). Omitted: it reads.
   * Only declare it when evolve's result is the same whatever document it is given.
   */
  readonly readsDocument?: false;
  /**
   * `'stream'` declares that each document belongs to one stream (documentIds names the stream's entity) and only
   * that stream's events touch it: the stream's first event then finds none stored, so the projector does not look
   * (docs/performance.md, d: most lookups of a catch-up were for documents that did not exist yet).
   */
  readonly documentScope?: 'stream';
  documentIds(event: RecordedEvent): readonly string[];
  /**
   * `id` is the one documentIds named (the projector always passes it): a projection keeping
   * several documents per event needs it to build a new one.
   */
  evolve(document: Doc | null, event: RecordedEvent, id?: string): Doc | null;
}

/** A stored event whose type and payload are one of the domain's, typed as such. */
export type ProjectedEvent = RecordedEvent & AnyDomainEvent;

export const asDomainEvent = (event: RecordedEvent): ProjectedEvent | null =>
  isDomainEventType(event.type) ? (event as ProjectedEvent) : null;

const STREAM_CATEGORIES = ['change-request', 'notification', 'document', 'product', 'plan'] as const;
export type StreamCategory = (typeof STREAM_CATEGORIES)[number];
/**
 * Each category's stream-id prefix, made once: every projection names its documents for every event of a catch-up.
 * No prefix begins another, so a stream belongs to the one category whose prefix it starts with.
 */
const STREAM_PREFIXES = STREAM_CATEGORIES.map((category) => ({ category, prefix: `${category}-` }));
const PREFIX_OF = Object.fromEntries(STREAM_PREFIXES.map(({ category, prefix }) => [category, prefix])) as Record<StreamCategory, string>;

/** `change-request-<id>` → { category: 'change-request', entityId: '<id>' }. */
export function parseStreamId(streamId: string): { category: string; entityId: string } {
  for (const { category, prefix } of STREAM_PREFIXES) {
    if (streamId.startsWith(prefix)) return { category, entityId: streamId.slice(prefix.length) };
  }
  const dash = streamId.indexOf('-');
  return dash < 0 ? { category: streamId, entityId: streamId } : { category: streamId.slice(0, dash), entityId: streamId.slice(dash + 1) };
}

/** The entity id of a stream in `category`, as the ids a one-document-per-entity projection touches: none for other streams. */
export function entityIdsIn(category: StreamCategory, streamId: string): string[] {
  const prefix = PREFIX_OF[category];
  if (streamId.startsWith(prefix)) return [streamId.slice(prefix.length)];
  // As parseStreamId reads it: a stream id without a dash is its own category and entity.
  return streamId === category && !streamId.includes('-') ? [streamId] : [];
}

/**
 * How a projection keeps one document per stream of `category`, named by the stream's entity id and touched by that
 * stream's events only: its documentIds, and the documentScope that lets the projector skip the lookup for a
 * stream's first event. One declaration, so the two cannot disagree.
 */
export function oneDocumentPerStream(category: StreamCategory): Pick<Projection, 'documentScope' | 'documentIds'> {
  return { documentScope: 'stream', documentIds: (event) => entityIdsIn(category, event.streamId) };
}
