import { Module } from '@nestjs/common';
import { ChangeRequestImplementationSaga } from '../change-requests/change-request-implementation.saga';
import { RecordChangeRequestImplementationHandler } from '../change-requests/implement-change-request.handler';
import { ChangeRequestFilingSaga } from '../documents/change-request-filing.saga';
import { DocumentStorageModule } from '../documents/document-storage.module';
import { FileChangeRequestRecordHandler } from '../documents/file-change-request-record.handler';
import { ApplicantNotificationSaga } from '../notifications/applicant-notification.saga';
import { NotifyApplicantHandler } from '../notifications/notify-applicant.handler';
import { ProjectionsRuntime } from '../projections/projections-runtime';
import { ProcessRunner } from './process-runner';

/** Projections and processes: in the API process by default, or alone in the projector worker. */
@Module({
  imports: [DocumentStorageModule],
  providers: [
    ProcessRunner,
    ProjectionsRuntime,
    ApplicantNotificationSaga,
    ChangeRequestImplementationSaga,
    NotifyApplicantHandler,
    ChangeRequestFilingSaga,
    FileChangeRequestRecordHandler,
  ],
})
export class ProcessesModule {}

/** The command handlers processes issue commands to that the HTTP API would otherwise provide, for the worker without it. */
@Module({ providers: [RecordChangeRequestImplementationHandler] })
export class ProcessCommandsModule {}
