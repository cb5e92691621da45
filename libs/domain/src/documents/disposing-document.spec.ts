import { deciderSpec, SPEC_NOW } from '../testing/decider-spec';
import { EARLIER } from '../testing/fixtures';
import { ADMIN, DOCUMENT_ID, documentDisposed, documentFiled, hashOf, holdPlaced, holdReleased, NO_RETENTION, paperDocumentFiled, TEN_YEARS, versionAdded } from '../testing/document-fixtures';
import type { DisposeDocument } from './disposing-document';
import { documentDecider } from './document.decider';

const document = deciderSpec(documentDecider);
const asAdmin = { actor: ADMIN };

const dispose = (retentionPeriod = NO_RETENTION, reason = 'Retention period over'): DisposeDocument => ({ type: 'DisposeDocument', documentId: DOCUMENT_ID, reason, retentionPeriod });

/** Filed at EARLIER with retention ending then: free to dispose of unless something else holds it. */
const expired = documentFiled({ retainUntil: EARLIER });

describe('Disposing of a document', () => {
  it('removes the content of every electronic version and keeps who disposed of it and why', () => {
    document
      .given([expired, versionAdded(2, 'b')])
      .when(dispose(), asAdmin)
      .thenEmits([
        {
          type: 'DocumentDisposed',
          data: {
            documentId: DOCUMENT_ID,
            reason: 'Retention period over',
            retentionEndedAt: EARLIER,
            contentRemoved: [
              { version: 1, contentHash: hashOf('a') },
              { version: 2, contentHash: hashOf('b') },
            ],
            disposedBy: ADMIN.id,
            disposedAt: SPEC_NOW.toISOString(),
          },
        },
      ]);
  });

  it('disposes of a paper original: there is no content to remove', () => {
    const [disposed] = documentDecider.decide(dispose(), documentDecider.evolve(documentDecider.initialState(), paperDocumentFiled({ retainUntil: EARLIER })), { now: SPEC_NOW, actor: ADMIN });
    expect(disposed).toMatchObject({ type: 'DocumentDisposed', data: { contentRemoved: [] } });
  });

  it('refuses while retention runs, naming the date, whoever asks', () => {
    const error = document.given([documentFiled({ retainUntil: '2035-03-01T08:00:00.000Z' })]).when(dispose(), asAdmin).thenThrows('DOCUMENT.UNDER_RETENTION');
    expect(error.kind).toBe('conflict');
    expect(error.details).toEqual({ retainUntil: '2035-03-01T08:00:00.000Z' });
    expect(error.message).toContain('2035-03-01T08:00:00.000Z');
  });

  it('applies a retention policy lengthened since filing', () => {
    const error = document.given([expired]).when(dispose(TEN_YEARS), asAdmin).thenThrows('DOCUMENT.UNDER_RETENTION');
    expect(error.details).toEqual({ retainUntil: '2035-03-01T08:00:00.000Z' });
  });

  it('keeps the retention promised at filing when the policy is shortened', () => {
    document.given([documentFiled({ retainUntil: '2030-01-01T00:00:00.000Z' })]).when(dispose(NO_RETENTION), asAdmin).thenThrows('DOCUMENT.UNDER_RETENTION');
  });

  it('refuses under any legal hold, naming every case, even after retention', () => {
    const error = document.given([expired, holdPlaced('CASE-A'), holdPlaced('CASE-B')]).when(dispose(), asAdmin).thenThrows('DOCUMENT.UNDER_LEGAL_HOLD');
    expect(error.kind).toBe('conflict');
    expect(error.details).toEqual({ holds: ['CASE-A', 'CASE-B'] });
    expect(error.message).toMatch(/CASE-A, CASE-B/);
  });

  it('refuses while one of several holds remains', () => {
    document.given([expired, holdPlaced('CASE-A'), holdPlaced('CASE-B'), holdReleased('CASE-A')]).when(dispose(), asAdmin).thenThrows('DOCUMENT.UNDER_LEGAL_HOLD');
  });

  it('disposes once every hold is released', () => {
    const events = documentDecider.decide(
      dispose(),
      [expired, holdPlaced('CASE-A'), holdReleased('CASE-A')].reduce(documentDecider.evolve, documentDecider.initialState()),
      { now: SPEC_NOW, actor: ADMIN },
    );
    expect(events.map((event) => event.type)).toEqual(['DocumentDisposed']);
  });

  it.each([
    ['a document already disposed of', [expired, documentDisposed()], dispose(), 'DOCUMENT.DISPOSED'],
    ['an unknown document', [], dispose(), 'DOCUMENT.NOT_FOUND'],
    ['a disposal without a reason', [expired], dispose(NO_RETENTION, '  '), 'DOCUMENT.REASON_REQUIRED'],
  ] as const)('refuses %s', (_case, history, command, code) => {
    document.given(history).when(command, asAdmin).thenThrows(code);
  });
});
