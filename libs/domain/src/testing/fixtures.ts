import type {
  ChangeRequestApproved,
  ChangeRequestAssessed,
  ChangeRequestEvent,
  ChangeRequestImplemented,
  ChangeRequestPresented,
  ChangeRequestRejected,
  ChangeRequestStatus,
  ChangeRequestSubmitted,
  ChangeRequestWithdrawn,
  Assessment,
} from '../change-requests/change-request';
import { productDecider } from '../products/product.decider';
import type { ProductEvent, ProductRegistered, ProductSpecificationAmended, ProductStage, ProductStageAdvanced, RegisteredProduct } from '../products/product';
import { PRODUCT_STAGES } from '../products/product';
import { fold, type Principal } from '../shared/decider';

/** Earlier than the spec clock, so facts in the history are told apart from the decision under test. */
export const EARLIER = '2025-03-01T08:00:00.000Z';

export const PRODUCT_ID = 'product-kettle';
export const CHANGE_REQUEST_ID = 'cr-1';

export const people = {
  coordinator: { id: 'user-coordinator', roles: ['coordinator'] },
  requester: { id: 'user-requester', roles: ['requester'] },
  productManager: { id: 'user-manager', roles: ['product_manager'] },
  /** Holds the role, but manages a different product. */
  otherProductManager: { id: 'user-other-manager', roles: ['product_manager'] },
  /** The product's manager, filing a request of their own. */
  managerAsRequester: { id: 'user-manager', roles: ['requester', 'product_manager'] },
} as const satisfies Record<string, Principal>;

export const INITIAL_SPECIFICATION = { capacityLitres: 1.7, colour: 'steel', dishwasherSafe: false } as const;

export const productRegistered = (data: Partial<ProductRegistered['data']> = {}): ProductRegistered => ({
  type: 'ProductRegistered',
  data: {
    productId: PRODUCT_ID,
    sku: 'KT-100',
    name: 'Kettle',
    description: 'An electric kettle',
    productManagerId: people.productManager.id,
    specification: INITIAL_SPECIFICATION,
    stage: 'concept',
    registeredAt: EARLIER,
    ...data,
  },
});

export const productStageAdvanced = (from: ProductStage, to: ProductStage): ProductStageAdvanced => ({
  type: 'ProductStageAdvanced',
  data: { productId: PRODUCT_ID, from, to, reason: 'planned', advancedAt: EARLIER },
});

/** The registration and every advance needed to bring a product to the stage. */
export function productHistoryAt(stage: ProductStage): ProductEvent[] {
  const advances = PRODUCT_STAGES.slice(0, PRODUCT_STAGES.indexOf(stage) + 1)
    .slice(1)
    .map((to, index) => productStageAdvanced(PRODUCT_STAGES[index], to));
  return [productRegistered(), ...advances];
}

export const specificationAmended = (
  changeRequestId: string,
  specificationVersion: number,
  amendments: ProductSpecificationAmended['data']['amendments'],
  amendedAt: string = EARLIER,
): ProductSpecificationAmended => ({
  type: 'ProductSpecificationAmended',
  data: { productId: PRODUCT_ID, changeRequestId, specificationVersion, amendments, amendedAt },
});

/** The product as a caller would look it up before submitting a change request. */
export function registeredProduct(history: readonly ProductEvent[] = [productRegistered()]): RegisteredProduct {
  const product = fold(productDecider, history);
  if (product.status !== 'registered') throw new Error('The history does not register a product');
  return product;
}

export const ASSESSMENT: Assessment = {
  relevance: 'high',
  risks: 'Retooling the lid mould',
  benefits: 'Fewer returns',
  estimatedCost: { amount: 12000, currency: 'EUR' },
  recommendation: 'approve',
};

export const changeRequestSubmitted = (data: Partial<ChangeRequestSubmitted['data']> = {}): ChangeRequestSubmitted => ({
  type: 'ChangeRequestSubmitted',
  data: {
    changeRequestId: CHANGE_REQUEST_ID,
    productId: PRODUCT_ID,
    title: 'Bigger kettle',
    description: 'Customers ask for two litres',
    changes: [{ field: 'capacityLitres', proposedValue: 2, currentValue: 1.7 }],
    justification: null,
    requesterId: people.requester.id,
    baseSpecificationVersion: 1,
    submittedAt: EARLIER,
    ...data,
  },
});

export const changeRequestAssessed = (assessment: Assessment = ASSESSMENT): ChangeRequestAssessed => ({
  type: 'ChangeRequestAssessed',
  data: { changeRequestId: CHANGE_REQUEST_ID, assessment, assessedBy: people.coordinator.id, assessedAt: EARLIER },
});

export const changeRequestPresented = (productManagerId: string = people.productManager.id): ChangeRequestPresented => ({
  type: 'ChangeRequestPresented',
  data: { changeRequestId: CHANGE_REQUEST_ID, productManagerId, presentedBy: people.coordinator.id, presentedAt: EARLIER },
});

const decision = (requesterId: string) => ({
  changeRequestId: CHANGE_REQUEST_ID,
  productId: PRODUCT_ID,
  requesterId,
  decidedBy: people.productManager.id,
  reason: 'Worth it',
  decidedAt: EARLIER,
});

export const changeRequestApproved = (requesterId: string = people.requester.id): ChangeRequestApproved => ({
  type: 'ChangeRequestApproved',
  data: decision(requesterId),
});

export const changeRequestRejected = (requesterId: string = people.requester.id): ChangeRequestRejected => ({
  type: 'ChangeRequestRejected',
  data: decision(requesterId),
});

export const changeRequestImplemented = (specificationVersion = 2): ChangeRequestImplemented => ({
  type: 'ChangeRequestImplemented',
  data: { changeRequestId: CHANGE_REQUEST_ID, productId: PRODUCT_ID, specificationVersion, implementedBy: people.coordinator.id, implementedAt: EARLIER },
});

export const changeRequestWithdrawn = (): ChangeRequestWithdrawn => ({
  type: 'ChangeRequestWithdrawn',
  data: { changeRequestId: CHANGE_REQUEST_ID, withdrawnBy: people.requester.id, reason: 'No longer needed', withdrawnAt: EARLIER },
});

/** A history that leaves a change request, filed by the given requester, in the status. */
export function changeRequestHistoryIn(status: ChangeRequestStatus, requesterId: string = people.requester.id): ChangeRequestEvent[] {
  const submitted = changeRequestSubmitted({ requesterId });
  const awaitingDecision = [submitted, changeRequestAssessed(), changeRequestPresented()];
  switch (status) {
    case 'submitted':
      return [submitted];
    case 'assessed':
      return [submitted, changeRequestAssessed()];
    case 'awaiting_decision':
      return awaitingDecision;
    case 'approved':
      return [...awaitingDecision, changeRequestApproved(requesterId)];
    case 'rejected':
      return [...awaitingDecision, changeRequestRejected(requesterId)];
    case 'implemented':
      return [...awaitingDecision, changeRequestApproved(requesterId), changeRequestImplemented()];
    case 'withdrawn':
      return [submitted, changeRequestWithdrawn()];
  }
}
