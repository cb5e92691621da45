import type { Principal } from '../shared/decider';
import { deciderSpec, SPEC_NOW } from '../testing/decider-spec';
import { CHANGE_REQUEST_ID, changeRequestHistoryIn, people } from '../testing/fixtures';
import type { ChangeRequestStatus } from './change-request';
import { changeRequestDecider } from './change-request.decider';
import type { WithdrawChangeRequest } from './withdrawing-change-request';

const changeRequest = deciderSpec(changeRequestDecider);

const withdraw = (reason = 'Solved another way'): WithdrawChangeRequest => ({ type: 'WithdrawChangeRequest', changeRequestId: CHANGE_REQUEST_ID, reason });

const by = (actor: Principal) => ({ actor });

describe('Withdrawing a change request', () => {
  it.each<ChangeRequestStatus>(['submitted', 'assessed', 'awaiting_decision'])('lets the requester withdraw a request that is %s', (status) => {
    changeRequest
      .given(changeRequestHistoryIn(status))
      .when(withdraw('  Solved another way '), by(people.requester))
      .thenEmits([
        {
          type: 'ChangeRequestWithdrawn',
          data: { changeRequestId: CHANGE_REQUEST_ID, withdrawnBy: people.requester.id, reason: 'Solved another way', withdrawnAt: SPEC_NOW.toISOString() },
        },
      ]);
  });

  it('refuses a request that was never submitted', () => {
    const error = changeRequest.given([]).when(withdraw(), by(people.requester)).thenThrows('CHANGE_REQUEST.NOT_FOUND');
    expect(error.kind).toBe('not_found');
  });

  it.each([people.coordinator, people.productManager, people.otherProductManager])('refuses $id, who did not submit it', (actor) => {
    const error = changeRequest.given(changeRequestHistoryIn('submitted')).when(withdraw(), by(actor)).thenThrows('CHANGE_REQUEST.ONLY_REQUESTER_WITHDRAWS');
    expect(error.kind).toBe('forbidden');
    expect(error.details).toEqual({ actorId: actor.id, requesterId: people.requester.id });
  });

  it.each<ChangeRequestStatus>(['approved', 'rejected', 'implemented', 'withdrawn'])('refuses the requester once the request is %s', (status) => {
    const error = changeRequest.given(changeRequestHistoryIn(status)).when(withdraw(), by(people.requester)).thenThrows('CHANGE_REQUEST.NOT_WITHDRAWABLE');
    expect(error.kind).toBe('conflict');
    expect(error.details).toEqual({ status, allowed: ['submitted', 'assessed', 'awaiting_decision'] });
  });

  it.each(['', '   '])('refuses a blank reason (%j)', (reason) => {
    const error = changeRequest.given(changeRequestHistoryIn('assessed')).when(withdraw(reason), by(people.requester)).thenThrows('CHANGE_REQUEST.REASON_REQUIRED');
    expect(error.kind).toBe('validation');
  });
});
