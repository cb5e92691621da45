import { COORDINATOR_ID, PRODUCT_ID, CHANGE_REQUEST_ID, productRegistered, productStream } from '../testing/domain-events';
import {
  ADMIN_ID,
  DOCUMENT_ID,
  HASH_A,
  HASH_B,
  documentContentRetrieved,
  documentCrossReferenced,
  documentDisposed,
  documentFiled,
  documentStream,
  documentVersionAdded,
  legalHoldPlaced,
  legalHoldReleased,
  referencesChangeRequest,
} from '../testing/document-events';
import { EventLog, minutesAfterEpoch, projectDocument, projectEvents } from '../testing/recorded';
import { documentDetailsProjection, evolveDocumentDetails } from './document-details.projection';

const stream = documentStream(DOCUMENT_ID);

describe('document details projection', () => {
  it('shows a filed document with its first version, title words and retention', () => {
    const log = new EventLog();
    log.append(stream, documentFiled());

    expect(projectDocument(documentDetailsProjection, log.events, DOCUMENT_ID)).toEqual({
      id: DOCUMENT_ID,
      medium: 'electronic',
      documentClass: 'contract',
      title: 'Supply contract — Prüfbericht 2025',
      titleWords: ['supply', 'contract', 'prufbericht', '2025'],
      author: 'Legal',
      documentDate: '2025-03-01',
      tags: ['supplier', 'eu'],
      status: 'filed',
      filedBy: COORDINATOR_ID,
      filedAt: '2025-03-14T09:00:00.000Z',
      retainUntil: '2035-03-14T09:00:00.000Z',
      recordOf: null,
      latestVersion: 1,
      versions: [
        { version: 1, contentHash: HASH_A, size: 10, mediaType: 'application/pdf', fileName: 'contract.pdf', location: null, note: null, addedBy: COORDINATOR_ID, addedAt: '2025-03-14T09:00:00.000Z' },
      ],
      references: [],
      productIds: [],
      changeRequestIds: [],
      holds: [],
      releasedHolds: [],
      disposal: null,
      retrievalCount: 0,
      lastRetrievedAt: null,
      revision: 0,
      updatedAt: minutesAfterEpoch(1),
    });
  });

  it('follows versions, references, retrievals, holds and disposal', () => {
    const log = new EventLog();
    log.append(stream, documentFiled());
    log.append(stream, documentVersionAdded());
    log.append(stream, documentCrossReferenced());
    log.append(stream, referencesChangeRequest());
    log.append(stream, documentContentRetrieved({ retrievedAt: '2025-03-15T00:00:00.000Z' }));
    log.append(stream, legalHoldPlaced('CASE-A'));
    log.append(stream, legalHoldPlaced('CASE-B'));
    log.append(stream, legalHoldReleased('CASE-A'), { actorId: ADMIN_ID });
    const held = projectDocument(documentDetailsProjection, log.events, DOCUMENT_ID)!;
    expect(held).toMatchObject({
      latestVersion: 2,
      productIds: [PRODUCT_ID],
      changeRequestIds: [CHANGE_REQUEST_ID],
      retrievalCount: 1,
      lastRetrievedAt: '2025-03-15T00:00:00.000Z',
      holds: [{ caseId: 'CASE-B' }],
      releasedHolds: [{ caseId: 'CASE-A', releaseReason: 'Settled', releasedBy: ADMIN_ID }],
      revision: 7,
    });
    expect(held.versions.map((version) => [version.version, version.contentHash, version.note])).toEqual([
      [1, HASH_A, null],
      [2, HASH_B, 'Signed'],
    ]);
    expect(held.references.map(({ targetType, relation }) => [targetType, relation])).toEqual([
      ['product', 'refers_to'],
      ['change_request', 'supports'],
    ]);

    log.append(stream, legalHoldReleased('CASE-B'));
    log.append(stream, documentDisposed());
    expect(projectDocument(documentDetailsProjection, log.events, DOCUMENT_ID)).toMatchObject({
      status: 'disposed',
      holds: [],
      disposal: { reason: 'Retention over', disposedBy: ADMIN_ID },
      // The record of what existed stays.
      versions: [{ contentHash: HASH_A }, { contentHash: HASH_B }],
    });
  });

  it('ignores an event replayed onto the document', () => {
    const log = new EventLog();
    log.append(stream, documentFiled());
    const retrieved = log.append(stream, documentContentRetrieved());
    const once = projectDocument(documentDetailsProjection, log.events, DOCUMENT_ID)!;
    expect(evolveDocumentDetails(once, retrieved)).toBe(once);
  });

  it('keeps only document streams', () => {
    const log = new EventLog();
    log.append(productStream(PRODUCT_ID), productRegistered());
    expect(projectEvents(documentDetailsProjection, log.events).size).toBe(0);
  });
});
