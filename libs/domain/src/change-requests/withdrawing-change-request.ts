import type { DecisionContext } from '../shared/decider';
import type { ChangeRequest, ChangeRequestWithdrawn } from './change-request';
import { ChangeRequestErrors } from './change-request-errors';

export interface WithdrawChangeRequest {
  readonly type: 'WithdrawChangeRequest';
  readonly changeRequestId: string;
  readonly reason: string;
}

export function withdrawChangeRequest(command: WithdrawChangeRequest, state: ChangeRequest, { now, actor }: DecisionContext): ChangeRequestWithdrawn[] {
  if (state.status === 'none') throw ChangeRequestErrors.notFound(command.changeRequestId);
  if (actor.id !== state.requesterId) throw ChangeRequestErrors.onlyRequesterWithdraws(actor.id, state.requesterId);
  if (state.status !== 'submitted' && state.status !== 'assessed' && state.status !== 'awaiting_decision') {
    throw ChangeRequestErrors.notWithdrawable(state.status);
  }
  if (command.reason.trim() === '') throw ChangeRequestErrors.reasonRequired();
  return [
    {
      type: 'ChangeRequestWithdrawn',
      data: { changeRequestId: state.id, withdrawnBy: actor.id, reason: command.reason.trim(), withdrawnAt: now.toISOString() },
    },
  ];
}
