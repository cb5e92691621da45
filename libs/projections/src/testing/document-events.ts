import { toDocumentStreamId, type DomainEventOf, type DomainEventType } from '@pc/domain';
import { CHANGE_REQUEST_ID, COORDINATOR_ID, PRODUCT_ID } from './domain-events';

/** Document event fixtures with plausible defaults, typed by the domain's own payloads. */

export const DOCUMENT_ID = '5d0c1e2f-3a4b-4c5d-8e6f-7a8b9c0d1e2f';
export const OTHER_DOCUMENT_ID = '6e1d2f3a-4b5c-4d6e-9f7a-8b9c0d1e2f3a';
export const ADMIN_ID = 'user-admin';
export const documentStream = toDocumentStreamId;

type DataOf<T extends DomainEventType> = DomainEventOf<T>['data'];
const domainEvent = <T extends DomainEventType>(type: T, data: DataOf<T>): DomainEventOf<T> => ({ type, data }) as DomainEventOf<T>;

const AT = '2025-03-14T09:00:00.000Z';
export const HASH_A = 'a'.repeat(64);
export const HASH_B = 'b'.repeat(64);

export const documentFiled = (data: Partial<DataOf<'DocumentFiled'>> = {}) =>
  domainEvent('DocumentFiled', {
    documentId: DOCUMENT_ID,
    medium: 'electronic',
    documentClass: 'contract',
    title: 'Supply contract — Prüfbericht 2025',
    author: 'Legal',
    documentDate: '2025-03-01',
    tags: ['supplier', 'eu'],
    content: { contentHash: HASH_A, size: 10, mediaType: 'application/pdf', fileName: 'contract.pdf' },
    location: null,
    retainUntil: '2035-03-14T09:00:00.000Z',
    recordOf: null,
    filedBy: COORDINATOR_ID,
    filedAt: AT,
    ...data,
  });

export const documentVersionAdded = (data: Partial<DataOf<'DocumentVersionAdded'>> = {}) =>
  domainEvent('DocumentVersionAdded', {
    documentId: DOCUMENT_ID,
    version: 2,
    content: { contentHash: HASH_B, size: 12, mediaType: 'application/pdf', fileName: 'contract-signed.pdf' },
    location: null,
    note: 'Signed',
    addedBy: COORDINATOR_ID,
    addedAt: AT,
    ...data,
  });

export const documentCrossReferenced = (data: Partial<DataOf<'DocumentCrossReferenced'>> = {}) =>
  domainEvent('DocumentCrossReferenced', {
    documentId: DOCUMENT_ID,
    targetType: 'product',
    targetId: PRODUCT_ID,
    relation: 'refers_to',
    referencedBy: COORDINATOR_ID,
    referencedAt: AT,
    ...data,
  });

export const referencesChangeRequest = () => documentCrossReferenced({ targetType: 'change_request', targetId: CHANGE_REQUEST_ID, relation: 'supports' });

export const documentContentRetrieved = (data: Partial<DataOf<'DocumentContentRetrieved'>> = {}) =>
  domainEvent('DocumentContentRetrieved', { documentId: DOCUMENT_ID, version: 1, contentHash: HASH_A, purpose: 'download', retrievedBy: 'user-auditor', retrievedAt: AT, ...data });

export const legalHoldPlaced = (caseId: string) =>
  domainEvent('DocumentLegalHoldPlaced', { documentId: DOCUMENT_ID, caseId, reason: 'Dispute', placedBy: ADMIN_ID, placedAt: AT });

export const legalHoldReleased = (caseId: string) =>
  domainEvent('DocumentLegalHoldReleased', { documentId: DOCUMENT_ID, caseId, reason: 'Settled', releasedBy: ADMIN_ID, releasedAt: AT });

export const documentDisposed = () =>
  domainEvent('DocumentDisposed', {
    documentId: DOCUMENT_ID,
    reason: 'Retention over',
    retentionEndedAt: AT,
    contentRemoved: [{ version: 1, contentHash: HASH_A }],
    disposedBy: ADMIN_ID,
    disposedAt: AT,
  });
