import type { DecisionContext } from '../shared/decider';
import type { AmendProductSpecification } from '../products/amending-specification';
import type { ChangeRequest, ChangeRequestImplemented } from './change-request';
import { ChangeRequestErrors } from './change-request-errors';

/**
 * Implementation touches two streams. The product is amended first (the amendment names the
 * request), then the request records it; if the second step is lost to a crash, the
 * change-request-implementation process completes it from the product's amendment event.
 */
export function amendmentFor(changeRequest: ChangeRequest, changeRequestId: string): AmendProductSpecification {
  if (changeRequest.status === 'none') throw ChangeRequestErrors.notFound(changeRequestId);
  if (changeRequest.status !== 'approved') throw ChangeRequestErrors.notApproved(changeRequest.status);
  return {
    type: 'AmendProductSpecification',
    productId: changeRequest.productId,
    changeRequestId: changeRequest.id,
    changes: changeRequest.changes.map(({ field, proposedValue }) => ({ field, proposedValue })),
    baseSpecificationVersion: changeRequest.baseSpecificationVersion,
  };
}

export interface RecordChangeRequestImplementation {
  readonly type: 'RecordChangeRequestImplementation';
  readonly changeRequestId: string;
  /** The product's specification version that carries the change. */
  readonly specificationVersion: number;
  /** Who implemented it: the coordinator, also when a process completes the record for them. */
  readonly implementedBy: string;
}

export function recordChangeRequestImplementation(
  command: RecordChangeRequestImplementation,
  state: ChangeRequest,
  { now }: DecisionContext,
): ChangeRequestImplemented[] {
  if (state.status === 'none') throw ChangeRequestErrors.notFound(command.changeRequestId);
  if (state.status === 'implemented') return [];
  if (state.status !== 'approved') throw ChangeRequestErrors.notApproved(state.status);
  return [
    {
      type: 'ChangeRequestImplemented',
      data: {
        changeRequestId: state.id,
        productId: state.productId,
        specificationVersion: command.specificationVersion,
        implementedBy: command.implementedBy,
        implementedAt: now.toISOString(),
      },
    },
  ];
}
