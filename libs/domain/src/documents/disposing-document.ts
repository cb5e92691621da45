import type { DecisionContext } from '../shared/decider';
import type { DocumentDisposed, DocumentState } from './document';
import { DocumentErrors } from './document-errors';
import { retentionEnd, type RetentionPeriod } from './retention';

export interface DisposeDocument {
  readonly type: 'DisposeDocument';
  readonly documentId: string;
  readonly reason: string;
  /** The class's retention period under the policy in force now. */
  readonly retentionPeriod: RetentionPeriod;
}

/**
 * The end of retention: never earlier than promised at filing, and later if the policy has since
 * been lengthened.
 */
export function effectiveRetentionEnd(state: Extract<DocumentState, { id: string }>, currentPolicy: RetentionPeriod): string {
  const underCurrentPolicy = retentionEnd(state.filedAt, currentPolicy);
  return underCurrentPolicy > state.retainUntil ? underCurrentPolicy : state.retainUntil;
}

/**
 * Disposal removes the content and keeps the record that the document existed, who disposed of it
 * and why. No role lifts a legal hold or a retention period: the refusal does not look at who asks.
 */
export function disposeDocument(command: DisposeDocument, state: DocumentState, { now, actor }: DecisionContext): DocumentDisposed[] {
  if (state.status === 'none') throw DocumentErrors.notFound(command.documentId);
  if (state.status === 'disposed') throw DocumentErrors.disposed(state.id);
  if (state.holds.size > 0) throw DocumentErrors.underLegalHold([...state.holds.keys()]);
  const retainUntil = effectiveRetentionEnd(state, command.retentionPeriod);
  if (now.toISOString() < retainUntil) throw DocumentErrors.underRetention(retainUntil);
  const reason = command.reason.trim();
  if (reason === '') throw DocumentErrors.reasonRequired();
  return [
    {
      type: 'DocumentDisposed',
      data: {
        documentId: state.id,
        reason,
        retentionEndedAt: retainUntil,
        contentRemoved: state.versions.flatMap(({ version, contentHash }) => (contentHash === null ? [] : [{ version, contentHash }])),
        disposedBy: actor.id,
        disposedAt: now.toISOString(),
      },
    },
  ];
}
