import fc from 'fast-check';
import { deciderSpec, SPEC_NOW, specContext } from '../testing/decider-spec';
import { EARLIER, people } from '../testing/fixtures';
import { inboxDecider, type ApplicantNotified, type Inbox, type NotifyApplicant } from './notification';

const inbox = deciderSpec(inboxDecider);

const notifyOf = (changeRequestId: string, notificationId = `notification-${changeRequestId}`): NotifyApplicant => ({
  type: 'NotifyApplicant',
  notificationId,
  recipientId: people.requester.id,
  changeRequestId,
  outcome: 'approved',
  reason: 'Fits the roadmap',
  decidedBy: people.productManager.id,
  decidedAt: EARLIER,
});

const notified = (changeRequestId: string, notifiedAt = SPEC_NOW.toISOString()): ApplicantNotified => ({
  type: 'ApplicantNotified',
  data: {
    notificationId: `notification-${changeRequestId}`,
    recipientId: people.requester.id,
    kind: 'change_request_decided',
    changeRequestId,
    outcome: 'approved',
    reason: 'Fits the roadmap',
    decidedBy: people.productManager.id,
    decidedAt: EARLIER,
    notifiedAt,
  },
});

describe('Notifying an applicant of a decision', () => {
  it('tells the applicant of the decision, keeping when it was made apart from when they were told', () => {
    inbox.given([]).when(notifyOf('cr-1')).thenEmits([notified('cr-1')]);
  });

  it('tells of each decision once, even under a new notification id', () => {
    inbox.given([notified('cr-1', EARLIER)]).when(notifyOf('cr-1', 'notification-retry')).thenEmits([]);
  });

  it('still tells of a decision on another change request', () => {
    inbox.given([notified('cr-1', EARLIER)]).when(notifyOf('cr-2')).thenEmits([notified('cr-2')]);
  });

  it('emits exactly one notification per change request, however often each is asked for', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('cr-1', 'cr-2', 'cr-3', 'cr-4'), { maxLength: 30 }), (requests) => {
        let state: Inbox = inboxDecider.initialState();
        const told: string[] = [];
        for (const changeRequestId of requests) {
          for (const event of inboxDecider.decide(notifyOf(changeRequestId), state, specContext)) {
            told.push(event.data.changeRequestId);
            state = inboxDecider.evolve(state, event);
          }
        }
        expect(told).toEqual([...new Set(requests)]);
      }),
    );
  });
});
