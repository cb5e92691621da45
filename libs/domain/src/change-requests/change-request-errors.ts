import { DomainError } from '../shared/domain-error';
import type { ChangeRequestStatus } from './change-request';

const inStatus = (code: string, action: string, status: ChangeRequestStatus, allowed: readonly ChangeRequestStatus[]) =>
  new DomainError(code, 'conflict', `A change request that is ${status} cannot be ${action}; it must be ${allowed.join(' or ')}`, { status, allowed });

export const ChangeRequestErrors = {
  notFound: (changeRequestId: string) =>
    new DomainError('CHANGE_REQUEST.NOT_FOUND', 'not_found', `Change request ${changeRequestId} does not exist`, { changeRequestId }),
  alreadySubmitted: (changeRequestId: string) =>
    new DomainError('CHANGE_REQUEST.ALREADY_SUBMITTED', 'conflict', `Change request ${changeRequestId} already exists`, { changeRequestId }),
  productUnknown: (productId: string) =>
    new DomainError('CHANGE_REQUEST.PRODUCT_UNKNOWN', 'rule', `Product ${productId} does not exist, so no change can be requested for it`, { productId }),
  productDiscontinued: (productId: string) =>
    new DomainError('CHANGE_REQUEST.PRODUCT_DISCONTINUED', 'rule', `Product ${productId} is discontinued and accepts no change requests`, { productId }),
  noChanges: () => new DomainError('CHANGE_REQUEST.NO_CHANGES', 'validation', 'A change request must propose at least one change', { field: 'changes' }),
  duplicateField: (field: string) =>
    new DomainError('CHANGE_REQUEST.DUPLICATE_FIELD', 'validation', `Field ${field} is proposed more than once`, { field: 'changes', specificationField: field }),
  notAssessable: (status: ChangeRequestStatus) => inStatus('CHANGE_REQUEST.NOT_ASSESSABLE', 'assessed', status, ['submitted', 'assessed']),
  notAssessed: (status: ChangeRequestStatus) => inStatus('CHANGE_REQUEST.NOT_ASSESSED', 'presented', status, ['assessed']),
  notAwaitingDecision: (status: ChangeRequestStatus) => inStatus('CHANGE_REQUEST.NOT_AWAITING_DECISION', 'decided', status, ['awaiting_decision']),
  notApproved: (status: ChangeRequestStatus) => inStatus('CHANGE_REQUEST.NOT_APPROVED', 'implemented', status, ['approved']),
  notWithdrawable: (status: ChangeRequestStatus) =>
    inStatus('CHANGE_REQUEST.NOT_WITHDRAWABLE', 'withdrawn', status, ['submitted', 'assessed', 'awaiting_decision']),
  deciderNotProductManager: (actorId: string, productManagerId: string) =>
    new DomainError(
      'CHANGE_REQUEST.DECIDER_NOT_PRODUCT_MANAGER',
      'forbidden',
      `Only the product's manager (${productManagerId}) decides on its change requests; ${actorId} is not`,
      { actorId, productManagerId },
    ),
  requesterCannotDecide: (actorId: string) =>
    new DomainError('CHANGE_REQUEST.REQUESTER_CANNOT_DECIDE', 'forbidden', `${actorId} submitted this request and cannot decide on it`, { actorId }),
  onlyRequesterWithdraws: (actorId: string, requesterId: string) =>
    new DomainError(
      'CHANGE_REQUEST.ONLY_REQUESTER_WITHDRAWS',
      'forbidden',
      `Only the requester (${requesterId}) may withdraw this change request; ${actorId} is not`,
      { actorId, requesterId },
    ),
  reasonRequired: () => new DomainError('CHANGE_REQUEST.REASON_REQUIRED', 'validation', 'A reason is required', { field: 'reason' }),
} as const;
