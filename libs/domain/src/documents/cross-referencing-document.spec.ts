import { deciderSpec, SPEC_ACTOR, SPEC_NOW } from '../testing/decider-spec';
import { DOCUMENT_ID, documentCrossReferenced, documentDisposed, documentFiled, OTHER_DOCUMENT_ID } from '../testing/document-fixtures';
import type { CrossReferenceDocument } from './cross-referencing-document';
import { documentDecider } from './document.decider';

const document = deciderSpec(documentDecider);

const reference = (overrides: Partial<CrossReferenceDocument['reference']> = {}): CrossReferenceDocument => ({
  type: 'CrossReferenceDocument',
  documentId: DOCUMENT_ID,
  reference: { targetType: 'document', targetId: OTHER_DOCUMENT_ID, relation: 'supersedes', targetExists: true, ...overrides },
});

describe('Cross-referencing a document', () => {
  it('records the typed reference, by whom and when', () => {
    document
      .given([documentFiled()])
      .when(reference())
      .thenEmits([
        {
          type: 'DocumentCrossReferenced',
          data: {
            documentId: DOCUMENT_ID,
            targetType: 'document',
            targetId: OTHER_DOCUMENT_ID,
            relation: 'supersedes',
            referencedBy: SPEC_ACTOR.id,
            referencedAt: SPEC_NOW.toISOString(),
          },
        },
      ]);
  });

  it('records the same reference only once', () => {
    document.given([documentFiled(), documentCrossReferenced({ targetType: 'document', targetId: OTHER_DOCUMENT_ID, relation: 'supersedes' })]).when(reference()).thenEmits([]);
  });

  it('records another relation to the same target', () => {
    const history = [documentFiled(), documentCrossReferenced({ targetType: 'document', targetId: OTHER_DOCUMENT_ID, relation: 'supersedes' })];
    const events = documentDecider.decide(reference({ relation: 'supports' }), history.reduce(documentDecider.evolve, documentDecider.initialState()), { now: SPEC_NOW, actor: SPEC_ACTOR });
    expect(events).toHaveLength(1);
  });

  it.each([
    ['a target that does not exist', [documentFiled()], reference({ targetExists: false }), 'DOCUMENT.REFERENCE_TARGET_UNKNOWN'],
    ['the document itself', [documentFiled()], reference({ targetId: DOCUMENT_ID }), 'DOCUMENT.SELF_REFERENCE'],
    ['an unknown document', [], reference(), 'DOCUMENT.NOT_FOUND'],
    ['a disposed document', [documentFiled(), documentDisposed()], reference(), 'DOCUMENT.DISPOSED'],
  ] as const)('refuses %s', (_case, history, command, code) => {
    document.given(history).when(command).thenThrows(code);
  });
});
