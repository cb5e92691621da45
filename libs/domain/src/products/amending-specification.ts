import type { DecisionContext } from '../shared/decider';
import type { FieldChange } from '../shared/specification';
import type { Product, ProductSpecificationAmended } from './product';
import { ProductErrors } from './product-errors';

/** Issued only when an approved change request is implemented: the one way a specification changes. */
export interface AmendProductSpecification {
  readonly type: 'AmendProductSpecification';
  readonly productId: string;
  readonly changeRequestId: string;
  readonly changes: readonly FieldChange[];
  /** The specification version the request was submitted against. */
  readonly baseSpecificationVersion: number;
}

export function amendProductSpecification(
  command: AmendProductSpecification,
  state: Product,
  { now }: DecisionContext,
): ProductSpecificationAmended[] {
  if (state.status !== 'registered') throw ProductErrors.notFound(command.productId);
  // Implementing the same request twice (a retry, a replayed process) amends once.
  if (Object.hasOwn(state.implementedChangeRequests, command.changeRequestId)) return [];
  const changedSinceRequest = command.changes
    .map(({ field }) => field)
    .filter((field) => Object.hasOwn(state.fieldVersions, field) && state.fieldVersions[field] > command.baseSpecificationVersion);
  if (changedSinceRequest.length > 0) throw ProductErrors.specificationFieldChangedSinceRequest(changedSinceRequest, command.baseSpecificationVersion);
  return [
    {
      type: 'ProductSpecificationAmended',
      data: {
        productId: state.id,
        changeRequestId: command.changeRequestId,
        specificationVersion: state.specificationVersion + 1,
        amendments: command.changes.map(({ field, proposedValue }) => ({
          field,
          // Own fields only: a field named like an Object member ("constructor") is otherwise found on the prototype.
          before: Object.hasOwn(state.specification, field) ? state.specification[field] : null,
          after: proposedValue,
        })),
        amendedAt: now.toISOString(),
      },
    },
  ];
}
