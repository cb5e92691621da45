import type { FieldChange } from '../shared/specification';
import { deciderSpec, SPEC_NOW } from '../testing/decider-spec';
import {
  CHANGE_REQUEST_ID,
  PRODUCT_ID,
  changeRequestSubmitted,
  people,
  productHistoryAt,
  productRegistered,
  registeredProduct,
  specificationAmended,
} from '../testing/fixtures';
import type { RegisteredProduct } from '../products/product';
import { changeRequestDecider } from './change-request.decider';
import type { SubmitChangeRequest } from './submitting-change-request';

const changeRequest = deciderSpec(changeRequestDecider);

const submit = (product: RegisteredProduct | null, changes: readonly FieldChange[] = [{ field: 'capacityLitres', proposedValue: 2 }]): SubmitChangeRequest => ({
  type: 'SubmitChangeRequest',
  changeRequestId: CHANGE_REQUEST_ID,
  productId: PRODUCT_ID,
  product,
  title: '  Bigger kettle ',
  description: 'Customers ask for two litres',
  changes,
  justification: 'Competitors sell two litres',
});

const asRequester = { actor: people.requester };

describe('Submitting a change request', () => {
  it("records the requester, each field's current value and the specification version it is based on", () => {
    const product = registeredProduct([productRegistered(), specificationAmended('cr-0', 2, [{ field: 'colour', before: 'steel', after: 'black' }])]);
    changeRequest
      .given([])
      .when(
        submit(product, [
          { field: 'colour', proposedValue: 'white' },
          { field: 'dishwasherSafe', proposedValue: true },
          { field: 'lidMaterial', proposedValue: 'glass' },
        ]),
        asRequester,
      )
      .thenEmits([
        {
          type: 'ChangeRequestSubmitted',
          data: {
            changeRequestId: CHANGE_REQUEST_ID,
            productId: PRODUCT_ID,
            title: 'Bigger kettle',
            description: 'Customers ask for two litres',
            changes: [
              { field: 'colour', proposedValue: 'white', currentValue: 'black' },
              { field: 'dishwasherSafe', proposedValue: true, currentValue: false },
              { field: 'lidMaterial', proposedValue: 'glass', currentValue: null },
            ],
            justification: 'Competitors sell two litres',
            requesterId: people.requester.id,
            baseSpecificationVersion: 2,
            submittedAt: SPEC_NOW.toISOString(),
          },
        },
      ]);
  });

  it('accepts a request for a product in any stage before discontinuation', () => {
    changeRequest
      .given([])
      .when(submit(registeredProduct(productHistoryAt('decline'))), asRequester)
      .thenEmits([
        changeRequestSubmitted({
          title: 'Bigger kettle',
          justification: 'Competitors sell two litres',
          submittedAt: SPEC_NOW.toISOString(),
        }),
      ]);
  });

  it('refuses a change request id that is already taken', () => {
    const error = changeRequest.given([changeRequestSubmitted()]).when(submit(registeredProduct()), asRequester).thenThrows('CHANGE_REQUEST.ALREADY_SUBMITTED');
    expect(error.kind).toBe('conflict');
  });

  it('refuses a product that does not exist', () => {
    const error = changeRequest.given([]).when(submit(null), asRequester).thenThrows('CHANGE_REQUEST.PRODUCT_UNKNOWN');
    expect(error.kind).toBe('rule');
    expect(error.details).toEqual({ productId: PRODUCT_ID });
  });

  it('refuses a discontinued product', () => {
    const error = changeRequest
      .given([])
      .when(submit(registeredProduct(productHistoryAt('discontinued'))), asRequester)
      .thenThrows('CHANGE_REQUEST.PRODUCT_DISCONTINUED');
    expect(error.kind).toBe('rule');
  });

  it('refuses a request that proposes no change', () => {
    const error = changeRequest.given([]).when(submit(registeredProduct(), []), asRequester).thenThrows('CHANGE_REQUEST.NO_CHANGES');
    expect(error.kind).toBe('validation');
  });

  it('refuses a request that proposes the same field twice', () => {
    const error = changeRequest
      .given([])
      .when(
        submit(registeredProduct(), [
          { field: 'colour', proposedValue: 'white' },
          { field: 'capacityLitres', proposedValue: 2 },
          { field: 'colour', proposedValue: 'black' },
        ]),
        asRequester,
      )
      .thenThrows('CHANGE_REQUEST.DUPLICATE_FIELD');
    expect(error.kind).toBe('validation');
    expect(error.details).toEqual({ field: 'changes', specificationField: 'colour' });
  });

  it('takes a field named like a member of Object as absent from the product', () => {
    changeRequest
      .given([])
      .when(submit(registeredProduct(), [{ field: 'constructor', proposedValue: 'x' }]), asRequester)
      .thenEmits([
        changeRequestSubmitted({
          title: 'Bigger kettle',
          justification: 'Competitors sell two litres',
          changes: [{ field: 'constructor', proposedValue: 'x', currentValue: null }],
          submittedAt: SPEC_NOW.toISOString(),
        }),
      ]);
  });
});
