import { DomainError } from '../shared/domain-error';
import { fold } from '../shared/decider';
import { productDecider } from '../products/product.decider';
import { deciderSpec, SPEC_NOW, specContext } from '../testing/decider-spec';
import {
  CHANGE_REQUEST_ID,
  PRODUCT_ID,
  changeRequestApproved,
  changeRequestAssessed,
  changeRequestHistoryIn,
  changeRequestPresented,
  changeRequestSubmitted,
  people,
  productRegistered,
  specificationAmended,
} from '../testing/fixtures';
import type { ChangeRequestStatus } from './change-request';
import { changeRequestDecider } from './change-request.decider';
import { amendmentFor, type RecordChangeRequestImplementation } from './implementing-change-request';

const changeRequest = deciderSpec(changeRequestDecider);

const recordImplementation = (specificationVersion = 2): RecordChangeRequestImplementation => ({
  type: 'RecordChangeRequestImplementation',
  changeRequestId: CHANGE_REQUEST_ID,
  specificationVersion,
  implementedBy: people.coordinator.id,
});

const refusalCode = (attempt: () => unknown): string => {
  try {
    attempt();
  } catch (error) {
    if (error instanceof DomainError) return error.code;
    throw error;
  }
  throw new Error('Expected a refusal');
};

describe('Implementing a change request', () => {
  describe('the amendment it asks of the product', () => {
    it("carries an approved request's proposed values and base version, without the values it saw", () => {
      const history = [
        changeRequestSubmitted({
          baseSpecificationVersion: 3,
          changes: [
            { field: 'capacityLitres', proposedValue: 2, currentValue: 1.7 },
            { field: 'lidMaterial', proposedValue: 'glass', currentValue: null },
          ],
        }),
        changeRequestAssessed(),
        changeRequestPresented(),
        changeRequestApproved(),
      ];
      expect(amendmentFor(fold(changeRequestDecider, history), CHANGE_REQUEST_ID)).toEqual({
        type: 'AmendProductSpecification',
        productId: PRODUCT_ID,
        changeRequestId: CHANGE_REQUEST_ID,
        changes: [
          { field: 'capacityLitres', proposedValue: 2 },
          { field: 'lidMaterial', proposedValue: 'glass' },
        ],
        baseSpecificationVersion: 3,
      });
    });

    it('is refused for a request that was never submitted', () => {
      expect(refusalCode(() => amendmentFor(fold(changeRequestDecider, []), CHANGE_REQUEST_ID))).toBe('CHANGE_REQUEST.NOT_FOUND');
    });

    it.each<ChangeRequestStatus>(['submitted', 'assessed', 'awaiting_decision', 'rejected', 'implemented', 'withdrawn'])(
      'is refused for a request that is %s',
      (status) => {
        expect(refusalCode(() => amendmentFor(fold(changeRequestDecider, changeRequestHistoryIn(status)), CHANGE_REQUEST_ID))).toBe('CHANGE_REQUEST.NOT_APPROVED');
      },
    );
  });

  describe('recording the implementation', () => {
    it('records the specification version that carries the change and who implemented it', () => {
      changeRequest
        .given(changeRequestHistoryIn('approved'))
        .when(recordImplementation(5))
        .thenEmits([
          {
            type: 'ChangeRequestImplemented',
            data: { changeRequestId: CHANGE_REQUEST_ID, productId: PRODUCT_ID, specificationVersion: 5, implementedBy: people.coordinator.id, implementedAt: SPEC_NOW.toISOString() },
          },
        ]);
    });

    it('records nothing more when the implementation is already recorded', () => {
      changeRequest.given(changeRequestHistoryIn('implemented')).when(recordImplementation()).thenEmits([]);
    });

    it('refuses a request that was never submitted', () => {
      const error = changeRequest.given([]).when(recordImplementation()).thenThrows('CHANGE_REQUEST.NOT_FOUND');
      expect(error.kind).toBe('not_found');
    });

    it.each<ChangeRequestStatus>(['submitted', 'assessed', 'awaiting_decision', 'rejected', 'withdrawn'])('refuses a request that is %s', (status) => {
      const error = changeRequest.given(changeRequestHistoryIn(status)).when(recordImplementation()).thenThrows('CHANGE_REQUEST.NOT_APPROVED');
      expect(error.kind).toBe('conflict');
      expect(error.details).toEqual({ status, allowed: ['approved'] });
    });
  });

  it('amends the product and then records the version that carries the change', () => {
    const request = fold(changeRequestDecider, changeRequestHistoryIn('approved'));
    const productHistory = [productRegistered(), specificationAmended('cr-0', 2, [{ field: 'colour', before: 'steel', after: 'black' }])];

    const amended = productDecider.decide(amendmentFor(request, CHANGE_REQUEST_ID), fold(productDecider, productHistory), specContext);
    expect(amended).toEqual([specificationAmended(CHANGE_REQUEST_ID, 3, [{ field: 'capacityLitres', before: 1.7, after: 2 }], SPEC_NOW.toISOString())]);

    changeRequest
      .given(changeRequestHistoryIn('approved'))
      .when(recordImplementation(3))
      .thenEmits([
        {
          type: 'ChangeRequestImplemented',
          data: { changeRequestId: CHANGE_REQUEST_ID, productId: PRODUCT_ID, specificationVersion: 3, implementedBy: people.coordinator.id, implementedAt: SPEC_NOW.toISOString() },
        },
      ]);
  });
});
