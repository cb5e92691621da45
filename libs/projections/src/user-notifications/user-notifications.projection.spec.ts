import {
  CHANGE_REQUEST_ID,
  PRODUCT_ID,
  REQUESTER_ID,
  applicantNotified,
  changeRequestApproved,
  changeRequestStream,
  changeRequestSubmitted,
  notificationStream,
  productRegistered,
  productStream,
} from '../testing/domain-events';
import { EventLog, projectEvents, recorded } from '../testing/recorded';
import { userNotificationsProjection, type UserNotification } from './user-notifications.projection';

const inbox = notificationStream(REQUESTER_ID);

describe('user notifications projection', () => {
  it('turns a notification into the recipient’s document, dated when it was sent', () => {
    const log = new EventLog();
    log.append(
      inbox,
      applicantNotified({
        notificationId: 'n-1',
        outcome: 'rejected',
        reason: 'Too costly',
        decidedAt: '2025-03-14T10:00:00.000Z',
        notifiedAt: '2025-03-14T10:00:05.000Z',
      }),
      { actorId: 'process-notify-applicant' },
    );

    expect(projectEvents(userNotificationsProjection, log.events).get('n-1')).toEqual<UserNotification>({
      id: 'n-1',
      recipientId: REQUESTER_ID,
      kind: 'change_request_decided',
      changeRequestId: CHANGE_REQUEST_ID,
      outcome: 'rejected',
      reason: 'Too costly',
      at: '2025-03-14T10:00:05.000Z',
    });
  });

  it('keeps one document per notification, also for the same recipient', () => {
    const log = new EventLog();
    log.append(inbox, applicantNotified({ notificationId: 'n-1', changeRequestId: 'cr-1' }));
    log.append(inbox, applicantNotified({ notificationId: 'n-2', changeRequestId: 'cr-2' }));
    log.append(notificationStream('user-other'), applicantNotified({ notificationId: 'n-3', recipientId: 'user-other' }));

    const notifications = projectEvents(userNotificationsProjection, log.events);

    expect([...notifications.values()].map(({ id, recipientId, changeRequestId }) => ({ id, recipientId, changeRequestId }))).toEqual([
      { id: 'n-1', recipientId: REQUESTER_ID, changeRequestId: 'cr-1' },
      { id: 'n-2', recipientId: REQUESTER_ID, changeRequestId: 'cr-2' },
      { id: 'n-3', recipientId: 'user-other', changeRequestId: CHANGE_REQUEST_ID },
    ]);
  });

  it('names only the notification of an ApplicantNotified event', () => {
    const log = new EventLog();
    const notified = log.append(inbox, applicantNotified({ notificationId: 'n-1' }));
    const others = [
      log.append(productStream(PRODUCT_ID), productRegistered()),
      log.append(changeRequestStream(CHANGE_REQUEST_ID), changeRequestSubmitted()),
      log.append(changeRequestStream(CHANGE_REQUEST_ID), changeRequestApproved()),
      // Another type in an inbox, even one carrying a notification id, is not a notification.
      log.append(inbox, { type: 'NotificationRead', data: { notificationId: 'n-1' } }),
    ];

    expect(userNotificationsProjection.documentIds(notified)).toEqual(['n-1']);
    for (const event of others) expect(userNotificationsProjection.documentIds(event)).toEqual([]);
    expect([...projectEvents(userNotificationsProjection, log.events).keys()]).toEqual(['n-1']);
  });

  it('leaves a document as it is for any other event', () => {
    const existing = userNotificationsProjection.evolve(null, recorded(applicantNotified(), { streamId: inbox, revision: 0, position: 1 }));
    const read = recorded({ type: 'NotificationRead', data: { notificationId: existing?.id } }, { streamId: inbox, revision: 1, position: 2 });

    expect(userNotificationsProjection.evolve(existing, read)).toBe(existing);
    expect(userNotificationsProjection.evolve(null, recorded(changeRequestApproved(), { streamId: inbox, revision: 1, position: 2 }))).toBeNull();
  });
});
