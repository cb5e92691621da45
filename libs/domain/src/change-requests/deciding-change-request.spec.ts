import type { Principal } from '../shared/decider';
import { deciderSpec, SPEC_NOW } from '../testing/decider-spec';
import { CHANGE_REQUEST_ID, PRODUCT_ID, changeRequestHistoryIn, people } from '../testing/fixtures';
import type { ChangeRequestStatus, DecisionOutcome } from './change-request';
import { changeRequestDecider } from './change-request.decider';
import type { DecideChangeRequest } from './deciding-change-request';

const changeRequest = deciderSpec(changeRequestDecider);

const decide = (outcome: DecisionOutcome, reason = 'Fits the roadmap', productManagerId: string = people.productManager.id): DecideChangeRequest => ({
  type: 'DecideChangeRequest',
  changeRequestId: CHANGE_REQUEST_ID,
  outcome,
  reason,
  productManagerId,
});

const by = (actor: Principal) => ({ actor });

const decided = (decidedBy: string, reason = 'Fits the roadmap') => ({
  changeRequestId: CHANGE_REQUEST_ID,
  productId: PRODUCT_ID,
  requesterId: people.requester.id,
  decidedBy,
  reason,
  decidedAt: SPEC_NOW.toISOString(),
});

describe('Deciding on a change request', () => {
  it("approves when the product's manager says so, with the trimmed reason", () => {
    changeRequest
      .given(changeRequestHistoryIn('awaiting_decision'))
      .when(decide('approved', '  Fits the roadmap \n'), by(people.productManager))
      .thenEmits([{ type: 'ChangeRequestApproved', data: decided(people.productManager.id) }]);
  });

  it("rejects when the product's manager says so", () => {
    changeRequest
      .given(changeRequestHistoryIn('awaiting_decision'))
      .when(decide('rejected', 'Too costly'), by(people.productManager))
      .thenEmits([{ type: 'ChangeRequestRejected', data: decided(people.productManager.id, 'Too costly') }]);
  });

  it('lets the manager the product has now decide, even if the request was presented to their predecessor', () => {
    changeRequest
      .given(changeRequestHistoryIn('awaiting_decision'))
      .when(decide('approved', 'Fits the roadmap', people.otherProductManager.id), by(people.otherProductManager))
      .thenEmits([{ type: 'ChangeRequestApproved', data: decided(people.otherProductManager.id) }]);
  });

  it('refuses a request that was never submitted', () => {
    const error = changeRequest.given([]).when(decide('approved'), by(people.productManager)).thenThrows('CHANGE_REQUEST.NOT_FOUND');
    expect(error.kind).toBe('not_found');
  });

  it('refuses the requester, even when they are also the product manager', () => {
    const error = changeRequest
      .given(changeRequestHistoryIn('awaiting_decision', people.managerAsRequester.id))
      .when(decide('approved'), by(people.managerAsRequester))
      .thenThrows('CHANGE_REQUEST.REQUESTER_CANNOT_DECIDE');
    expect(error.kind).toBe('forbidden');
    expect(error.details).toEqual({ actorId: people.managerAsRequester.id });
  });

  it('refuses a product manager who does not manage this product', () => {
    const error = changeRequest
      .given(changeRequestHistoryIn('awaiting_decision'))
      .when(decide('approved'), by(people.otherProductManager))
      .thenThrows('CHANGE_REQUEST.DECIDER_NOT_PRODUCT_MANAGER');
    expect(error.kind).toBe('forbidden');
    expect(error.details).toEqual({ actorId: people.otherProductManager.id, productManagerId: people.productManager.id });
  });

  it('refuses a coordinator', () => {
    changeRequest.given(changeRequestHistoryIn('awaiting_decision')).when(decide('rejected'), by(people.coordinator)).thenThrows('CHANGE_REQUEST.DECIDER_NOT_PRODUCT_MANAGER');
  });

  it('refuses an outsider before saying anything about where the request stands', () => {
    changeRequest.given(changeRequestHistoryIn('withdrawn')).when(decide('approved'), by(people.otherProductManager)).thenThrows('CHANGE_REQUEST.DECIDER_NOT_PRODUCT_MANAGER');
    changeRequest.given(changeRequestHistoryIn('approved')).when(decide('approved'), by(people.requester)).thenThrows('CHANGE_REQUEST.REQUESTER_CANNOT_DECIDE');
  });

  it.each<ChangeRequestStatus>(['submitted', 'assessed', 'approved', 'rejected', 'implemented', 'withdrawn'])('refuses a request that is %s', (status) => {
    const error = changeRequest.given(changeRequestHistoryIn(status)).when(decide('approved'), by(people.productManager)).thenThrows('CHANGE_REQUEST.NOT_AWAITING_DECISION');
    expect(error.kind).toBe('conflict');
    expect(error.details).toEqual({ status, allowed: ['awaiting_decision'] });
  });

  it.each(['', ' \t '])('refuses a blank reason (%j)', (reason) => {
    const error = changeRequest.given(changeRequestHistoryIn('awaiting_decision')).when(decide('rejected', reason), by(people.productManager)).thenThrows('CHANGE_REQUEST.REASON_REQUIRED');
    expect(error.kind).toBe('validation');
  });
});
