import type {
  ChangeRequestRecordSource,
  DocumentClass,
  DocumentMedium,
  PaperLocation,
  ReferenceRelation,
  ReferenceTargetType,
} from '@pc/domain';
import type { RecordedEvent } from '@pc/event-store';
import { titleWords } from '../document-search/title-words';
import { asDomainEvent, oneDocumentPerStream, type Projection } from '../projection';

export interface DocumentVersionView {
  readonly version: number;
  readonly contentHash: string | null;
  readonly size: number | null;
  readonly mediaType: string | null;
  readonly fileName: string | null;
  readonly location: PaperLocation | null;
  readonly note: string | null;
  readonly addedBy: string;
  readonly addedAt: string;
}

export interface DocumentReferenceView {
  readonly targetType: ReferenceTargetType;
  readonly targetId: string;
  readonly relation: ReferenceRelation;
  readonly referencedBy: string;
  readonly referencedAt: string;
}

export interface LegalHoldView {
  readonly caseId: string;
  readonly reason: string;
  readonly placedBy: string;
  readonly placedAt: string;
}

export interface ReleasedLegalHoldView extends LegalHoldView {
  readonly releaseReason: string;
  readonly releasedBy: string;
  readonly releasedAt: string;
}

export interface DocumentDetails {
  readonly id: string;
  readonly medium: DocumentMedium;
  readonly documentClass: DocumentClass;
  readonly title: string;
  readonly titleWords: readonly string[];
  readonly author: string;
  readonly documentDate: string;
  readonly tags: readonly string[];
  readonly status: 'filed' | 'disposed';
  readonly filedBy: string;
  readonly filedAt: string;
  readonly retainUntil: string;
  readonly recordOf: ChangeRequestRecordSource | null;
  readonly latestVersion: number;
  readonly versions: readonly DocumentVersionView[];
  /** What this document references; what references it is in `document_references`. */
  readonly references: readonly DocumentReferenceView[];
  readonly productIds: readonly string[];
  readonly changeRequestIds: readonly string[];
  readonly holds: readonly LegalHoldView[];
  readonly releasedHolds: readonly ReleasedLegalHoldView[];
  readonly disposal: { readonly reason: string; readonly disposedBy: string; readonly disposedAt: string; readonly retentionEndedAt: string } | null;
  readonly retrievalCount: number;
  readonly lastRetrievedAt: string | null;
  readonly revision: number;
  readonly updatedAt: string;
  [key: string]: unknown;
}

export const DOCUMENTS_COLLECTION = 'documents';

export function evolveDocumentDetails(document: DocumentDetails | null, recorded: RecordedEvent): DocumentDetails | null {
  const event = asDomainEvent(recorded);
  // Built to a revision, so an event replayed onto the document changes nothing.
  if (!event || (document && recorded.revision <= document.revision)) return document;
  const touched = { revision: recorded.revision, updatedAt: recorded.metadata.occurredAt };
  if (event.type === 'DocumentFiled') {
    const { data } = event;
    return {
      id: data.documentId,
      medium: data.medium,
      documentClass: data.documentClass,
      title: data.title,
      titleWords: titleWords(data.title),
      author: data.author,
      documentDate: data.documentDate,
      tags: data.tags,
      status: 'filed',
      filedBy: data.filedBy,
      filedAt: data.filedAt,
      retainUntil: data.retainUntil,
      recordOf: data.recordOf,
      latestVersion: 1,
      versions: [
        {
          version: 1,
          contentHash: data.content?.contentHash ?? null,
          size: data.content?.size ?? null,
          mediaType: data.content?.mediaType ?? null,
          fileName: data.content?.fileName ?? null,
          location: data.location,
          note: null,
          addedBy: data.filedBy,
          addedAt: data.filedAt,
        },
      ],
      references: [],
      productIds: [],
      changeRequestIds: [],
      holds: [],
      releasedHolds: [],
      disposal: null,
      retrievalCount: 0,
      lastRetrievedAt: null,
      ...touched,
    };
  }
  if (!document) return document;
  switch (event.type) {
    case 'DocumentVersionAdded': {
      const { version, content, location, note, addedBy, addedAt } = event.data;
      const view: DocumentVersionView = {
        version,
        contentHash: content?.contentHash ?? null,
        size: content?.size ?? null,
        mediaType: content?.mediaType ?? null,
        fileName: content?.fileName ?? null,
        location,
        note,
        addedBy,
        addedAt,
      };
      return { ...document, ...touched, latestVersion: version, versions: [...document.versions, view] };
    }
    case 'DocumentCrossReferenced': {
      const { targetType, targetId, relation, referencedBy, referencedAt } = event.data;
      const addTo = (ids: readonly string[], type: ReferenceTargetType) => (targetType === type && !ids.includes(targetId) ? [...ids, targetId] : ids);
      return {
        ...document,
        ...touched,
        references: [...document.references, { targetType, targetId, relation, referencedBy, referencedAt }],
        productIds: addTo(document.productIds, 'product'),
        changeRequestIds: addTo(document.changeRequestIds, 'change_request'),
      };
    }
    case 'DocumentContentRetrieved':
      return { ...document, ...touched, retrievalCount: document.retrievalCount + 1, lastRetrievedAt: event.data.retrievedAt };
    case 'DocumentLegalHoldPlaced': {
      const { caseId, reason, placedBy, placedAt } = event.data;
      return { ...document, ...touched, holds: [...document.holds, { caseId, reason, placedBy, placedAt }] };
    }
    case 'DocumentLegalHoldReleased': {
      const { caseId, reason, releasedBy, releasedAt } = event.data;
      const released = document.holds.find((hold) => hold.caseId === caseId);
      return {
        ...document,
        ...touched,
        holds: document.holds.filter((hold) => hold.caseId !== caseId),
        releasedHolds: released ? [...document.releasedHolds, { ...released, releaseReason: reason, releasedBy, releasedAt }] : document.releasedHolds,
      };
    }
    case 'DocumentDisposed': {
      const { reason, disposedBy, disposedAt, retentionEndedAt } = event.data;
      return { ...document, ...touched, status: 'disposed', disposal: { reason, disposedBy, disposedAt, retentionEndedAt } };
    }
    default:
      return document;
  }
}

export const documentDetailsProjection: Projection<DocumentDetails> = {
  name: 'document-details',
  collection: {
    name: DOCUMENTS_COLLECTION,
    indexes: [{ fields: ['documentDate'] }, { fields: ['documentClass', 'documentDate'] }, { fields: ['status', 'documentDate'] }, { fields: ['filedAt'] }],
  },
  ...oneDocumentPerStream('document'),
  evolve: evolveDocumentDetails,
};
