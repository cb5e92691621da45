import type { ReferenceRelation, ReferenceTargetType } from '@pc/domain';
import { asDomainEvent, type Projection } from '../projection';

/**
 * Cross-references, one document each, so both directions are an indexed query: what a document
 * references (`documentId`), and what references a product, change request or document
 * (`targetType`, `targetId`).
 */
export interface DocumentReferenceEntry {
  readonly id: string;
  readonly documentId: string;
  readonly targetType: ReferenceTargetType;
  readonly targetId: string;
  readonly relation: ReferenceRelation;
  readonly referencedBy: string;
  readonly referencedAt: string;
  readonly position: string;
  [key: string]: unknown;
}

export const DOCUMENT_REFERENCES_COLLECTION = 'document_references';

export const documentReferenceId = (documentId: string, targetType: string, targetId: string, relation: string): string =>
  `${documentId}|${targetType}|${targetId}|${relation}`;

export const documentReferencesProjection: Projection<DocumentReferenceEntry> = {
  name: 'document-references',
  collection: {
    name: DOCUMENT_REFERENCES_COLLECTION,
    indexes: [{ fields: ['documentId', 'position'] }, { fields: ['targetType', 'targetId', 'position'] }],
  },
  documentIds: (recorded) => {
    const event = asDomainEvent(recorded);
    if (event?.type !== 'DocumentCrossReferenced') return [];
    const { documentId, targetType, targetId, relation } = event.data;
    return [documentReferenceId(documentId, targetType, targetId, relation)];
  },
  evolve: (document, recorded, id) => {
    const event = asDomainEvent(recorded);
    if (document || event?.type !== 'DocumentCrossReferenced') return document;
    const { documentId, targetType, targetId, relation, referencedBy, referencedAt } = event.data;
    return { id: id ?? documentReferenceId(documentId, targetType, targetId, relation), documentId, targetType, targetId, relation, referencedBy, referencedAt, position: recorded.position };
  },
};
