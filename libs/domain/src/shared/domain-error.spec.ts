import { ChangeRequestErrors } from '../change-requests/change-request-errors';
import { ProductErrors } from '../products/product-errors';
import { DomainError, isDomainError, type DomainErrorKind } from './domain-error';

/**
 * Clients branch on code and the API maps kind to an HTTP status, so both are a published contract:
 * this table changes only on purpose. Each factory is called with placeholder arguments.
 */
const catalogue: Array<[string, DomainError, DomainErrorKind]> = [
  ['PRODUCT.NOT_FOUND', ProductErrors.notFound('p'), 'not_found'],
  ['PRODUCT.SKU_ALREADY_REGISTERED', ProductErrors.skuAlreadyRegistered('S'), 'conflict'],
  ['PRODUCT.ALREADY_REGISTERED', ProductErrors.alreadyRegistered('p'), 'conflict'],
  ['PRODUCT.STAGE_MUST_MOVE_FORWARD_ONE_STEP', ProductErrors.stageMustMoveForward('concept', 'launch'), 'conflict'],
  ['PRODUCT.REASON_REQUIRED', ProductErrors.reasonRequired(), 'validation'],
  ['PRODUCT.SPECIFICATION_CHANGED_SINCE_REQUEST', ProductErrors.specificationFieldChangedSinceRequest(['colour'], 1), 'conflict'],
  ['CHANGE_REQUEST.NOT_FOUND', ChangeRequestErrors.notFound('c'), 'not_found'],
  ['CHANGE_REQUEST.ALREADY_SUBMITTED', ChangeRequestErrors.alreadySubmitted('c'), 'conflict'],
  ['CHANGE_REQUEST.PRODUCT_UNKNOWN', ChangeRequestErrors.productUnknown('p'), 'rule'],
  ['CHANGE_REQUEST.PRODUCT_DISCONTINUED', ChangeRequestErrors.productDiscontinued('p'), 'rule'],
  ['CHANGE_REQUEST.NO_CHANGES', ChangeRequestErrors.noChanges(), 'validation'],
  ['CHANGE_REQUEST.DUPLICATE_FIELD', ChangeRequestErrors.duplicateField('colour'), 'validation'],
  ['CHANGE_REQUEST.NOT_ASSESSABLE', ChangeRequestErrors.notAssessable('approved'), 'conflict'],
  ['CHANGE_REQUEST.NOT_ASSESSED', ChangeRequestErrors.notAssessed('submitted'), 'conflict'],
  ['CHANGE_REQUEST.NOT_AWAITING_DECISION', ChangeRequestErrors.notAwaitingDecision('assessed'), 'conflict'],
  ['CHANGE_REQUEST.NOT_APPROVED', ChangeRequestErrors.notApproved('rejected'), 'conflict'],
  ['CHANGE_REQUEST.NOT_WITHDRAWABLE', ChangeRequestErrors.notWithdrawable('approved'), 'conflict'],
  ['CHANGE_REQUEST.DECIDER_NOT_PRODUCT_MANAGER', ChangeRequestErrors.deciderNotProductManager('a', 'm'), 'forbidden'],
  ['CHANGE_REQUEST.REQUESTER_CANNOT_DECIDE', ChangeRequestErrors.requesterCannotDecide('a'), 'forbidden'],
  ['CHANGE_REQUEST.ONLY_REQUESTER_WITHDRAWS', ChangeRequestErrors.onlyRequesterWithdraws('a', 'r'), 'forbidden'],
  ['CHANGE_REQUEST.REASON_REQUIRED', ChangeRequestErrors.reasonRequired(), 'validation'],
];

describe('The domain error catalogue', () => {
  it('lists every error factory', () => {
    expect(catalogue).toHaveLength(Object.keys(ProductErrors).length + Object.keys(ChangeRequestErrors).length);
  });

  it.each(catalogue)('%s keeps its code and kind', (code, error, kind) => {
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toBeInstanceOf(Error);
    expect(isDomainError(error)).toBe(true);
    expect(error.name).toBe('DomainError');
    expect(error.code).toBe(code);
    expect(error.kind).toBe(kind);
    expect(error.message).not.toBe('');
  });

  it('does not take a plain Error for a DomainError', () => {
    expect(isDomainError(new Error('boom'))).toBe(false);
  });
});
