import type { DecisionContext } from '../shared/decider';
import type { FieldChange } from '../shared/specification';
import type { RegisteredProduct } from '../products/product';
import type { ChangeRequest, ChangeRequestSubmitted } from './change-request';
import { ChangeRequestErrors } from './change-request-errors';

export interface SubmitChangeRequest {
  readonly type: 'SubmitChangeRequest';
  readonly changeRequestId: string;
  readonly productId: string;
  /** The product as it stands now, looked up by the caller; null when it does not exist. */
  readonly product: RegisteredProduct | null;
  readonly title: string;
  readonly description: string;
  readonly changes: readonly FieldChange[];
  readonly justification: string | null;
}

export function submitChangeRequest(command: SubmitChangeRequest, state: ChangeRequest, { now, actor }: DecisionContext): ChangeRequestSubmitted[] {
  if (state.status !== 'none') throw ChangeRequestErrors.alreadySubmitted(command.changeRequestId);
  const { product } = command;
  if (product === null) throw ChangeRequestErrors.productUnknown(command.productId);
  if (product.stage === 'discontinued') throw ChangeRequestErrors.productDiscontinued(product.id);
  if (command.changes.length === 0) throw ChangeRequestErrors.noChanges();
  const seen = new Set<string>();
  for (const { field } of command.changes) {
    if (seen.has(field)) throw ChangeRequestErrors.duplicateField(field);
    seen.add(field);
  }
  return [
    {
      type: 'ChangeRequestSubmitted',
      data: {
        changeRequestId: command.changeRequestId,
        productId: product.id,
        title: command.title.trim(),
        description: command.description,
        changes: command.changes.map(({ field, proposedValue }) => ({
          field,
          proposedValue,
          currentValue: Object.hasOwn(product.specification, field) ? product.specification[field] : null,
        })),
        justification: command.justification,
        requesterId: actor.id,
        baseSpecificationVersion: product.specificationVersion,
        submittedAt: now.toISOString(),
      },
    },
  ];
}
