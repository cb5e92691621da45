import type { DecisionContext } from '../shared/decider';
import type { ChangeRequest, ChangeRequestPresented } from './change-request';
import { ChangeRequestErrors } from './change-request-errors';

export interface PresentChangeRequest {
  readonly type: 'PresentChangeRequest';
  readonly changeRequestId: string;
  /** The product's manager now, looked up by the caller: the one the request is presented to. */
  readonly productManagerId: string;
}

export function presentChangeRequest(command: PresentChangeRequest, state: ChangeRequest, { now, actor }: DecisionContext): ChangeRequestPresented[] {
  if (state.status === 'none') throw ChangeRequestErrors.notFound(command.changeRequestId);
  if (state.status !== 'assessed') throw ChangeRequestErrors.notAssessed(state.status);
  return [
    {
      type: 'ChangeRequestPresented',
      data: { changeRequestId: state.id, productManagerId: command.productManagerId, presentedBy: actor.id, presentedAt: now.toISOString() },
    },
  ];
}
