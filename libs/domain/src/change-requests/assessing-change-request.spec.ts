import { deciderSpec, SPEC_ACTOR, SPEC_NOW } from '../testing/decider-spec';
import { ASSESSMENT, CHANGE_REQUEST_ID, changeRequestHistoryIn } from '../testing/fixtures';
import type { AssessChangeRequest } from './assessing-change-request';
import type { Assessment, ChangeRequestStatus } from './change-request';
import { changeRequestDecider } from './change-request.decider';

const changeRequest = deciderSpec(changeRequestDecider);

const assess = (assessment: Assessment = ASSESSMENT): AssessChangeRequest => ({ type: 'AssessChangeRequest', changeRequestId: CHANGE_REQUEST_ID, assessment });

const revised: Assessment = { ...ASSESSMENT, relevance: 'low', recommendation: 'reject', estimatedCost: { amount: 40000, currency: 'EUR' } };

describe('Assessing a change request', () => {
  it('records the assessment of a submitted request, by whom and when', () => {
    changeRequest
      .given(changeRequestHistoryIn('submitted'))
      .when(assess())
      .thenEmits([
        {
          type: 'ChangeRequestAssessed',
          data: { changeRequestId: CHANGE_REQUEST_ID, assessment: ASSESSMENT, assessedBy: SPEC_ACTOR.id, assessedAt: SPEC_NOW.toISOString() },
        },
      ]);
  });

  it('revises an assessment until the request is presented', () => {
    changeRequest
      .given(changeRequestHistoryIn('assessed'))
      .when(assess(revised))
      .thenEmits([
        {
          type: 'ChangeRequestAssessed',
          data: { changeRequestId: CHANGE_REQUEST_ID, assessment: revised, assessedBy: SPEC_ACTOR.id, assessedAt: SPEC_NOW.toISOString() },
        },
      ]);
  });

  it('refuses a request that was never submitted', () => {
    const error = changeRequest.given([]).when(assess()).thenThrows('CHANGE_REQUEST.NOT_FOUND');
    expect(error.kind).toBe('not_found');
  });

  it.each<ChangeRequestStatus>(['awaiting_decision', 'approved', 'rejected', 'implemented', 'withdrawn'])('refuses a request that is %s', (status) => {
    const error = changeRequest.given(changeRequestHistoryIn(status)).when(assess(revised)).thenThrows('CHANGE_REQUEST.NOT_ASSESSABLE');
    expect(error.kind).toBe('conflict');
    expect(error.details).toEqual({ status, allowed: ['submitted', 'assessed'] });
  });
});
