import {
  CHANGE_REQUEST_ID,
  PRODUCT_ID,
  applicantNotified,
  changeRequestStream,
  changeRequestSubmitted,
  notificationStream,
  productRegistered,
  productSpecificationAmended,
  productStageAdvanced,
  productStream,
} from '../testing/domain-events';
import { EventLog, minutesAfterEpoch, projectDocument, projectEvents, recorded } from '../testing/recorded';
import { evolveProductDetails, productDetailsProjection, type ProductDetails } from './product-details.projection';

const OTHER_PRODUCT_ID = '7a0e5d21-3b4c-4d6e-8f9a-1b2c3d4e5f60';

describe('product details projection', () => {
  it('creates the document from the registration, at specification version 1 and revision 0', () => {
    const log = new EventLog();
    const registered = log.append(productStream(PRODUCT_ID), productRegistered({ registeredAt: '2025-03-01T08:00:00.000Z' }));

    expect(projectDocument(productDetailsProjection, log.events, PRODUCT_ID)).toEqual<ProductDetails>({
      id: PRODUCT_ID,
      sku: 'PC-1000',
      name: 'Cordless drill',
      description: 'An 18 V cordless drill',
      stage: 'concept',
      productManagerId: 'user-product-manager',
      specification: { voltage: 18, colour: 'blue' },
      specificationVersion: 1,
      revision: 0,
      createdAt: '2025-03-01T08:00:00.000Z',
      updatedAt: registered.metadata.occurredAt,
    });
  });

  it('moves the stage forward and records when, keeping everything else', () => {
    const log = new EventLog();
    log.append(productStream(PRODUCT_ID), productRegistered());
    log.append(productStream(PRODUCT_ID), productStageAdvanced({ from: 'concept', to: 'development' }));
    const launched = log.append(productStream(PRODUCT_ID), productStageAdvanced({ from: 'development', to: 'launch' }), {
      occurredAt: '2025-06-01T12:00:00.000Z',
    });

    const product = projectDocument(productDetailsProjection, log.events, PRODUCT_ID);

    expect(product).toMatchObject({ stage: 'launch', revision: launched.revision, updatedAt: '2025-06-01T12:00:00.000Z', sku: 'PC-1000' });
    expect(product?.revision).toBe(2);
  });

  it('applies an amendment field by field, adding new fields, and takes the amended specification version', () => {
    const log = new EventLog();
    log.append(productStream(PRODUCT_ID), productRegistered({ specification: { voltage: 18, colour: 'blue' } }));
    log.append(
      productStream(PRODUCT_ID),
      productSpecificationAmended({
        specificationVersion: 2,
        amendments: [
          { field: 'colour', before: 'blue', after: 'red' },
          { field: 'cordless', before: null, after: true },
        ],
      }),
    );

    expect(projectDocument(productDetailsProjection, log.events, PRODUCT_ID)).toMatchObject({
      specification: { voltage: 18, colour: 'red', cordless: true },
      specificationVersion: 2,
      revision: 1,
      createdAt: productRegistered().data.registeredAt,
    });
  });

  it('does not change the specification object of the document it evolves from', () => {
    const before = evolveProductDetails(null, recorded(productRegistered(), { streamId: productStream(PRODUCT_ID), revision: 0, position: 1 }))!;
    evolveProductDetails(before, recorded(productSpecificationAmended(), { streamId: productStream(PRODUCT_ID), revision: 1, position: 2 }));

    expect(before.specification).toEqual({ voltage: 18, colour: 'blue' });
  });

  it('ignores stage and specification changes for a product it has no document for', () => {
    const advanced = recorded(productStageAdvanced(), { streamId: productStream(PRODUCT_ID), revision: 1, position: 2 });
    const amended = recorded(productSpecificationAmended(), { streamId: productStream(PRODUCT_ID), revision: 2, position: 3 });

    expect(evolveProductDetails(null, advanced)).toBeNull();
    expect(evolveProductDetails(null, amended)).toBeNull();
  });

  it('changes nothing when an event the document already reflects is seen again', () => {
    const log = new EventLog();
    log.append(productStream(PRODUCT_ID), productRegistered());
    const advanced = log.append(productStream(PRODUCT_ID), productStageAdvanced({ from: 'concept', to: 'development' }));
    log.append(productStream(PRODUCT_ID), productSpecificationAmended());
    const product = projectDocument(productDetailsProjection, log.events, PRODUCT_ID);

    expect(evolveProductDetails(product, advanced)).toBe(product);
    expect(evolveProductDetails(product, log.events[0]!)).toBe(product);
  });

  it('leaves the document as it is for an event type it does not know', () => {
    const product = evolveProductDetails(null, recorded(productRegistered(), { streamId: productStream(PRODUCT_ID), revision: 0, position: 1 }));
    const unknown = recorded({ type: 'ProductRenamed', data: { name: 'Drill' } }, { streamId: productStream(PRODUCT_ID), revision: 1, position: 2 });

    expect(evolveProductDetails(product, unknown)).toBe(product);
  });

  it('keeps one document per product stream and none for other streams', () => {
    const log = new EventLog();
    log.append(productStream(PRODUCT_ID), productRegistered());
    log.append(productStream(OTHER_PRODUCT_ID), productRegistered({ productId: OTHER_PRODUCT_ID, sku: 'PC-2000', name: 'Jigsaw' }));
    log.append(changeRequestStream(CHANGE_REQUEST_ID), changeRequestSubmitted());
    log.append(notificationStream('user-requester'), applicantNotified());
    log.append(productStream(OTHER_PRODUCT_ID), productStageAdvanced({ productId: OTHER_PRODUCT_ID }));

    const products = projectEvents(productDetailsProjection, log.events);

    expect([...products.keys()].sort()).toEqual([PRODUCT_ID, OTHER_PRODUCT_ID].sort());
    expect(products.get(PRODUCT_ID)).toMatchObject({ name: 'Cordless drill', stage: 'concept', revision: 0, updatedAt: minutesAfterEpoch(1) });
    expect(products.get(OTHER_PRODUCT_ID)).toMatchObject({ name: 'Jigsaw', stage: 'development', revision: 1, updatedAt: minutesAfterEpoch(5) });
  });

  it('names the product of a product stream and nothing for any other stream', () => {
    const on = (streamId: string) => productDetailsProjection.documentIds(recorded(productRegistered(), { streamId, revision: 0, position: 1 }));

    expect(on(productStream(PRODUCT_ID))).toEqual([PRODUCT_ID]);
    expect(on(changeRequestStream(CHANGE_REQUEST_ID))).toEqual([]);
    expect(on(notificationStream('user-requester'))).toEqual([]);
  });
});
