import { Module } from '@nestjs/common';
import { ChangeRequestImplementationSaga } from '../change-requests/change-request-implementation.saga';
import { RecordChangeRequestImplementationHandler } from '../change-requests/implement-change-request.handler';
import { ApplicantNotificationSaga } from '../notifications/applicant-notification.saga';
import { NotifyApplicantHandler } from '../notifications/notify-applicant.handler';
import { ProjectionsRuntime } from '../projections/projections-runtime';
import { ProcessRunner } from './process-runner';

/** Projections and processes: in the API process by default, or alone in the projector worker. */
@Module({
  providers: [ProcessRunner, ProjectionsRuntime, ApplicantNotificationSaga, ChangeRequestImplementationSaga, NotifyApplicantHandler],
})
export class ProcessesModule {}

/** The command handlers processes issue commands to that the HTTP API would otherwise provide, for the worker without it. */
@Module({ providers: [RecordChangeRequestImplementationHandler] })
export class ProcessCommandsModule {}
