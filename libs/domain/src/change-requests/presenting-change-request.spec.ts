import { deciderSpec, SPEC_ACTOR, SPEC_NOW } from '../testing/decider-spec';
import { CHANGE_REQUEST_ID, changeRequestHistoryIn, people } from '../testing/fixtures';
import type { ChangeRequestStatus } from './change-request';
import { changeRequestDecider } from './change-request.decider';
import type { PresentChangeRequest } from './presenting-change-request';

const changeRequest = deciderSpec(changeRequestDecider);

const presentTo = (productManagerId: string): PresentChangeRequest => ({ type: 'PresentChangeRequest', changeRequestId: CHANGE_REQUEST_ID, productManagerId });

describe('Presenting a change request', () => {
  it("presents an assessed request to the product's current manager", () => {
    changeRequest
      .given(changeRequestHistoryIn('assessed'))
      .when(presentTo(people.productManager.id))
      .thenEmits([
        {
          type: 'ChangeRequestPresented',
          data: { changeRequestId: CHANGE_REQUEST_ID, productManagerId: people.productManager.id, presentedBy: SPEC_ACTOR.id, presentedAt: SPEC_NOW.toISOString() },
        },
      ]);
  });

  it('refuses a request that was never submitted', () => {
    const error = changeRequest.given([]).when(presentTo(people.productManager.id)).thenThrows('CHANGE_REQUEST.NOT_FOUND');
    expect(error.kind).toBe('not_found');
  });

  it.each<ChangeRequestStatus>(['submitted', 'awaiting_decision', 'approved', 'rejected', 'implemented', 'withdrawn'])('refuses a request that is %s', (status) => {
    const error = changeRequest.given(changeRequestHistoryIn(status)).when(presentTo(people.productManager.id)).thenThrows('CHANGE_REQUEST.NOT_ASSESSED');
    expect(error.kind).toBe('conflict');
    expect(error.details).toEqual({ status, allowed: ['assessed'] });
  });
});
