import fc from 'fast-check';
import { deciderSpec, SPEC_NOW } from '../testing/decider-spec';
import { INITIAL_SPECIFICATION, PRODUCT_ID, people, productRegistered } from '../testing/fixtures';
import { productDecider } from './product.decider';
import { normalizeSku, type RegisterProduct } from './registering-product';

const product = deciderSpec(productDecider);

const registerKettle = (overrides: Partial<RegisterProduct> = {}): RegisterProduct => ({
  type: 'RegisterProduct',
  productId: PRODUCT_ID,
  sku: 'KT-100',
  name: 'Kettle',
  description: 'An electric kettle',
  productManagerId: people.productManager.id,
  specification: INITIAL_SPECIFICATION,
  ...overrides,
});

describe('Registering a product', () => {
  it('registers it in the concept stage with its SKU normalised and its name trimmed', () => {
    product
      .given([])
      .when(registerKettle({ sku: '  kt-100 ', name: '  Kettle  ' }))
      .thenEmits([
        {
          type: 'ProductRegistered',
          data: {
            productId: PRODUCT_ID,
            sku: 'KT-100',
            name: 'Kettle',
            description: 'An electric kettle',
            productManagerId: people.productManager.id,
            specification: INITIAL_SPECIFICATION,
            stage: 'concept',
            registeredAt: SPEC_NOW.toISOString(),
          },
        },
      ]);
  });

  it('refuses the same SKU again, however it is cased or padded', () => {
    const error = product.given([productRegistered({ sku: 'KT-100' })]).when(registerKettle({ sku: ' kt-100' })).thenThrows('PRODUCT.SKU_ALREADY_REGISTERED');
    expect(error.kind).toBe('conflict');
    expect(error.details).toEqual({ sku: 'KT-100' });
  });

  it('refuses to register a product id twice under another SKU', () => {
    const error = product.given([productRegistered({ sku: 'KT-100' })]).when(registerKettle({ sku: 'KT-200' })).thenThrows('PRODUCT.ALREADY_REGISTERED');
    expect(error.kind).toBe('conflict');
    expect(error.details).toEqual({ productId: PRODUCT_ID });
  });
});

describe('SKU normalisation', () => {
  const sku = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9-]{0,11}$/);
  const padding = fc.stringMatching(/^[ \t]{0,3}$/);
  const recased = (value: string, upper: readonly boolean[]) =>
    [...value].map((character, index) => (upper[index % upper.length] ? character.toUpperCase() : character.toLowerCase())).join('');

  it('upper-cases and trims', () => {
    expect(normalizeSku('  ab-1\t')).toBe('AB-1');
  });

  it('is idempotent', () => {
    fc.assert(fc.property(sku, padding, padding, (value, before, after) => normalizeSku(normalizeSku(before + value + after)) === normalizeSku(before + value + after)));
  });

  it('treats any casing and padding of a registered SKU as that SKU', () => {
    fc.assert(
      fc.property(sku, fc.array(fc.boolean(), { minLength: 1 }), padding, padding, (value, upper, before, after) => {
        product
          .given([productRegistered({ sku: normalizeSku(value) })])
          .when(registerKettle({ sku: before + recased(value, upper) + after }))
          .thenThrows('PRODUCT.SKU_ALREADY_REGISTERED');
      }),
    );
  });
});
