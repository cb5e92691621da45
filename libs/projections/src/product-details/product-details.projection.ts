import type { ProductStage, Specification } from '@pc/domain';
import type { RecordedEvent } from '@pc/event-store';
import { asDomainEvent, oneDocumentPerStream, type Projection } from '../projection';

export interface ProductDetails {
  readonly id: string;
  readonly sku: string;
  readonly name: string;
  readonly description: string;
  readonly stage: ProductStage;
  readonly productManagerId: string;
  readonly specification: Specification;
  readonly specificationVersion: number;
  readonly revision: number;
  readonly createdAt: string;
  readonly updatedAt: string;
  [key: string]: unknown;
}

export const PRODUCTS_COLLECTION = 'products';

/** Also the fold behind `?asOf=`: the same function over a prefix of the stream. */
export function evolveProductDetails(document: ProductDetails | null, recorded: RecordedEvent): ProductDetails | null {
  const event = asDomainEvent(recorded);
  // A document remembers the revision it was built to, so an event replayed onto it changes nothing.
  if (!event || (document && recorded.revision <= document.revision)) return document;
  const touched = { revision: recorded.revision, updatedAt: recorded.metadata.occurredAt };
  switch (event.type) {
    case 'ProductRegistered':
      return {
        id: event.data.productId,
        sku: event.data.sku,
        name: event.data.name,
        description: event.data.description,
        stage: event.data.stage,
        productManagerId: event.data.productManagerId,
        specification: event.data.specification,
        specificationVersion: 1,
        createdAt: event.data.registeredAt,
        ...touched,
      };
    case 'ProductStageAdvanced':
      return document && { ...document, stage: event.data.to, ...touched };
    case 'ProductSpecificationAmended': {
      if (!document) return document;
      const specification = { ...document.specification };
      for (const { field, after } of event.data.amendments) specification[field] = after;
      return { ...document, specification, specificationVersion: event.data.specificationVersion, ...touched };
    }
    default:
      return document;
  }
}

export const productDetailsProjection: Projection<ProductDetails> = {
  name: 'product-details',
  collection: { name: PRODUCTS_COLLECTION, indexes: [{ fields: ['stage', 'createdAt'] }, { fields: ['createdAt'] }, { fields: ['sku'] }] },
  ...oneDocumentPerStream('product'),
  evolve: evolveProductDetails,
};
