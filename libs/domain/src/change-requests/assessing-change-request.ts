import type { DecisionContext } from '../shared/decider';
import type { Assessment, ChangeRequest, ChangeRequestAssessed } from './change-request';
import { ChangeRequestErrors } from './change-request-errors';

export interface AssessChangeRequest {
  readonly type: 'AssessChangeRequest';
  readonly changeRequestId: string;
  readonly assessment: Assessment;
}

/** An assessment may be revised until the request is presented to the product manager. */
export function assessChangeRequest(command: AssessChangeRequest, state: ChangeRequest, { now, actor }: DecisionContext): ChangeRequestAssessed[] {
  if (state.status === 'none') throw ChangeRequestErrors.notFound(command.changeRequestId);
  if (state.status !== 'submitted' && state.status !== 'assessed') throw ChangeRequestErrors.notAssessable(state.status);
  return [
    {
      type: 'ChangeRequestAssessed',
      data: { changeRequestId: state.id, assessment: command.assessment, assessedBy: actor.id, assessedAt: now.toISOString() },
    },
  ];
}
