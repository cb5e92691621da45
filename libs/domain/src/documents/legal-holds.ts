import type { DecisionContext } from '../shared/decider';
import type { DocumentLegalHoldPlaced, DocumentLegalHoldReleased, DocumentState } from './document';
import { DocumentErrors } from './document-errors';

export interface PlaceLegalHold {
  readonly type: 'PlaceLegalHold';
  readonly documentId: string;
  /** The case the hold is for: a document may be held for several at once. */
  readonly caseId: string;
  readonly reason: string;
}

export interface ReleaseLegalHold {
  readonly type: 'ReleaseLegalHold';
  readonly documentId: string;
  readonly caseId: string;
  readonly reason: string;
}

function caseAndReason(command: { caseId: string; reason: string }): { caseId: string; reason: string } {
  const caseId = command.caseId.trim();
  if (caseId === '') throw DocumentErrors.caseRequired();
  const reason = command.reason.trim();
  if (reason === '') throw DocumentErrors.reasonRequired();
  return { caseId, reason };
}

export function placeLegalHold(command: PlaceLegalHold, state: DocumentState, { now, actor }: DecisionContext): DocumentLegalHoldPlaced[] {
  if (state.status === 'none') throw DocumentErrors.notFound(command.documentId);
  if (state.status === 'disposed') throw DocumentErrors.disposed(state.id);
  const { caseId, reason } = caseAndReason(command);
  if (state.holds.has(caseId)) throw DocumentErrors.holdAlreadyPlaced(caseId);
  return [{ type: 'DocumentLegalHoldPlaced', data: { documentId: state.id, caseId, reason, placedBy: actor.id, placedAt: now.toISOString() } }];
}

export function releaseLegalHold(command: ReleaseLegalHold, state: DocumentState, { now, actor }: DecisionContext): DocumentLegalHoldReleased[] {
  if (state.status === 'none') throw DocumentErrors.notFound(command.documentId);
  const { caseId, reason } = caseAndReason(command);
  if (!state.holds.has(caseId)) throw DocumentErrors.holdNotFound(caseId);
  return [{ type: 'DocumentLegalHoldReleased', data: { documentId: state.id, caseId, reason, releasedBy: actor.id, releasedAt: now.toISOString() } }];
}
