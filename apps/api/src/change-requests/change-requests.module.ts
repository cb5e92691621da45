import { Module } from '@nestjs/common';
import { AssessChangeRequestController } from './assess-change-request.controller';
import { AssessChangeRequestHandler } from './assess-change-request.handler';
import { ChangeRequestLookups } from './change-request-lookups';
import { GetChangeRequestHandler, ListChangeRequestsHandler } from './change-request-queries';
import { ChangeRequestQueriesController } from './change-request-queries.controller';
import { DecideChangeRequestController } from './decide-change-request.controller';
import { DecideChangeRequestHandler } from './decide-change-request.handler';
import { ImplementChangeRequestController } from './implement-change-request.controller';
import { ImplementChangeRequestHandler, RecordChangeRequestImplementationHandler } from './implement-change-request.handler';
import { PresentChangeRequestController } from './present-change-request.controller';
import { PresentChangeRequestHandler } from './present-change-request.handler';
import { SubmitChangeRequestController } from './submit-change-request.controller';
import { SubmitChangeRequestHandler } from './submit-change-request.handler';
import { WithdrawChangeRequestController } from './withdraw-change-request.controller';
import { WithdrawChangeRequestHandler } from './withdraw-change-request.handler';

/** Command handlers are exported on their own so the projector worker can run the processes that issue them. */
export const CHANGE_REQUEST_COMMAND_HANDLERS = [
  SubmitChangeRequestHandler,
  AssessChangeRequestHandler,
  PresentChangeRequestHandler,
  DecideChangeRequestHandler,
  ImplementChangeRequestHandler,
  RecordChangeRequestImplementationHandler,
  WithdrawChangeRequestHandler,
];

@Module({
  controllers: [
    SubmitChangeRequestController,
    AssessChangeRequestController,
    PresentChangeRequestController,
    DecideChangeRequestController,
    ImplementChangeRequestController,
    WithdrawChangeRequestController,
    ChangeRequestQueriesController,
  ],
  providers: [ChangeRequestLookups, ...CHANGE_REQUEST_COMMAND_HANDLERS, GetChangeRequestHandler, ListChangeRequestsHandler],
})
export class ChangeRequestsModule {}
