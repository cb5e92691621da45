import type { Assessment, ChangeRequestStatus, DecisionOutcome, RequestedChange } from '@pc/domain';
import type { RecordedEvent } from '@pc/event-store';
import { asDomainEvent, oneDocumentPerStream, type Projection } from '../projection';

export interface TimelineEntry {
  readonly type: string;
  readonly at: string;
  readonly actorId: string;
}

export interface ChangeRequestDetails {
  readonly id: string;
  readonly productId: string;
  readonly title: string;
  readonly description: string;
  readonly justification: string | null;
  readonly changes: readonly RequestedChange[];
  readonly status: ChangeRequestStatus;
  readonly requesterId: string;
  readonly assessment: (Assessment & { readonly assessedBy: string; readonly assessedAt: string }) | null;
  readonly decision: { readonly outcome: DecisionOutcome; readonly reason: string; readonly decidedBy: string; readonly decidedAt: string } | null;
  readonly withdrawal: { readonly reason: string; readonly withdrawnAt: string } | null;
  readonly implementedAt: string | null;
  readonly implementedInSpecificationVersion: number | null;
  readonly submittedAt: string;
  readonly updatedAt: string;
  readonly revision: number;
  readonly timeline: readonly TimelineEntry[];
  [key: string]: unknown;
}

export const CHANGE_REQUESTS_COLLECTION = 'change_requests';

export function evolveChangeRequestDetails(document: ChangeRequestDetails | null, recorded: RecordedEvent): ChangeRequestDetails | null {
  const event = asDomainEvent(recorded);
  // A document remembers the revision it was built to, so an event replayed onto it changes nothing.
  if (!event || (document && recorded.revision <= document.revision)) return document;
  const entry: TimelineEntry = { type: recorded.type, at: recorded.metadata.occurredAt, actorId: recorded.metadata.actor.id };
  const touched = { revision: recorded.revision, updatedAt: recorded.metadata.occurredAt };
  if (event.type === 'ChangeRequestSubmitted') {
    const { data } = event;
    return {
      id: data.changeRequestId,
      productId: data.productId,
      title: data.title,
      description: data.description,
      justification: data.justification,
      changes: data.changes,
      status: 'submitted',
      requesterId: data.requesterId,
      assessment: null,
      decision: null,
      withdrawal: null,
      implementedAt: null,
      implementedInSpecificationVersion: null,
      submittedAt: data.submittedAt,
      timeline: [entry],
      ...touched,
    };
  }
  if (!document) return document;
  const next = { ...touched, timeline: [...document.timeline, entry] };
  switch (event.type) {
    case 'ChangeRequestAssessed':
      return { ...document, ...next, status: 'assessed', assessment: { ...event.data.assessment, assessedBy: event.data.assessedBy, assessedAt: event.data.assessedAt } };
    case 'ChangeRequestPresented':
      return { ...document, ...next, status: 'awaiting_decision' };
    case 'ChangeRequestApproved':
    case 'ChangeRequestRejected': {
      const outcome: DecisionOutcome = event.type === 'ChangeRequestApproved' ? 'approved' : 'rejected';
      const { reason, decidedBy, decidedAt } = event.data;
      return { ...document, ...next, status: outcome, decision: { outcome, reason, decidedBy, decidedAt } };
    }
    case 'ChangeRequestImplemented':
      return {
        ...document,
        ...next,
        status: 'implemented',
        implementedAt: event.data.implementedAt,
        implementedInSpecificationVersion: event.data.specificationVersion,
      };
    case 'ChangeRequestWithdrawn':
      return { ...document, ...next, status: 'withdrawn', withdrawal: { reason: event.data.reason, withdrawnAt: event.data.withdrawnAt } };
    default:
      return document;
  }
}

export const changeRequestDetailsProjection: Projection<ChangeRequestDetails> = {
  name: 'change-request-details',
  collection: { name: CHANGE_REQUESTS_COLLECTION, indexes: [] },
  ...oneDocumentPerStream('change-request'),
  evolve: evolveChangeRequestDetails,
};
