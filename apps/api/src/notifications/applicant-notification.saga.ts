import { Injectable } from '@nestjs/common';
import { type IEvent, ofType, Saga } from '@nestjs/cqrs';
import { deterministicId } from '../commands/command-pipeline';
import type { ChangeRequestApproved, ChangeRequestRejected } from '@pc/domain';
import { filter, map, type Observable } from 'rxjs';
import { processContext, StoredEvent } from '../processes/stored-event';
import { NotifyApplicantCommand } from './notify-applicant.handler';

const PROCESS = 'applicant-notification';

/** A decision is communicated to the applicant by the system, without anyone having to remember it. */
@Injectable()
export class ApplicantNotificationSaga {
  @Saga()
  decisionMade = (events$: Observable<IEvent>): Observable<NotifyApplicantCommand> =>
    events$.pipe(
      ofType(StoredEvent),
      filter(({ recorded }) => recorded.type === 'ChangeRequestApproved' || recorded.type === 'ChangeRequestRejected'),
      map(({ recorded }) => {
        const decision = recorded as unknown as ChangeRequestApproved | ChangeRequestRejected;
        const { changeRequestId, requesterId, reason, decidedBy, decidedAt } = decision.data;
        return new NotifyApplicantCommand(
          {
            notificationId: deterministicId('notification', recorded.eventId),
            recipientId: requesterId,
            changeRequestId,
            outcome: decision.type === 'ChangeRequestApproved' ? 'approved' : 'rejected',
            reason,
            decidedBy,
            decidedAt,
          },
          processContext(PROCESS, recorded),
        );
      }),
    );
}
