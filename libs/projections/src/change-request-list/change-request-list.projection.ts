import type { ChangeRequestStatus } from '@pc/domain';
import type { RecordedEvent } from '@pc/event-store';
import { evolveChangeRequestDetails } from '../change-request-details/change-request-details.projection';
import { oneDocumentPerStream, type Projection } from '../projection';

/** The row a dashboard or a list screen needs, indexed for its filters. */
export interface ChangeRequestSummary {
  readonly id: string;
  readonly productId: string;
  readonly title: string;
  readonly status: ChangeRequestStatus;
  readonly requesterId: string;
  readonly submittedAt: string;
  readonly updatedAt: string;
  readonly revision: number;
  [key: string]: unknown;
}

export const CHANGE_REQUEST_SUMMARIES_COLLECTION = 'change_request_summaries';

export function evolveChangeRequestSummary(document: ChangeRequestSummary | null, event: RecordedEvent): ChangeRequestSummary | null {
  // The summary follows the same transitions as the details; deriving it keeps the two from drifting apart.
  // Built field by field rather than spread from the summary: a catch-up evolves every change-request event, and the
  // spread was the costliest step of this projection (docs/performance.md). Only the summary's fields are read back.
  const details = evolveChangeRequestDetails(
    document && {
      id: document.id,
      productId: document.productId,
      title: document.title,
      status: document.status,
      requesterId: document.requesterId,
      submittedAt: document.submittedAt,
      updatedAt: document.updatedAt,
      revision: document.revision,
      description: '',
      justification: null,
      changes: [],
      assessment: null,
      decision: null,
      withdrawal: null,
      implementedAt: null,
      implementedInSpecificationVersion: null,
      timeline: [],
    },
    event,
  );
  if (!details) return null;
  const { id, productId, title, status, requesterId, submittedAt, updatedAt, revision } = details;
  return { id, productId, title, status, requesterId, submittedAt, updatedAt, revision };
}

export const changeRequestListProjection: Projection<ChangeRequestSummary> = {
  name: 'change-request-list',
  collection: {
    name: CHANGE_REQUEST_SUMMARIES_COLLECTION,
    indexes: [
      { fields: ['submittedAt'] },
      { fields: ['status', 'submittedAt'] },
      { fields: ['productId', 'submittedAt'] },
      { fields: ['requesterId', 'submittedAt'] },
    ],
  },
  ...oneDocumentPerStream('change-request'),
  evolve: evolveChangeRequestSummary,
};
