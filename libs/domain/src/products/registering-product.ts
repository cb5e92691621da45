import type { DecisionContext } from '../shared/decider';
import type { Specification } from '../shared/specification';
import type { Product, ProductRegistered } from './product';
import { ProductErrors } from './product-errors';

export interface RegisterProduct {
  readonly type: 'RegisterProduct';
  readonly productId: string;
  readonly sku: string;
  readonly name: string;
  readonly description: string;
  readonly productManagerId: string;
  readonly specification: Specification;
}

/** SKUs compare without regard to case or surrounding spaces: "ab-1 " and "AB-1" are one SKU. */
export const normalizeSku = (sku: string): string => sku.trim().toUpperCase();

export function registerProduct(command: RegisterProduct, state: Product, { now }: DecisionContext): ProductRegistered[] {
  if (state.status === 'registered') {
    throw state.sku === normalizeSku(command.sku) ? ProductErrors.skuAlreadyRegistered(state.sku) : ProductErrors.alreadyRegistered(state.id);
  }
  return [
    {
      type: 'ProductRegistered',
      data: {
        productId: command.productId,
        sku: normalizeSku(command.sku),
        name: command.name.trim(),
        description: command.description,
        productManagerId: command.productManagerId,
        specification: command.specification,
        stage: 'concept',
        registeredAt: now.toISOString(),
      },
    },
  ];
}
