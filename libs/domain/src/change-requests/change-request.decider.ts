import { assertNever, type DecisionContext, type Decider } from '../shared/decider';
import { assessChangeRequest, type AssessChangeRequest } from './assessing-change-request';
import { evolveChangeRequest, initialChangeRequest, type ChangeRequest, type ChangeRequestEvent } from './change-request';
import { decideChangeRequest, type DecideChangeRequest } from './deciding-change-request';
import { recordChangeRequestImplementation, type RecordChangeRequestImplementation } from './implementing-change-request';
import { presentChangeRequest, type PresentChangeRequest } from './presenting-change-request';
import { submitChangeRequest, type SubmitChangeRequest } from './submitting-change-request';
import { withdrawChangeRequest, type WithdrawChangeRequest } from './withdrawing-change-request';

export type ChangeRequestCommand =
  | SubmitChangeRequest
  | AssessChangeRequest
  | PresentChangeRequest
  | DecideChangeRequest
  | RecordChangeRequestImplementation
  | WithdrawChangeRequest;

export const changeRequestDecider: Decider<ChangeRequest, ChangeRequestCommand, ChangeRequestEvent> = {
  initialState: initialChangeRequest,
  evolve: evolveChangeRequest,
  decide(command: ChangeRequestCommand, state: ChangeRequest, context: DecisionContext): ChangeRequestEvent[] {
    switch (command.type) {
      case 'SubmitChangeRequest':
        return submitChangeRequest(command, state, context);
      case 'AssessChangeRequest':
        return assessChangeRequest(command, state, context);
      case 'PresentChangeRequest':
        return presentChangeRequest(command, state, context);
      case 'DecideChangeRequest':
        return decideChangeRequest(command, state, context);
      case 'RecordChangeRequestImplementation':
        return recordChangeRequestImplementation(command, state, context);
      case 'WithdrawChangeRequest':
        return withdrawChangeRequest(command, state, context);
      default:
        return assertNever(command);
    }
  },
};
