import fc from 'fast-check';
import { fold } from '../shared/decider';
import type { FieldChange } from '../shared/specification';
import { deciderSpec, SPEC_NOW, specContext } from '../testing/decider-spec';
import { PRODUCT_ID, productRegistered, specificationAmended } from '../testing/fixtures';
import type { AmendProductSpecification } from './amending-specification';
import type { Product, ProductEvent, ProductSpecificationAmended } from './product';
import { productDecider } from './product.decider';

const product = deciderSpec(productDecider);

const amend = (changeRequestId: string, baseSpecificationVersion: number, changes: readonly FieldChange[]): AmendProductSpecification => ({
  type: 'AmendProductSpecification',
  productId: PRODUCT_ID,
  changeRequestId,
  changes,
  baseSpecificationVersion,
});

/** The amendment decided under test, stamped with the spec clock. */
const amendedNow = (changeRequestId: string, specificationVersion: number, amendments: ProductSpecificationAmended['data']['amendments']) =>
  specificationAmended(changeRequestId, specificationVersion, amendments, SPEC_NOW.toISOString());

/** Registered at version 1 with capacityLitres 1.7, colour steel, dishwasherSafe false. */
const registered = productRegistered();

describe('Amending a product specification', () => {
  it('records each field before and after, treating a field the product lacks as added', () => {
    product
      .given([registered])
      .when(
        amend('cr-1', 1, [
          { field: 'capacityLitres', proposedValue: 2 },
          { field: 'dishwasherSafe', proposedValue: true },
          { field: 'lidMaterial', proposedValue: 'glass' },
        ]),
      )
      .thenEmits([
        amendedNow('cr-1', 2, [
          { field: 'capacityLitres', before: 1.7, after: 2 },
          { field: 'dishwasherSafe', before: false, after: true },
          { field: 'lidMaterial', before: null, after: 'glass' },
        ]),
      ]);
  });

  it('grows the specification version by one with each amendment', () => {
    const history = [
      registered,
      specificationAmended('cr-1', 2, [{ field: 'colour', before: 'steel', after: 'black' }]),
      specificationAmended('cr-2', 3, [{ field: 'capacityLitres', before: 1.7, after: 2 }]),
    ];
    product.given(history).when(amend('cr-3', 3, [{ field: 'colour', proposedValue: 'white' }])).thenEmits([
      amendedNow('cr-3', 4, [{ field: 'colour', before: 'black', after: 'white' }]),
    ]);
    expect(fold(productDecider, history)).toMatchObject({
      specificationVersion: 3,
      specification: { capacityLitres: 2, colour: 'black', dishwasherSafe: false },
    });
  });

  it('amends once when the same change request is implemented again, even if its base is stale by then', () => {
    product
      .given([
        registered,
        specificationAmended('cr-1', 2, [{ field: 'colour', before: 'steel', after: 'black' }]),
        specificationAmended('cr-2', 3, [{ field: 'colour', before: 'black', after: 'red' }]),
      ])
      .when(amend('cr-1', 1, [{ field: 'colour', proposedValue: 'black' }]))
      .thenEmits([]);
  });

  it('refuses a product that was never registered', () => {
    const error = product.given([]).when(amend('cr-1', 1, [{ field: 'colour', proposedValue: 'black' }])).thenThrows('PRODUCT.NOT_FOUND');
    expect(error.kind).toBe('not_found');
  });

  describe('when fields changed after the request was submitted', () => {
    // Version 2 changes colour and adds lidMaterial; version 3 changes capacityLitres.
    const history = [
      registered,
      specificationAmended('cr-a', 2, [
        { field: 'colour', before: 'steel', after: 'black' },
        { field: 'lidMaterial', before: null, after: 'glass' },
      ]),
      specificationAmended('cr-b', 3, [{ field: 'capacityLitres', before: 1.7, after: 2 }]),
    ];
    const everyField: FieldChange[] = [
      { field: 'capacityLitres', proposedValue: 1.5 },
      { field: 'colour', proposedValue: 'white' },
      { field: 'dishwasherSafe', proposedValue: true },
      { field: 'lidMaterial', proposedValue: 'steel' },
    ];

    it('refuses, naming exactly the fields changed since the base version', () => {
      const error = product.given(history).when(amend('cr-c', 1, everyField)).thenThrows('PRODUCT.SPECIFICATION_CHANGED_SINCE_REQUEST');
      expect(error.kind).toBe('conflict');
      expect(error.details).toEqual({ fields: ['capacityLitres', 'colour', 'lidMaterial'], baseSpecificationVersion: 1 });
    });

    it('does not count a change made at or before the base version as a conflict', () => {
      const error = product.given(history).when(amend('cr-c', 2, everyField)).thenThrows('PRODUCT.SPECIFICATION_CHANGED_SINCE_REQUEST');
      expect(error.details).toEqual({ fields: ['capacityLitres'], baseSpecificationVersion: 2 });
    });

    it('accepts a request based on the current version, amending over the earlier changes', () => {
      product
        .given(history)
        .when(amend('cr-c', 3, everyField))
        .thenEmits([
          amendedNow('cr-c', 4, [
            { field: 'capacityLitres', before: 2, after: 1.5 },
            { field: 'colour', before: 'black', after: 'white' },
            { field: 'dishwasherSafe', before: false, after: true },
            { field: 'lidMaterial', before: 'glass', after: 'steel' },
          ]),
        ]);
    });

    it('accepts a request that touches only fields unchanged since its base', () => {
      product
        .given(history)
        .when(amend('cr-c', 1, [{ field: 'dishwasherSafe', proposedValue: true }]))
        .thenEmits([amendedNow('cr-c', 4, [{ field: 'dishwasherSafe', before: false, after: true }])]);
    });
  });

  describe('fields named like members of Object', () => {
    it('treats them as absent until added, then as ordinary fields', () => {
      const added = amendedNow('cr-1', 2, [
        { field: 'constructor', before: null, after: 'x' },
        { field: '__proto__', before: null, after: 'y' },
        { field: 'toString', before: null, after: 'z' },
      ]);
      const fields: FieldChange[] = [
        { field: 'constructor', proposedValue: 'x' },
        { field: '__proto__', proposedValue: 'y' },
        { field: 'toString', proposedValue: 'z' },
      ];
      product.given([registered]).when(amend('cr-1', 1, fields)).thenEmits([added]);

      const state = fold(productDecider, [registered, added]);
      expect(state).toMatchObject({ specificationVersion: 2 });
      expect(state.status === 'registered' && Object.entries(state.specification)).toEqual([
        ['capacityLitres', 1.7],
        ['colour', 'steel'],
        ['dishwasherSafe', false],
        ['constructor', 'x'],
        ['__proto__', 'y'],
        ['toString', 'z'],
      ]);

      const error = product.given([registered, added]).when(amend('cr-2', 1, fields)).thenThrows('PRODUCT.SPECIFICATION_CHANGED_SINCE_REQUEST');
      expect(error.details).toMatchObject({ fields: ['constructor', '__proto__', 'toString'] });
    });
  });

  describe('folding amendments', () => {
    const field = fc.constantFrom('capacityLitres', 'colour', 'dishwasherSafe', 'lidMaterial', 'wattage');
    const value = fc.oneof(fc.string({ maxLength: 8 }), fc.integer(), fc.boolean());
    const implementation = fc.record({
      changeRequest: fc.integer({ min: 1, max: 6 }),
      changes: fc.uniqueArray(fc.record({ field, proposedValue: value }), { minLength: 1, maxLength: 5, selector: (change) => change.field }),
    });

    it('keeps the specification version at one plus the number of distinct change requests implemented', () => {
      fc.assert(
        fc.property(fc.array(implementation, { maxLength: 25 }), (implementations) => {
          let state: Product = fold(productDecider, [registered]);
          const history: ProductEvent[] = [registered];
          for (const { changeRequest, changes } of implementations) {
            if (state.status !== 'registered') throw new Error('The product should stay registered');
            const nextVersion = state.specificationVersion + 1;
            const events = productDecider.decide(amend(`cr-${changeRequest}`, state.specificationVersion, changes), state, specContext);
            for (const event of events) {
              expect(event).toMatchObject({ data: { specificationVersion: nextVersion } });
              state = productDecider.evolve(state, event);
              history.push(event);
            }
          }
          const distinctRequests = new Set(implementations.map(({ changeRequest }) => changeRequest)).size;
          expect(state).toMatchObject({ specificationVersion: 1 + distinctRequests });
          expect(history).toHaveLength(1 + distinctRequests);
        }),
      );
    });
  });
});
