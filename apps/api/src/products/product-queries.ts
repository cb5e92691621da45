import { Inject } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { ProductErrors, type ProductStage, toProductStreamId } from '@pc/domain';
import { EVENT_STORE, type EventStore } from '@pc/event-store';
import { evolveProductDetails, PRODUCTS_COLLECTION, type ProductDetails } from '@pc/projections';
import { READ_STORE, type DocumentWithJson, type Page, type ReadStore } from '@pc/read-store';

export class GetProductQuery {
  constructor(readonly productId: string) {}
}

export class GetProductAsOfQuery {
  constructor(
    readonly productId: string,
    readonly asOf: Date,
  ) {}
}

export class ListProductsQuery {
  constructor(readonly options: { stage?: ProductStage; limit: number; cursor?: string }) {}
}

@QueryHandler(GetProductQuery)
export class GetProductHandler implements IQueryHandler<GetProductQuery, DocumentWithJson<ProductDetails>> {
  constructor(@Inject(READ_STORE) private readonly readStore: ReadStore) {}

  async execute({ productId }: GetProductQuery): Promise<DocumentWithJson<ProductDetails>> {
    const product = await this.readStore.getWithJson<ProductDetails>(PRODUCTS_COLLECTION, productId);
    if (!product) throw ProductErrors.notFound(productId);
    return product;
  }
}

/**
 * The product as it stood at a moment, rebuilt from the events recorded up to then with the
 * read model's own fold, so "as of now" and the live read model cannot disagree.
 */
@QueryHandler(GetProductAsOfQuery)
export class GetProductAsOfHandler implements IQueryHandler<GetProductAsOfQuery, ProductDetails> {
  constructor(@Inject(EVENT_STORE) private readonly eventStore: EventStore) {}

  async execute({ productId, asOf }: GetProductAsOfQuery): Promise<ProductDetails> {
    const moment = asOf.toISOString();
    let product: ProductDetails | null = null;
    for (const event of await this.eventStore.readStream(toProductStreamId(productId))) {
      if (event.recordedAt > moment) break;
      product = evolveProductDetails(product, event);
    }
    if (!product) throw ProductErrors.notFound(productId);
    return product;
  }
}

@QueryHandler(ListProductsQuery)
export class ListProductsHandler implements IQueryHandler<ListProductsQuery, Page<ProductDetails>> {
  constructor(@Inject(READ_STORE) private readonly readStore: ReadStore) {}

  execute({ options: { stage, limit, cursor } }: ListProductsQuery): Promise<Page<ProductDetails>> {
    return this.readStore.find<ProductDetails>(PRODUCTS_COLLECTION, {
      filter: stage ? { stage } : {},
      sort: { field: 'createdAt', direction: 'asc' },
      limit,
      cursor: cursor ?? null,
    });
  }
}
