import type { DecisionContext, DomainEvent } from '../shared/decider';
import type { DecisionOutcome } from '../change-requests/change-request';

/** One stream per recipient: the applicant's inbox. */
export const toNotificationStreamId = (recipientId: string): string => `notification-${recipientId}`;

export type ApplicantNotified = DomainEvent<
  'ApplicantNotified',
  {
    readonly notificationId: string;
    readonly recipientId: string;
    readonly kind: 'change_request_decided';
    readonly changeRequestId: string;
    readonly outcome: DecisionOutcome;
    readonly reason: string;
    readonly decidedBy: string;
    readonly decidedAt: string;
    readonly notifiedAt: string;
  }
>;

export type NotificationEvent = ApplicantNotified;

export interface Inbox {
  /** Change requests whose decision this recipient has been told of. */
  readonly notifiedDecisions: ReadonlySet<string>;
}

export interface NotifyApplicant {
  readonly type: 'NotifyApplicant';
  readonly notificationId: string;
  readonly recipientId: string;
  readonly changeRequestId: string;
  readonly outcome: DecisionOutcome;
  readonly reason: string;
  readonly decidedBy: string;
  readonly decidedAt: string;
}

export const initialInbox = (): Inbox => ({ notifiedDecisions: new Set() });

export function evolveInbox(state: Inbox, event: NotificationEvent): Inbox {
  return { notifiedDecisions: new Set([...state.notifiedDecisions, event.data.changeRequestId]) };
}

/** A decision is told once: a replayed process finds it already in the inbox and adds nothing. */
export function notifyApplicant(command: NotifyApplicant, state: Inbox, { now }: DecisionContext): ApplicantNotified[] {
  if (state.notifiedDecisions.has(command.changeRequestId)) return [];
  return [
    {
      type: 'ApplicantNotified',
      data: {
        notificationId: command.notificationId,
        recipientId: command.recipientId,
        kind: 'change_request_decided',
        changeRequestId: command.changeRequestId,
        outcome: command.outcome,
        reason: command.reason,
        decidedBy: command.decidedBy,
        decidedAt: command.decidedAt,
        notifiedAt: now.toISOString(),
      },
    },
  ];
}

export const inboxDecider = {
  initialState: initialInbox,
  evolve: evolveInbox,
  decide: notifyApplicant,
};
