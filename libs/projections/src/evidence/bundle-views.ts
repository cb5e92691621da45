import type { RecordedEvent } from '@pc/event-store';
import { changeRequestDetailsProjection, CHANGE_REQUESTS_COLLECTION, type ChangeRequestDetails } from '../change-request-details/change-request-details.projection';
import { documentDetailsProjection, DOCUMENTS_COLLECTION, type DocumentDetails } from '../document-details/document-details.projection';
import { productDetailsProjection, PRODUCTS_COLLECTION, type ProductDetails } from '../product-details/product-details.projection';
import { parseStreamId, type Projection } from '../projection';

/**
 * The read-model views of the entities in an evidence bundle, folded from the bundle's own
 * events with the projections' own code: what the read models showed as of the signed head.
 * The exporting server and the offline verifier both call this, so a view that does not follow
 * from the events is caught.
 */
export interface EvidenceViews {
  readonly [PRODUCTS_COLLECTION]: readonly ProductDetails[];
  readonly [CHANGE_REQUESTS_COLLECTION]: readonly ChangeRequestDetails[];
  readonly [DOCUMENTS_COLLECTION]: readonly DocumentDetails[];
}

const BY_CATEGORY: Record<string, { collection: keyof EvidenceViews; projection: Projection }> = {
  product: { collection: PRODUCTS_COLLECTION, projection: productDetailsProjection as Projection },
  'change-request': { collection: CHANGE_REQUESTS_COLLECTION, projection: changeRequestDetailsProjection as Projection },
  document: { collection: DOCUMENTS_COLLECTION, projection: documentDetailsProjection as Projection },
};

export function bundleViews(streams: readonly { readonly streamId: string; readonly events: readonly RecordedEvent[] }[]): EvidenceViews {
  const views: Record<keyof EvidenceViews, unknown[]> = { [PRODUCTS_COLLECTION]: [], [CHANGE_REQUESTS_COLLECTION]: [], [DOCUMENTS_COLLECTION]: [] };
  for (const { streamId, events } of streams) {
    const kind = BY_CATEGORY[parseStreamId(streamId).category];
    if (!kind) continue;
    const documents = new Map<string, unknown>();
    for (const event of events) {
      for (const id of kind.projection.documentIds(event)) {
        const next = kind.projection.evolve((documents.get(id) ?? null) as never, event, id);
        if (next === null) documents.delete(id);
        else documents.set(id, next);
      }
    }
    views[kind.collection].push(...documents.values());
  }
  for (const list of Object.values(views)) list.sort((a, b) => ((a as { id: string }).id < (b as { id: string }).id ? -1 : 1));
  return views as unknown as EvidenceViews;
}
