import type { DomainEvent } from '../shared/decider';
import type { SpecificationValue } from '../shared/specification';

export const CHANGE_REQUEST_STATUSES = ['submitted', 'assessed', 'awaiting_decision', 'approved', 'rejected', 'implemented', 'withdrawn'] as const;
export type ChangeRequestStatus = (typeof CHANGE_REQUEST_STATUSES)[number];
export type Relevance = 'low' | 'medium' | 'high';
export type Recommendation = 'approve' | 'reject';
export type DecisionOutcome = 'approved' | 'rejected';

export const toChangeRequestStreamId = (changeRequestId: string): string => `change-request-${changeRequestId}`;

export interface RequestedChange {
  readonly field: string;
  readonly proposedValue: SpecificationValue;
  /** The field's value on the product when the request was submitted; null if the request adds it. */
  readonly currentValue: SpecificationValue | null;
}

export interface Assessment {
  readonly relevance: Relevance;
  readonly risks: string;
  readonly benefits: string;
  readonly estimatedCost: { readonly amount: number; readonly currency: string };
  readonly recommendation: Recommendation;
}

export type ChangeRequestSubmitted = DomainEvent<
  'ChangeRequestSubmitted',
  {
    readonly changeRequestId: string;
    readonly productId: string;
    readonly title: string;
    readonly description: string;
    readonly changes: readonly RequestedChange[];
    readonly justification: string | null;
    readonly requesterId: string;
    readonly baseSpecificationVersion: number;
    readonly submittedAt: string;
  }
>;
export type ChangeRequestAssessed = DomainEvent<
  'ChangeRequestAssessed',
  { readonly changeRequestId: string; readonly assessment: Assessment; readonly assessedBy: string; readonly assessedAt: string }
>;
export type ChangeRequestPresented = DomainEvent<
  'ChangeRequestPresented',
  { readonly changeRequestId: string; readonly productManagerId: string; readonly presentedBy: string; readonly presentedAt: string }
>;
export type ChangeRequestApproved = DomainEvent<
  'ChangeRequestApproved',
  { readonly changeRequestId: string; readonly productId: string; readonly requesterId: string; readonly decidedBy: string; readonly reason: string; readonly decidedAt: string }
>;
export type ChangeRequestRejected = DomainEvent<
  'ChangeRequestRejected',
  { readonly changeRequestId: string; readonly productId: string; readonly requesterId: string; readonly decidedBy: string; readonly reason: string; readonly decidedAt: string }
>;
export type ChangeRequestImplemented = DomainEvent<
  'ChangeRequestImplemented',
  {
    readonly changeRequestId: string;
    readonly productId: string;
    /** The product's specification version that carries this change. */
    readonly specificationVersion: number;
    readonly implementedBy: string;
    readonly implementedAt: string;
  }
>;
export type ChangeRequestWithdrawn = DomainEvent<
  'ChangeRequestWithdrawn',
  { readonly changeRequestId: string; readonly withdrawnBy: string; readonly reason: string; readonly withdrawnAt: string }
>;

export type ChangeRequestEvent =
  | ChangeRequestSubmitted
  | ChangeRequestAssessed
  | ChangeRequestPresented
  | ChangeRequestApproved
  | ChangeRequestRejected
  | ChangeRequestImplemented
  | ChangeRequestWithdrawn;

export type ChangeRequest =
  | { readonly status: 'none' }
  | {
      readonly status: ChangeRequestStatus;
      readonly id: string;
      readonly productId: string;
      readonly requesterId: string;
      readonly changes: readonly RequestedChange[];
      readonly baseSpecificationVersion: number;
      readonly assessment: Assessment | null;
    };

export type ExistingChangeRequest = Extract<ChangeRequest, { id: string }>;

export const initialChangeRequest = (): ChangeRequest => ({ status: 'none' });

export function evolveChangeRequest(state: ChangeRequest, event: ChangeRequestEvent): ChangeRequest {
  if (event.type === 'ChangeRequestSubmitted') {
    const { changeRequestId, productId, requesterId, changes, baseSpecificationVersion } = event.data;
    return { status: 'submitted', id: changeRequestId, productId, requesterId, changes, baseSpecificationVersion, assessment: null };
  }
  if (state.status === 'none') return state;
  switch (event.type) {
    case 'ChangeRequestAssessed':
      return { ...state, status: 'assessed', assessment: event.data.assessment };
    case 'ChangeRequestPresented':
      return { ...state, status: 'awaiting_decision' };
    case 'ChangeRequestApproved':
      return { ...state, status: 'approved' };
    case 'ChangeRequestRejected':
      return { ...state, status: 'rejected' };
    case 'ChangeRequestImplemented':
      return { ...state, status: 'implemented' };
    case 'ChangeRequestWithdrawn':
      return { ...state, status: 'withdrawn' };
    default: {
      const unknownEvent: never = event;
      return unknownEvent;
    }
  }
}
