import { deciderSpec, SPEC_ACTOR, SPEC_NOW } from '../testing/decider-spec';
import { content, DOCUMENT_ID, documentDisposed, documentFiled, LOCATION, paperDocumentFiled, versionAdded, hashOf } from '../testing/document-fixtures';
import { documentDecider } from './document.decider';
import type { AddDocumentVersion } from './versioning-document';

const document = deciderSpec(documentDecider);

const addVersion = (overrides: Partial<AddDocumentVersion> = {}): AddDocumentVersion => ({
  type: 'AddDocumentVersion',
  documentId: DOCUMENT_ID,
  content: content('b'),
  location: null,
  note: '  Signed copy ',
  ...overrides,
});

describe('Adding a version to a document', () => {
  it('numbers the new version after the last one and keeps its own hash', () => {
    document
      .given([documentFiled(), versionAdded(2, 'b')])
      .when(addVersion({ content: content('c') }))
      .thenEmits([
        {
          type: 'DocumentVersionAdded',
          data: { documentId: DOCUMENT_ID, version: 3, content: content('c'), location: null, note: 'Signed copy', addedBy: SPEC_ACTOR.id, addedAt: SPEC_NOW.toISOString() },
        },
      ]);
  });

  it('adds another paper original to a paper document', () => {
    document
      .given([paperDocumentFiled()])
      .when(addVersion({ content: null, location: { ...LOCATION, box: '13' }, note: null }))
      .thenEmits([
        {
          type: 'DocumentVersionAdded',
          data: { documentId: DOCUMENT_ID, version: 2, content: null, location: { ...LOCATION, box: '13' }, note: null, addedBy: SPEC_ACTOR.id, addedAt: SPEC_NOW.toISOString() },
        },
      ]);
  });

  it('refuses an upload identical to the latest version', () => {
    const error = document.given([documentFiled(), versionAdded(2, 'b')]).when(addVersion({ content: content('b', { fileName: 'renamed.pdf' }) })).thenThrows('DOCUMENT.CONTENT_UNCHANGED');
    expect(error.details).toEqual({ version: 2 });
  });

  it('accepts content equal to an older version: going back is a new version', () => {
    const [added] = documentDecider.decide(addVersion({ content: content('a') }), [documentFiled(), versionAdded(2, 'b')].reduce(documentDecider.evolve, documentDecider.initialState()), {
      now: SPEC_NOW,
      actor: SPEC_ACTOR,
    });
    expect(added!.data).toMatchObject({ version: 3, content: { contentHash: hashOf('a') } });
  });

  it.each([
    ['an upload to a paper original', [paperDocumentFiled()], addVersion(), 'DOCUMENT.MEDIUM_MISMATCH'],
    ['a location for an electronic document', [documentFiled()], addVersion({ content: null, location: LOCATION }), 'DOCUMENT.MEDIUM_MISMATCH'],
    ['an unknown document', [], addVersion(), 'DOCUMENT.NOT_FOUND'],
    ['a disposed document', [documentFiled(), documentDisposed()], addVersion(), 'DOCUMENT.DISPOSED'],
    [
      "a change request's record",
      [documentFiled({ documentClass: 'change_request_record', recordOf: { changeRequestId: 'cr-1', productId: 'p', closedAs: 'rejected', eventCount: 4, lastEventHash: hashOf('e') } })],
      addVersion(),
      'DOCUMENT.RECORD_IMMUTABLE',
    ],
  ] as const)('refuses %s', (_case, history, command, code) => {
    document.given(history).when(command).thenThrows(code);
  });
});
