import type {
  DocumentCrossReferenced,
  DocumentDisposed,
  DocumentEvent,
  DocumentFiled,
  DocumentLegalHoldPlaced,
  DocumentLegalHoldReleased,
  DocumentVersionAdded,
  PaperLocation,
  StoredContent,
} from '../documents/document';
import type { RetentionPeriod } from '../documents/retention';
import { EARLIER, people } from './fixtures';

export const DOCUMENT_ID = 'doc-1';
export const OTHER_DOCUMENT_ID = 'doc-2';
export const DOCUMENT_PRODUCT_ID = 'product-kettle';

/** A hash for each label, so a spec can tell versions apart at a glance. */
/** Labels are hex digits (a–f, 0–9), so the hash is a well-formed SHA-256 digest. */
export const hashOf = (label: string): string => label.repeat(64).slice(0, 64);

export const content = (label = 'a', overrides: Partial<StoredContent> = {}): StoredContent => ({
  contentHash: hashOf(label),
  size: 1024,
  mediaType: 'application/pdf',
  fileName: `contract-${label}.pdf`,
  ...overrides,
});

export const LOCATION: PaperLocation = { site: 'Lyon', cabinet: 'C-7', box: '12' };

export const TEN_YEARS: RetentionPeriod = { years: 10, months: 0, days: 0 };
export const NO_RETENTION: RetentionPeriod = { years: 0, months: 0, days: 0 };

export const documentFiled = (data: Partial<DocumentFiled['data']> = {}): DocumentFiled => ({
  type: 'DocumentFiled',
  data: {
    documentId: DOCUMENT_ID,
    medium: 'electronic',
    documentClass: 'contract',
    title: 'Supply contract',
    author: 'Legal department',
    documentDate: '2025-02-27',
    tags: ['supplier'],
    content: content('a'),
    location: null,
    retainUntil: '2035-03-01T08:00:00.000Z',
    recordOf: null,
    filedBy: people.coordinator.id,
    filedAt: EARLIER,
    ...data,
  },
});

export const paperDocumentFiled = (data: Partial<DocumentFiled['data']> = {}): DocumentFiled =>
  documentFiled({ medium: 'paper', content: null, location: LOCATION, ...data });

export const versionAdded = (version: number, label: string): DocumentVersionAdded => ({
  type: 'DocumentVersionAdded',
  data: { documentId: DOCUMENT_ID, version, content: content(label), location: null, note: null, addedBy: people.coordinator.id, addedAt: EARLIER },
});

export const documentCrossReferenced = (data: Partial<DocumentCrossReferenced['data']> = {}): DocumentCrossReferenced => ({
  type: 'DocumentCrossReferenced',
  data: {
    documentId: DOCUMENT_ID,
    targetType: 'product',
    targetId: DOCUMENT_PRODUCT_ID,
    relation: 'refers_to',
    referencedBy: people.coordinator.id,
    referencedAt: EARLIER,
    ...data,
  },
});

export const ADMIN = { id: 'user-admin', roles: ['admin'] } as const;

export const holdPlaced = (caseId: string): DocumentLegalHoldPlaced => ({
  type: 'DocumentLegalHoldPlaced',
  data: { documentId: DOCUMENT_ID, caseId, reason: 'Litigation', placedBy: ADMIN.id, placedAt: EARLIER },
});

export const holdReleased = (caseId: string): DocumentLegalHoldReleased => ({
  type: 'DocumentLegalHoldReleased',
  data: { documentId: DOCUMENT_ID, caseId, reason: 'Settled', releasedBy: ADMIN.id, releasedAt: EARLIER },
});

export const documentDisposed = (): DocumentDisposed => ({
  type: 'DocumentDisposed',
  data: {
    documentId: DOCUMENT_ID,
    reason: 'Retention over',
    retentionEndedAt: EARLIER,
    contentRemoved: [{ version: 1, contentHash: hashOf('a') }],
    disposedBy: ADMIN.id,
    disposedAt: EARLIER,
  },
});

/** A filed electronic contract whose retention already ended. */
export const expiredDocument = (): DocumentEvent[] => [documentFiled({ retainUntil: EARLIER })];
