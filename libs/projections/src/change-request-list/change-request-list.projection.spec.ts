import fc from 'fast-check';
import { changeRequestDetailsProjection } from '../change-request-details/change-request-details.projection';
import {
  CHANGE_REQUEST_ID,
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
  productStageAdvanced,
  productStream,
} from '../testing/domain-events';
import { EventLog, minutesAfterEpoch, projectDocument, projectEvents, recorded } from '../testing/recorded';
import { changeRequestListProjection, evolveChangeRequestSummary, type ChangeRequestSummary } from './change-request-list.projection';

const stream = changeRequestStream(CHANGE_REQUEST_ID);

describe('change request list projection', () => {
  it('keeps only the summary fields of a submitted request', () => {
    const log = new EventLog();
    log.append(stream, changeRequestSubmitted({ submittedAt: '2025-03-01T08:00:00.000Z' }), { actorId: REQUESTER_ID });

    expect(projectDocument(changeRequestListProjection, log.events, CHANGE_REQUEST_ID)).toEqual<ChangeRequestSummary>({
      id: CHANGE_REQUEST_ID,
      productId: PRODUCT_ID,
      title: 'Make it red',
      status: 'submitted',
      requesterId: REQUESTER_ID,
      submittedAt: '2025-03-01T08:00:00.000Z',
      updatedAt: minutesAfterEpoch(1),
      revision: 0,
    });
  });

  it('follows the status, revision and last update of the request step by step', () => {
    const log = new EventLog();
    log.append(stream, changeRequestSubmitted());
    log.append(stream, changeRequestAssessed());
    log.append(stream, changeRequestPresented());
    log.append(stream, changeRequestApproved(), { actorId: PRODUCT_MANAGER_ID });
    log.append(stream, changeRequestImplemented());

    const summaries = log.events.map((_, index) => projectDocument(changeRequestListProjection, log.events.slice(0, index + 1), CHANGE_REQUEST_ID));

    expect(summaries.map((summary) => [summary?.status, summary?.revision, summary?.updatedAt])).toEqual([
      ['submitted', 0, minutesAfterEpoch(1)],
      ['assessed', 1, minutesAfterEpoch(2)],
      ['awaiting_decision', 2, minutesAfterEpoch(3)],
      ['approved', 3, minutesAfterEpoch(4)],
      ['implemented', 4, minutesAfterEpoch(5)],
    ]);
    // What a list row does not show is not carried along either.
    expect(Object.keys(summaries.at(-1)!).sort()).toEqual(['id', 'productId', 'requesterId', 'revision', 'status', 'submittedAt', 'title', 'updatedAt']);
  });

  it.each([
    ['rejected', changeRequestRejected()],
    ['withdrawn', changeRequestWithdrawn()],
  ] as const)('shows a request that ends %s', (status, ending) => {
    const log = new EventLog();
    log.append(stream, changeRequestSubmitted());
    log.append(stream, changeRequestAssessed());
    log.append(stream, changeRequestPresented());
    log.append(stream, ending);

    expect(projectDocument(changeRequestListProjection, log.events, CHANGE_REQUEST_ID)).toMatchObject({ status, revision: 3 });
  });

  it('ignores products and notifications', () => {
    const log = new EventLog();
    log.append(productStream(PRODUCT_ID), productRegistered());
    log.append(productStream(PRODUCT_ID), productStageAdvanced());
    log.append(notificationStream(REQUESTER_ID), applicantNotified());

    expect(projectEvents(changeRequestListProjection, log.events).size).toBe(0);
    for (const event of log.events) expect(changeRequestListProjection.documentIds(event)).toEqual([]);
  });

  it('has no row for a request whose submission it never saw', () => {
    expect(evolveChangeRequestSummary(null, recorded(changeRequestAssessed(), { streamId: stream, revision: 1, position: 2 }))).toBeNull();
  });

  it('keeps the row as it was for an event type it does not know', () => {
    const log = new EventLog();
    log.append(stream, changeRequestSubmitted());
    const before = projectDocument(changeRequestListProjection, log.events, CHANGE_REQUEST_ID);
    log.append(stream, { type: 'ChangeRequestCommented', data: { text: 'hi' } });

    expect(projectDocument(changeRequestListProjection, log.events, CHANGE_REQUEST_ID)).toEqual(before);
  });

  /** Any path the domain allows: some assessments, maybe presented, then maybe a decision, implementation or withdrawal. */
  const lifecycle = fc.record({
    assessments: fc.nat({ max: 3 }),
    presented: fc.boolean(),
    ending: fc.constantFrom('open', 'withdrawn', 'approved', 'implemented', 'rejected'),
    unrelatedBefore: fc.nat({ max: 3 }),
  });

  it('agrees with the details projection on every field it shows, on any path the domain allows', () => {
    fc.assert(
      fc.property(lifecycle, ({ assessments, presented, ending, unrelatedBefore }) => {
        const log = new EventLog();
        for (let n = 0; n < unrelatedBefore; n += 1) log.append(notificationStream(`user-${n}`), applicantNotified({ notificationId: `n-${n}` }));
        log.append(stream, changeRequestSubmitted());
        for (let n = 0; n < assessments; n += 1) log.append(stream, changeRequestAssessed());
        const awaiting = presented && assessments > 0;
        if (awaiting) log.append(stream, changeRequestPresented());
        if (ending === 'withdrawn') log.append(stream, changeRequestWithdrawn());
        if (awaiting && ending === 'rejected') log.append(stream, changeRequestRejected());
        if (awaiting && (ending === 'approved' || ending === 'implemented')) log.append(stream, changeRequestApproved());
        if (awaiting && ending === 'implemented') log.append(stream, changeRequestImplemented());

        const details = projectDocument(changeRequestDetailsProjection, log.events, CHANGE_REQUEST_ID)!;
        const { id, productId, title, status, requesterId, submittedAt, updatedAt, revision } = details;
        expect(projectDocument(changeRequestListProjection, log.events, CHANGE_REQUEST_ID)).toEqual({
          id,
          productId,
          title,
          status,
          requesterId,
          submittedAt,
          updatedAt,
          revision,
        });
        expect(revision).toBe(log.events.length - 1 - unrelatedBefore);
      }),
    );
  });
});
