import { PRODUCT_ID } from '../testing/domain-events';
import { DOCUMENT_ID, documentCrossReferenced, documentFiled, documentStream, OTHER_DOCUMENT_ID } from '../testing/document-events';
import { EventLog, positionOf, projectEvents } from '../testing/recorded';
import { documentReferenceId, documentReferencesProjection } from './document-references.projection';

describe('document references projection', () => {
  it('keeps one entry per reference, queryable from either end', () => {
    const log = new EventLog();
    log.append(documentStream(DOCUMENT_ID), documentFiled());
    log.append(documentStream(DOCUMENT_ID), documentCrossReferenced());
    log.append(documentStream(DOCUMENT_ID), documentCrossReferenced({ targetType: 'document', targetId: OTHER_DOCUMENT_ID, relation: 'supersedes' }));

    const entries = projectEvents(documentReferencesProjection, log.events);
    expect([...entries.values()]).toEqual([
      {
        id: documentReferenceId(DOCUMENT_ID, 'product', PRODUCT_ID, 'refers_to'),
        documentId: DOCUMENT_ID,
        targetType: 'product',
        targetId: PRODUCT_ID,
        relation: 'refers_to',
        referencedBy: 'user-coordinator',
        referencedAt: '2025-03-14T09:00:00.000Z',
        position: positionOf(2),
      },
      expect.objectContaining({ targetType: 'document', targetId: OTHER_DOCUMENT_ID, relation: 'supersedes', position: positionOf(3) }),
    ]);
  });
});
