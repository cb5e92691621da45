import { deciderSpec, SPEC_NOW } from '../testing/decider-spec';
import { ADMIN, DOCUMENT_ID, documentDisposed, documentFiled, holdPlaced, holdReleased } from '../testing/document-fixtures';
import { documentDecider } from './document.decider';
import type { PlaceLegalHold, ReleaseLegalHold } from './legal-holds';

const document = deciderSpec(documentDecider);
const asAdmin = { actor: ADMIN };

const place = (caseId = 'CASE-2025-014', reason = ' Supplier dispute '): PlaceLegalHold => ({ type: 'PlaceLegalHold', documentId: DOCUMENT_ID, caseId, reason });
const release = (caseId = 'CASE-2025-014', reason = 'Settled'): ReleaseLegalHold => ({ type: 'ReleaseLegalHold', documentId: DOCUMENT_ID, caseId, reason });

describe('Legal holds', () => {
  it('places a hold for a named case, with its reason', () => {
    document
      .given([documentFiled()])
      .when(place(), asAdmin)
      .thenEmits([
        {
          type: 'DocumentLegalHoldPlaced',
          data: { documentId: DOCUMENT_ID, caseId: 'CASE-2025-014', reason: 'Supplier dispute', placedBy: ADMIN.id, placedAt: SPEC_NOW.toISOString() },
        },
      ]);
  });

  it('holds a document for several cases at once', () => {
    document.given([documentFiled(), holdPlaced('CASE-A')]).when(place('CASE-B'), asAdmin).thenEmits([
      { type: 'DocumentLegalHoldPlaced', data: { documentId: DOCUMENT_ID, caseId: 'CASE-B', reason: 'Supplier dispute', placedBy: ADMIN.id, placedAt: SPEC_NOW.toISOString() } },
    ]);
  });

  it('releases one case’s hold with a reason', () => {
    document
      .given([documentFiled(), holdPlaced('CASE-A'), holdPlaced('CASE-B')])
      .when(release('CASE-A'), asAdmin)
      .thenEmits([{ type: 'DocumentLegalHoldReleased', data: { documentId: DOCUMENT_ID, caseId: 'CASE-A', reason: 'Settled', releasedBy: ADMIN.id, releasedAt: SPEC_NOW.toISOString() } }]);
  });

  it('may hold the same case again after its release', () => {
    expect(documentDecider.decide(place('CASE-A'), [documentFiled(), holdPlaced('CASE-A'), holdReleased('CASE-A')].reduce(documentDecider.evolve, documentDecider.initialState()), { now: SPEC_NOW, actor: ADMIN })).toHaveLength(1);
  });

  it.each([
    ['a second hold for the same case', [documentFiled(), holdPlaced('CASE-A')], place('CASE-A'), 'DOCUMENT.LEGAL_HOLD_ALREADY_PLACED'],
    ['a hold without a case', [documentFiled()], place('  '), 'DOCUMENT.CASE_REQUIRED'],
    ['a hold without a reason', [documentFiled()], place('CASE-A', ' '), 'DOCUMENT.REASON_REQUIRED'],
    ['a hold on an unknown document', [], place(), 'DOCUMENT.NOT_FOUND'],
    ['a hold on a disposed document', [documentFiled(), documentDisposed()], place(), 'DOCUMENT.DISPOSED'],
    ['releasing a case that holds nothing', [documentFiled(), holdPlaced('CASE-A')], release('CASE-B'), 'DOCUMENT.LEGAL_HOLD_NOT_FOUND'],
    ['releasing a hold already released', [documentFiled(), holdPlaced('CASE-A'), holdReleased('CASE-A')], release('CASE-A'), 'DOCUMENT.LEGAL_HOLD_NOT_FOUND'],
    ['releasing without a reason', [documentFiled(), holdPlaced('CASE-A')], release('CASE-A', ''), 'DOCUMENT.REASON_REQUIRED'],
  ] as const)('refuses %s', (_case, history, command, code) => {
    document.given(history).when(command, asAdmin).thenThrows(code);
  });
});
