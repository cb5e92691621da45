import { DomainError } from '../shared/domain-error';
import type { ProductStage } from './product';

export const ProductErrors = {
  notFound: (productId: string) => new DomainError('PRODUCT.NOT_FOUND', 'not_found', `Product ${productId} does not exist`, { productId }),
  skuAlreadyRegistered: (sku: string) =>
    new DomainError('PRODUCT.SKU_ALREADY_REGISTERED', 'conflict', `A product with SKU ${sku} is already registered`, { sku }),
  alreadyRegistered: (productId: string) =>
    new DomainError('PRODUCT.ALREADY_REGISTERED', 'conflict', `Product ${productId} is already registered`, { productId }),
  stageMustMoveForward: (from: ProductStage, to: ProductStage) =>
    new DomainError(
      'PRODUCT.STAGE_MUST_MOVE_FORWARD_ONE_STEP',
      'conflict',
      `A product in stage ${from} cannot move to ${to}: stages move forward one at a time along concept → development → launch → growth → maturity → decline → discontinued`,
      { from, to },
    ),
  reasonRequired: () => new DomainError('PRODUCT.REASON_REQUIRED', 'validation', 'A reason is required', { field: 'reason' }),
  specificationFieldChangedSinceRequest: (fields: readonly string[], baseSpecificationVersion: number) =>
    new DomainError(
      'PRODUCT.SPECIFICATION_CHANGED_SINCE_REQUEST',
      'conflict',
      `Field${fields.length > 1 ? 's' : ''} ${fields.join(', ')} changed on the product after the change request was submitted (at specification version ${baseSpecificationVersion}); implementing it would overwrite that change`,
      { fields, baseSpecificationVersion },
    ),
} as const;
