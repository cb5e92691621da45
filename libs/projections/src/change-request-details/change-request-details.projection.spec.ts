import type { RecordedEvent } from '@pc/event-store';
import {
  ASSESSMENT,
  CHANGE_REQUEST_ID,
  COORDINATOR_ID,
  PRODUCT_ID,
  PRODUCT_MANAGER_ID,
  REQUESTER_ID,
  applicantNotified,
  changeRequestApproved,
  changeRequestAssessed,
  changeRequestImplemented,
  changeRequestPresented,
  changeRequestRejected,
  changeRequestStream,
  changeRequestSubmitted,
  changeRequestWithdrawn,
  notificationStream,
  productRegistered,
  productStream,
} from '../testing/domain-events';
import { EventLog, minutesAfterEpoch, projectDocument, projectEvents, recorded } from '../testing/recorded';
import { changeRequestDetailsProjection, evolveChangeRequestDetails, type ChangeRequestDetails } from './change-request-details.projection';

const stream = changeRequestStream(CHANGE_REQUEST_ID);
const SYSTEM_PROCESS_ID = 'process-change-request-implementation';

/** A request taken to the given point of its life; each step is done by the actor who does it in the domain. */
function changeRequestUpTo(step: 'submitted' | 'assessed' | 'awaiting_decision' | 'approved'): EventLog {
  const log = new EventLog();
  log.append(stream, changeRequestSubmitted({ submittedAt: minutesAfterEpoch(1) }), { actorId: REQUESTER_ID, roles: ['requester'] });
  if (step === 'submitted') return log;
  log.append(stream, changeRequestAssessed({ assessedAt: minutesAfterEpoch(2) }), { actorId: COORDINATOR_ID });
  if (step === 'assessed') return log;
  log.append(stream, changeRequestPresented({ presentedAt: minutesAfterEpoch(3) }), { actorId: COORDINATOR_ID });
  if (step === 'awaiting_decision') return log;
  log.append(stream, changeRequestApproved({ decidedAt: minutesAfterEpoch(4) }), { actorId: PRODUCT_MANAGER_ID, roles: ['product_manager'] });
  return log;
}

const detailsAfter = (events: readonly RecordedEvent[]) => projectDocument(changeRequestDetailsProjection, events, CHANGE_REQUEST_ID);

describe('change request details projection', () => {
  it('creates the document from the submission with nothing assessed, decided, withdrawn or implemented yet', () => {
    expect(detailsAfter(changeRequestUpTo('submitted').events)).toEqual<ChangeRequestDetails>({
      id: CHANGE_REQUEST_ID,
      productId: PRODUCT_ID,
      title: 'Make it red',
      description: 'Customers ask for a red drill',
      justification: 'Market research',
      changes: [{ field: 'colour', proposedValue: 'red', currentValue: 'blue' }],
      status: 'submitted',
      requesterId: REQUESTER_ID,
      assessment: null,
      decision: null,
      withdrawal: null,
      implementedAt: null,
      implementedInSpecificationVersion: null,
      submittedAt: minutesAfterEpoch(1),
      updatedAt: minutesAfterEpoch(1),
      revision: 0,
      timeline: [{ type: 'ChangeRequestSubmitted', at: minutesAfterEpoch(1), actorId: REQUESTER_ID }],
    });
  });

  it('follows submit → assess → present → approve → implement with a timeline entry per step', () => {
    const log = changeRequestUpTo('approved');
    // A process completes the record on the coordinator's behalf: the timeline shows who acted, the payload whom for.
    log.append(stream, changeRequestImplemented({ specificationVersion: 2, implementedAt: minutesAfterEpoch(5) }), { actorId: SYSTEM_PROCESS_ID });

    const statuses = log.events.map((_, index) => detailsAfter(log.events.slice(0, index + 1))?.status);
    expect(statuses).toEqual(['submitted', 'assessed', 'awaiting_decision', 'approved', 'implemented']);

    const details = detailsAfter(log.events)!;
    expect(details).toMatchObject({
      status: 'implemented',
      assessment: { ...ASSESSMENT, assessedBy: COORDINATOR_ID, assessedAt: minutesAfterEpoch(2) },
      decision: { outcome: 'approved', reason: 'Worth it', decidedBy: PRODUCT_MANAGER_ID, decidedAt: minutesAfterEpoch(4) },
      withdrawal: null,
      implementedAt: minutesAfterEpoch(5),
      implementedInSpecificationVersion: 2,
      submittedAt: minutesAfterEpoch(1),
      updatedAt: minutesAfterEpoch(5),
      revision: 4,
    });
    expect(details.timeline).toEqual([
      { type: 'ChangeRequestSubmitted', at: minutesAfterEpoch(1), actorId: REQUESTER_ID },
      { type: 'ChangeRequestAssessed', at: minutesAfterEpoch(2), actorId: COORDINATOR_ID },
      { type: 'ChangeRequestPresented', at: minutesAfterEpoch(3), actorId: COORDINATOR_ID },
      { type: 'ChangeRequestApproved', at: minutesAfterEpoch(4), actorId: PRODUCT_MANAGER_ID },
      { type: 'ChangeRequestImplemented', at: minutesAfterEpoch(5), actorId: SYSTEM_PROCESS_ID },
    ]);
  });

  it('takes each timeline entry from the event metadata, not from the payload', () => {
    const log = new EventLog();
    log.append(stream, changeRequestSubmitted({ requesterId: REQUESTER_ID, submittedAt: '2025-01-01T00:00:00.000Z' }), {
      actorId: 'user-on-behalf',
      occurredAt: '2025-03-20T10:00:00.000Z',
    });

    expect(detailsAfter(log.events)?.timeline).toEqual([{ type: 'ChangeRequestSubmitted', at: '2025-03-20T10:00:00.000Z', actorId: 'user-on-behalf' }]);
    expect(detailsAfter(log.events)).toMatchObject({ requesterId: REQUESTER_ID, submittedAt: '2025-01-01T00:00:00.000Z', updatedAt: '2025-03-20T10:00:00.000Z' });
  });

  it('replaces the assessment on a reassessment and keeps both steps in the timeline', () => {
    const log = changeRequestUpTo('assessed');
    const revised = { ...ASSESSMENT, relevance: 'low' as const, recommendation: 'reject' as const };
    log.append(stream, changeRequestAssessed({ assessment: revised, assessedBy: 'user-second-coordinator', assessedAt: minutesAfterEpoch(9) }), {
      actorId: 'user-second-coordinator',
    });

    const details = detailsAfter(log.events)!;
    expect(details.status).toBe('assessed');
    expect(details.assessment).toEqual({ ...revised, assessedBy: 'user-second-coordinator', assessedAt: minutesAfterEpoch(9) });
    expect(details.timeline.map(({ type }) => type)).toEqual(['ChangeRequestSubmitted', 'ChangeRequestAssessed', 'ChangeRequestAssessed']);
    expect(details.revision).toBe(2);
  });

  it('records a rejection as the decision, with its reason', () => {
    const log = changeRequestUpTo('awaiting_decision');
    log.append(stream, changeRequestRejected({ reason: 'Too costly', decidedAt: minutesAfterEpoch(4) }), { actorId: PRODUCT_MANAGER_ID });

    expect(detailsAfter(log.events)).toMatchObject({
      status: 'rejected',
      decision: { outcome: 'rejected', reason: 'Too costly', decidedBy: PRODUCT_MANAGER_ID, decidedAt: minutesAfterEpoch(4) },
      withdrawal: null,
      implementedAt: null,
      revision: 3,
    });
    expect(detailsAfter(log.events)?.timeline.at(-1)).toEqual({ type: 'ChangeRequestRejected', at: minutesAfterEpoch(4), actorId: PRODUCT_MANAGER_ID });
  });

  it.each(['submitted', 'assessed', 'awaiting_decision'] as const)('records a withdrawal of a request that is %s', (step) => {
    const log = changeRequestUpTo(step);
    const withdrawn = log.append(stream, changeRequestWithdrawn({ reason: 'No longer needed', withdrawnAt: minutesAfterEpoch(8) }), {
      actorId: REQUESTER_ID,
    });

    const details = detailsAfter(log.events)!;
    expect(details).toMatchObject({
      status: 'withdrawn',
      withdrawal: { reason: 'No longer needed', withdrawnAt: minutesAfterEpoch(8) },
      decision: null,
      revision: withdrawn.revision,
      updatedAt: withdrawn.metadata.occurredAt,
    });
    expect(details.timeline).toHaveLength(log.events.length);
    expect(details.timeline.at(-1)).toEqual({ type: 'ChangeRequestWithdrawn', at: withdrawn.metadata.occurredAt, actorId: REQUESTER_ID });
  });

  it('tracks the revision of the last event applied', () => {
    const log = changeRequestUpTo('approved');

    log.events.forEach((_, index) => {
      expect(detailsAfter(log.events.slice(0, index + 1))?.revision).toBe(index);
    });
  });

  it('changes nothing when an event the document already reflects is seen again', () => {
    const log = changeRequestUpTo('approved');
    const details = detailsAfter(log.events);

    for (const event of log.events) expect(evolveChangeRequestDetails(details, event)).toBe(details);
  });

  it('ignores later steps of a request it has no document for', () => {
    const assessed = recorded(changeRequestAssessed(), { streamId: stream, revision: 1, position: 2 });

    expect(evolveChangeRequestDetails(null, assessed)).toBeNull();
  });

  it('leaves the document as it is for an event type it does not know', () => {
    const details = evolveChangeRequestDetails(null, recorded(changeRequestSubmitted(), { streamId: stream, revision: 0, position: 1 }));
    const unknown = recorded({ type: 'ChangeRequestCommented', data: { text: 'hi' } }, { streamId: stream, revision: 1, position: 2 });

    expect(evolveChangeRequestDetails(details, unknown)).toBe(details);
  });

  it('does not change the document it evolves from', () => {
    const log = changeRequestUpTo('assessed');
    const before = detailsAfter(log.events)!;
    const snapshot = structuredClone(before);
    evolveChangeRequestDetails(before, recorded(changeRequestPresented(), { streamId: stream, revision: 2, position: 3 }));

    expect(before).toEqual(snapshot);
  });

  it('keeps one document per change request stream and none for other streams', () => {
    const other = '1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f';
    const log = new EventLog();
    log.append(productStream(PRODUCT_ID), productRegistered());
    log.append(stream, changeRequestSubmitted());
    log.append(changeRequestStream(other), changeRequestSubmitted({ changeRequestId: other, title: 'Lighter battery' }));
    log.append(notificationStream(REQUESTER_ID), applicantNotified());

    const requests = projectEvents(changeRequestDetailsProjection, log.events);

    expect([...requests.keys()].sort()).toEqual([CHANGE_REQUEST_ID, other].sort());
    expect(requests.get(other)?.title).toBe('Lighter battery');
  });

  it('names the request of a change request stream and nothing for any other stream', () => {
    const on = (streamId: string) => changeRequestDetailsProjection.documentIds(recorded(changeRequestSubmitted(), { streamId, revision: 0, position: 1 }));

    expect(on(stream)).toEqual([CHANGE_REQUEST_ID]);
    expect(on(productStream(PRODUCT_ID))).toEqual([]);
    expect(on(notificationStream(REQUESTER_ID))).toEqual([]);
  });
});
