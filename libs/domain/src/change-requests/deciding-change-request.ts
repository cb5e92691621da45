import type { DecisionContext } from '../shared/decider';
import type { ChangeRequest, ChangeRequestApproved, ChangeRequestRejected, DecisionOutcome } from './change-request';
import { ChangeRequestErrors } from './change-request-errors';

export interface DecideChangeRequest {
  readonly type: 'DecideChangeRequest';
  readonly changeRequestId: string;
  readonly outcome: DecisionOutcome;
  readonly reason: string;
  /** The product's manager now, looked up by the caller. */
  readonly productManagerId: string;
}

export function decideChangeRequest(
  command: DecideChangeRequest,
  state: ChangeRequest,
  { now, actor }: DecisionContext,
): Array<ChangeRequestApproved | ChangeRequestRejected> {
  if (state.status === 'none') throw ChangeRequestErrors.notFound(command.changeRequestId);
  // Who may decide is checked before the state, so an outsider learns nothing about the workflow.
  if (actor.id === state.requesterId) throw ChangeRequestErrors.requesterCannotDecide(actor.id);
  if (actor.id !== command.productManagerId) throw ChangeRequestErrors.deciderNotProductManager(actor.id, command.productManagerId);
  if (state.status !== 'awaiting_decision') throw ChangeRequestErrors.notAwaitingDecision(state.status);
  if (command.reason.trim() === '') throw ChangeRequestErrors.reasonRequired();
  const data = {
    changeRequestId: state.id,
    productId: state.productId,
    requesterId: state.requesterId,
    decidedBy: actor.id,
    reason: command.reason.trim(),
    decidedAt: now.toISOString(),
  };
  return [command.outcome === 'approved' ? { type: 'ChangeRequestApproved', data } : { type: 'ChangeRequestRejected', data }];
}
