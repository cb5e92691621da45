import type { DomainEvent } from '../shared/decider';
import type { Specification, SpecificationValue } from '../shared/specification';

export const PRODUCT_STAGES = ['concept', 'development', 'launch', 'growth', 'maturity', 'decline', 'discontinued'] as const;
export type ProductStage = (typeof PRODUCT_STAGES)[number];

export const toProductStreamId = (productId: string): string => `product-${productId}`;

export interface SpecificationFieldAmendment {
  readonly field: string;
  /** null when the amendment adds the field. */
  readonly before: SpecificationValue | null;
  readonly after: SpecificationValue;
}

export type ProductRegistered = DomainEvent<
  'ProductRegistered',
  {
    readonly productId: string;
    readonly sku: string;
    readonly name: string;
    readonly description: string;
    readonly productManagerId: string;
    readonly specification: Specification;
    readonly stage: 'concept';
    readonly registeredAt: string;
  }
>;

export type ProductStageAdvanced = DomainEvent<
  'ProductStageAdvanced',
  { readonly productId: string; readonly from: ProductStage; readonly to: ProductStage; readonly reason: string; readonly advancedAt: string }
>;

export type ProductSpecificationAmended = DomainEvent<
  'ProductSpecificationAmended',
  {
    readonly productId: string;
    readonly changeRequestId: string;
    /** The specification's version after this amendment. */
    readonly specificationVersion: number;
    readonly amendments: readonly SpecificationFieldAmendment[];
    readonly amendedAt: string;
  }
>;

export type ProductEvent = ProductRegistered | ProductStageAdvanced | ProductSpecificationAmended;

export type Product =
  | { readonly status: 'unregistered' }
  | {
      readonly status: 'registered';
      readonly id: string;
      readonly sku: string;
      readonly name: string;
      readonly description: string;
      readonly stage: ProductStage;
      readonly productManagerId: string;
      readonly specification: Specification;
      readonly specificationVersion: number;
      /** The specification version at which each field last changed: what a change request's base is compared with. */
      readonly fieldVersions: Readonly<Record<string, number>>;
      /** Change request id → the specification version that carries it. */
      readonly implementedChangeRequests: Readonly<Record<string, number>>;
    };

export type RegisteredProduct = Extract<Product, { status: 'registered' }>;

export const initialProduct = (): Product => ({ status: 'unregistered' });

export function evolveProduct(state: Product, event: ProductEvent): Product {
  switch (event.type) {
    case 'ProductRegistered': {
      const { productId, sku, name, description, productManagerId, specification, stage } = event.data;
      return {
        status: 'registered',
        id: productId,
        sku,
        name,
        description,
        stage,
        productManagerId,
        specification,
        specificationVersion: 1,
        fieldVersions: Object.fromEntries(Object.keys(specification).map((field) => [field, 1])),
        implementedChangeRequests: {},
      };
    }
    case 'ProductStageAdvanced':
      return state.status === 'registered' ? { ...state, stage: event.data.to } : state;
    case 'ProductSpecificationAmended': {
      if (state.status !== 'registered') return state;
      const { amendments, specificationVersion, changeRequestId } = event.data;
      // Built from entries rather than assigned, so a field named "__proto__" is kept as a field.
      const specification = Object.fromEntries([...Object.entries(state.specification), ...amendments.map(({ field, after }) => [field, after] as const)]);
      const fieldVersions = Object.fromEntries([...Object.entries(state.fieldVersions), ...amendments.map(({ field }) => [field, specificationVersion] as const)]);
      return {
        ...state,
        specification,
        specificationVersion,
        fieldVersions,
        implementedChangeRequests: { ...state.implementedChangeRequests, [changeRequestId]: specificationVersion },
      };
    }
    default: {
      const unknownEvent: never = event;
      return unknownEvent;
    }
  }
}
