import type { DecisionContext } from '../shared/decider';
import type { DocumentContentRetrieved, DocumentState, RetrievalPurpose } from './document';
import { DocumentErrors } from './document-errors';

export interface RecordDocumentRetrieval {
  readonly type: 'RecordDocumentRetrieval';
  readonly documentId: string;
  /** null: the latest version. */
  readonly version: number | null;
  readonly purpose: RetrievalPurpose;
}

/**
 * Reading a controlled record is evidence too: who read which version, and when. The content is
 * handed out only once this is recorded.
 */
export function recordDocumentRetrieval(command: RecordDocumentRetrieval, state: DocumentState, { now, actor }: DecisionContext): DocumentContentRetrieved[] {
  if (state.status === 'none') throw DocumentErrors.notFound(command.documentId);
  if (state.status === 'disposed') throw DocumentErrors.disposed(state.id);
  const wanted = command.version ?? state.versions.length;
  const version = state.versions.find((candidate) => candidate.version === wanted);
  if (!version) throw DocumentErrors.versionNotFound(state.id, wanted);
  if (version.contentHash === null) throw DocumentErrors.paperOriginal(version.version, version.location!);
  return [
    {
      type: 'DocumentContentRetrieved',
      data: {
        documentId: state.id,
        version: version.version,
        contentHash: version.contentHash,
        purpose: command.purpose,
        retrievedBy: actor.id,
        retrievedAt: now.toISOString(),
      },
    },
  ];
}
