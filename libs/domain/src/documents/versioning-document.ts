import type { DecisionContext } from '../shared/decider';
import type { DocumentState, DocumentVersionAdded, PaperLocation, StoredContent } from './document';
import { DocumentErrors } from './document-errors';
import { versionBody } from './filing-document';

export interface AddDocumentVersion {
  readonly type: 'AddDocumentVersion';
  readonly documentId: string;
  readonly content: StoredContent | null;
  readonly location: PaperLocation | null;
  readonly note: string | null;
}

/** A new version keeps its own hash; the earlier ones stay as they were, and retrievable. */
export function addDocumentVersion(command: AddDocumentVersion, state: DocumentState, { now, actor }: DecisionContext): DocumentVersionAdded[] {
  if (state.status === 'none') throw DocumentErrors.notFound(command.documentId);
  if (state.status === 'disposed') throw DocumentErrors.disposed(state.id);
  if (state.recordOf !== null) throw DocumentErrors.recordImmutable(state.id);
  const { content, location } = versionBody(state.medium, command.content, command.location);
  const latest = state.versions[state.versions.length - 1]!;
  if (content !== null && latest.contentHash === content.contentHash) throw DocumentErrors.contentUnchanged(latest.version);
  const note = command.note?.trim() || null;
  return [
    {
      type: 'DocumentVersionAdded',
      data: { documentId: state.id, version: latest.version + 1, content, location, note, addedBy: actor.id, addedAt: now.toISOString() },
    },
  ];
}
