import { deciderSpec, SPEC_NOW } from '../testing/decider-spec';
import { DOCUMENT_ID, documentDisposed, documentFiled, hashOf, LOCATION, paperDocumentFiled, versionAdded } from '../testing/document-fixtures';
import { documentDecider } from './document.decider';
import type { RecordDocumentRetrieval } from './retrieving-document-content';

const document = deciderSpec(documentDecider);
const auditor = { id: 'user-auditor', roles: ['auditor'] } as const;

const retrieve = (version: number | null = null): RecordDocumentRetrieval => ({ type: 'RecordDocumentRetrieval', documentId: DOCUMENT_ID, version, purpose: 'download' });

describe('Retrieving the content of a document', () => {
  it('records who retrieved the latest version, and its hash', () => {
    document
      .given([documentFiled(), versionAdded(2, 'b')])
      .when(retrieve(), { actor: auditor })
      .thenEmits([
        {
          type: 'DocumentContentRetrieved',
          data: { documentId: DOCUMENT_ID, version: 2, contentHash: hashOf('b'), purpose: 'download', retrievedBy: auditor.id, retrievedAt: SPEC_NOW.toISOString() },
        },
      ]);
  });

  it('records the retrieval of an older version', () => {
    document
      .given([documentFiled(), versionAdded(2, 'b')])
      .when(retrieve(1), { actor: auditor })
      .thenEmits([
        {
          type: 'DocumentContentRetrieved',
          data: { documentId: DOCUMENT_ID, version: 1, contentHash: hashOf('a'), purpose: 'download', retrievedBy: auditor.id, retrievedAt: SPEC_NOW.toISOString() },
        },
      ]);
  });

  it('names where a paper original is kept instead', () => {
    const error = document.given([paperDocumentFiled()]).when(retrieve()).thenThrows('DOCUMENT.PAPER_ORIGINAL');
    expect(error.details).toEqual({ version: 1, location: LOCATION });
  });

  it.each([
    ['a version that does not exist', [documentFiled()], retrieve(2), 'DOCUMENT.VERSION_NOT_FOUND'],
    ['an unknown document', [], retrieve(), 'DOCUMENT.NOT_FOUND'],
    ['a disposed document', [documentFiled(), documentDisposed()], retrieve(1), 'DOCUMENT.DISPOSED'],
  ] as const)('refuses %s', (_case, history, command, code) => {
    document.given(history).when(command).thenThrows(code);
  });
});
