import {
  toChangeRequestStreamId,
  toNotificationStreamId,
  toProductStreamId,
  type Assessment,
  type DomainEventOf,
  type DomainEventType,
} from '@pc/domain';

/**
 * Domain event fixtures with plausible defaults; a spec overrides only the fields it is about.
 * The payload types are the domain's own, so a fixture cannot drift from what the deciders emit.
 */

export const PRODUCT_ID = '3f1c9a52-8a1e-4c55-9d0e-2b7f4b1a6e01';
export const CHANGE_REQUEST_ID = '9b2d7c14-5e6f-4a3b-8c1d-0e9f8a7b6c52';
export const REQUESTER_ID = 'user-requester';
export const COORDINATOR_ID = 'user-coordinator';
export const PRODUCT_MANAGER_ID = 'user-product-manager';

export const productStream = toProductStreamId;
export const changeRequestStream = toChangeRequestStreamId;
export const notificationStream = toNotificationStreamId;

type DataOf<T extends DomainEventType> = DomainEventOf<T>['data'];

const domainEvent = <T extends DomainEventType>(type: T, data: DataOf<T>): DomainEventOf<T> => ({ type, data }) as DomainEventOf<T>;

const AT = '2025-03-14T09:00:00.000Z';

export const productRegistered = (data: Partial<DataOf<'ProductRegistered'>> = {}) =>
  domainEvent('ProductRegistered', {
    productId: PRODUCT_ID,
    sku: 'PC-1000',
    name: 'Cordless drill',
    description: 'An 18 V cordless drill',
    productManagerId: PRODUCT_MANAGER_ID,
    specification: { voltage: 18, colour: 'blue' },
    stage: 'concept',
    registeredAt: AT,
    ...data,
  });

export const productStageAdvanced = (data: Partial<DataOf<'ProductStageAdvanced'>> = {}) =>
  domainEvent('ProductStageAdvanced', { productId: PRODUCT_ID, from: 'concept', to: 'development', reason: 'Prototype approved', advancedAt: AT, ...data });

export const productSpecificationAmended = (data: Partial<DataOf<'ProductSpecificationAmended'>> = {}) =>
  domainEvent('ProductSpecificationAmended', {
    productId: PRODUCT_ID,
    changeRequestId: CHANGE_REQUEST_ID,
    specificationVersion: 2,
    amendments: [{ field: 'colour', before: 'blue', after: 'red' }],
    amendedAt: AT,
    ...data,
  });

export const changeRequestSubmitted = (data: Partial<DataOf<'ChangeRequestSubmitted'>> = {}) =>
  domainEvent('ChangeRequestSubmitted', {
    changeRequestId: CHANGE_REQUEST_ID,
    productId: PRODUCT_ID,
    title: 'Make it red',
    description: 'Customers ask for a red drill',
    changes: [{ field: 'colour', proposedValue: 'red', currentValue: 'blue' }],
    justification: 'Market research',
    requesterId: REQUESTER_ID,
    baseSpecificationVersion: 1,
    submittedAt: AT,
    ...data,
  });

export const ASSESSMENT: Assessment = {
  relevance: 'high',
  risks: 'Paint supplier change',
  benefits: 'Higher sales',
  estimatedCost: { amount: 1200, currency: 'EUR' },
  recommendation: 'approve',
};

export const changeRequestAssessed = (data: Partial<DataOf<'ChangeRequestAssessed'>> = {}) =>
  domainEvent('ChangeRequestAssessed', { changeRequestId: CHANGE_REQUEST_ID, assessment: ASSESSMENT, assessedBy: COORDINATOR_ID, assessedAt: AT, ...data });

export const changeRequestPresented = (data: Partial<DataOf<'ChangeRequestPresented'>> = {}) =>
  domainEvent('ChangeRequestPresented', {
    changeRequestId: CHANGE_REQUEST_ID,
    productManagerId: PRODUCT_MANAGER_ID,
    presentedBy: COORDINATOR_ID,
    presentedAt: AT,
    ...data,
  });

const decision = (data: Partial<DataOf<'ChangeRequestApproved'>>): DataOf<'ChangeRequestApproved'> => ({
  changeRequestId: CHANGE_REQUEST_ID,
  productId: PRODUCT_ID,
  requesterId: REQUESTER_ID,
  decidedBy: PRODUCT_MANAGER_ID,
  reason: 'Worth it',
  decidedAt: AT,
  ...data,
});

export const changeRequestApproved = (data: Partial<DataOf<'ChangeRequestApproved'>> = {}) => domainEvent('ChangeRequestApproved', decision(data));

export const changeRequestRejected = (data: Partial<DataOf<'ChangeRequestRejected'>> = {}) =>
  domainEvent('ChangeRequestRejected', decision({ reason: 'Too costly', ...data }));

export const changeRequestImplemented = (data: Partial<DataOf<'ChangeRequestImplemented'>> = {}) =>
  domainEvent('ChangeRequestImplemented', {
    changeRequestId: CHANGE_REQUEST_ID,
    productId: PRODUCT_ID,
    specificationVersion: 2,
    implementedBy: COORDINATOR_ID,
    implementedAt: AT,
    ...data,
  });

export const changeRequestWithdrawn = (data: Partial<DataOf<'ChangeRequestWithdrawn'>> = {}) =>
  domainEvent('ChangeRequestWithdrawn', { changeRequestId: CHANGE_REQUEST_ID, withdrawnBy: REQUESTER_ID, reason: 'No longer needed', withdrawnAt: AT, ...data });

export const applicantNotified = (data: Partial<DataOf<'ApplicantNotified'>> = {}) =>
  domainEvent('ApplicantNotified', {
    notificationId: 'a7e4c2b0-1d3f-4e5a-9b8c-7d6e5f4a3b21',
    recipientId: REQUESTER_ID,
    kind: 'change_request_decided',
    changeRequestId: CHANGE_REQUEST_ID,
    outcome: 'approved',
    reason: 'Worth it',
    decidedBy: PRODUCT_MANAGER_ID,
    decidedAt: AT,
    notifiedAt: AT,
    ...data,
  });
