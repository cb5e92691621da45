import {
  CHANGE_REQUEST_ID,
  PRODUCT_ID,
  REQUESTER_ID,
  applicantNotified,
  changeRequestAssessed,
  changeRequestStream,
  changeRequestSubmitted,
  notificationStream,
  productRegistered,
  productStageAdvanced,
  productStream,
} from '../testing/domain-events';
import { EventLog, projectEvents, recorded } from '../testing/recorded';
import { auditEntriesProjection, auditRecordOf, type AuditEntry, type AuditRecord } from './audit-entries.projection';

describe('audit entries projection', () => {
  it('keeps one entry per stored event of any type, keyed by its position in the log', () => {
    const log = new EventLog();
    log.append(productStream(PRODUCT_ID), productRegistered());
    log.append(changeRequestStream(CHANGE_REQUEST_ID), changeRequestSubmitted(), { actorId: REQUESTER_ID });
    log.append(productStream(PRODUCT_ID), productStageAdvanced());
    log.append(changeRequestStream(CHANGE_REQUEST_ID), changeRequestAssessed());
    log.append(notificationStream(REQUESTER_ID), applicantNotified());
    // Types this build does not know (a newer writer, a future module) are audited all the same.
    log.append('document-5c1e0a9b', { type: 'DocumentFiled', data: { title: 'Test report' } }, { schemaVersion: 3 });
    log.append('legacy', { type: 'LegacyImported', data: null });

    const entries = projectEvents(auditEntriesProjection, log.events);

    expect(entries.size).toBe(log.events.length);
    expect([...entries.keys()]).toEqual(log.events.map(({ position }) => position));
    expect([...entries.values()].map(({ type }) => type)).toEqual([
      'ProductRegistered',
      'ChangeRequestSubmitted',
      'ProductStageAdvanced',
      'ChangeRequestAssessed',
      'ApplicantNotified',
      'DocumentFiled',
      'LegacyImported',
    ]);
  });

  it('indexes each event by what an auditor filters on and where it lies in the log, without copying it', () => {
    const event = submittedEvent();

    expect(auditEntriesProjection.evolve(null, event)).toEqual<AuditEntry>({
      id: '0000000000000042',
      eventId: 'e1f2a3b4-c5d6-4e7f-8a9b-0c1d2e3f4a5b',
      streamId: `change-request-${CHANGE_REQUEST_ID}`,
      revision: 0,
      entityId: CHANGE_REQUEST_ID,
      type: 'ChangeRequestSubmitted',
      actorId: REQUESTER_ID,
      recordedAt: '2025-03-14T10:00:00.120Z',
    });
  });

  it('shows an event read back from the log with its envelope, its actor and its payload', () => {
    expect(auditRecordOf(submittedEvent())).toEqual<AuditRecord>({
      position: '0000000000000042',
      eventId: 'e1f2a3b4-c5d6-4e7f-8a9b-0c1d2e3f4a5b',
      type: 'ChangeRequestSubmitted',
      schemaVersion: 1,
      streamId: `change-request-${CHANGE_REQUEST_ID}`,
      entityId: CHANGE_REQUEST_ID,
      revision: 0,
      actor: { id: REQUESTER_ID, roles: ['requester'] },
      occurredAt: '2025-03-14T10:00:00.000Z',
      recordedAt: '2025-03-14T10:00:00.120Z',
      correlationId: 'correlation-abc',
      causationId: 'command-xyz',
      hash: 'hash-42',
      data: changeRequestSubmitted().data,
    });
  });

  it.each([
    [changeRequestStream(CHANGE_REQUEST_ID), CHANGE_REQUEST_ID],
    [productStream(PRODUCT_ID), PRODUCT_ID],
    // User ids contain dashes themselves; only the category prefix is cut.
    [notificationStream('user-requester'), 'user-requester'],
    ['document-5c1e0a9b', '5c1e0a9b'],
  ])('takes the entity of %s from the stream id', (streamId, entityId) => {
    const entry = auditEntriesProjection.evolve(null, recorded({ type: 'Anything', data: {} }, { streamId, revision: 0, position: 1 }));

    expect(entry?.entityId).toBe(entityId);
  });

  it('shows an event without causation as caused by nothing', () => {
    const record = auditRecordOf(recorded(productRegistered(), { streamId: productStream(PRODUCT_ID), revision: 0, position: 1 }));

    expect(record.causationId).toBeNull();
  });

  it('writes the same entry when an event is seen again', () => {
    const event = recorded(productRegistered(), { streamId: productStream(PRODUCT_ID), revision: 0, position: 1 });
    const first = auditEntriesProjection.evolve(null, event);

    expect(auditEntriesProjection.evolve(first, event)).toEqual(first);
    expect(auditEntriesProjection.documentIds(event)).toEqual([event.position]);
  });
});

function submittedEvent() {
  return recorded(changeRequestSubmitted(), {
    streamId: changeRequestStream(CHANGE_REQUEST_ID),
    revision: 0,
    position: 42,
    eventId: 'e1f2a3b4-c5d6-4e7f-8a9b-0c1d2e3f4a5b',
    actorId: REQUESTER_ID,
    roles: ['requester'],
    correlationId: 'correlation-abc',
    causationId: 'command-xyz',
    occurredAt: '2025-03-14T10:00:00.000Z',
    recordedAt: '2025-03-14T10:00:00.120Z',
  });
}
