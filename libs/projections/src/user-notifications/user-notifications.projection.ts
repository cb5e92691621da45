import type { DecisionOutcome } from '@pc/domain';
import { asDomainEvent, type Projection } from '../projection';

export interface UserNotification {
  readonly id: string;
  readonly recipientId: string;
  readonly kind: 'change_request_decided';
  readonly changeRequestId: string;
  readonly outcome: DecisionOutcome;
  readonly reason: string;
  readonly at: string;
  [key: string]: unknown;
}

export const NOTIFICATIONS_COLLECTION = 'notifications';

export const userNotificationsProjection: Projection<UserNotification> = {
  name: 'user-notifications',
  collection: { name: NOTIFICATIONS_COLLECTION, indexes: [{ fields: ['recipientId', 'at'] }] },
  // Only ApplicantNotified names a document, and evolve builds it whole from that event alone.
  readsDocument: false,
  documentIds: (event) => (event.type === 'ApplicantNotified' ? [(event.data as { notificationId: string }).notificationId] : []),
  evolve(document, recorded) {
    const event = asDomainEvent(recorded);
    if (event?.type !== 'ApplicantNotified') return document;
    const { notificationId, recipientId, kind, changeRequestId, outcome, reason, notifiedAt } = event.data;
    return { id: notificationId, recipientId, kind, changeRequestId, outcome, reason, at: notifiedAt };
  },
};
