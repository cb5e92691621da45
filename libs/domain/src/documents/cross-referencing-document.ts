import type { DecisionContext } from '../shared/decider';
import type { DocumentCrossReferenced, DocumentState } from './document';
import { DocumentErrors } from './document-errors';
import { checkReferences, crossReferenced, type CheckedReference } from './filing-document';

export interface CrossReferenceDocument {
  readonly type: 'CrossReferenceDocument';
  readonly documentId: string;
  readonly reference: CheckedReference;
}

/** The same reference made again records nothing new. */
export function crossReferenceDocument(command: CrossReferenceDocument, state: DocumentState, { now, actor }: DecisionContext): DocumentCrossReferenced[] {
  if (state.status === 'none') throw DocumentErrors.notFound(command.documentId);
  if (state.status === 'disposed') throw DocumentErrors.disposed(state.id);
  return checkReferences(state.id, [command.reference], state.references).map((reference) => crossReferenced(state.id, reference, actor.id, now.toISOString()));
}
