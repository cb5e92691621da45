import { randomUUID } from 'node:crypto';
import { toProductStreamId } from '@pc/domain';
import { SqliteEventStore } from '@pc/event-store';
import { ACTORS, Variety, changeRequestLifecycle, productRegistration, specificationAmendment, stageAdvance, type ProductSeed, type StreamAppend } from './support/domain-events';
import { nowMs } from './support/stats';

export interface Dataset {
  readonly events: number;
  readonly seconds: number;
  /** Entities (products and change requests) whose history an auditor might ask for. */
  readonly sampleEntityIds: readonly string[];
  readonly sampleActorIds: readonly string[];
  /** A change request the HTTP read benchmark fetches, and a product new requests are submitted against. */
  readonly changeRequestId: string;
  readonly productId: string;
  /** The product with a long history, for asOf. */
  readonly longHistoryProductId: string;
  readonly longHistoryEvents: number;
}

/** Appends issued together, so that group commit writes them in large transactions. */
const WAVE_EVENTS = 20_000;
const CHANGE_REQUESTS_PER_PRODUCT = 8;
const SAMPLE_SIZE = 2_000;

/**
 * Writes `target` realistic events through the adapter itself: products, change requests through their
 * whole life, amendments and notifications, interleaved as the API and the processes write them, and
 * one product with a long history. Appends are issued a wave at a time and group commit makes them
 * a few large transactions, which is how a bulk import would use the store.
 */
export async function generateDataset(file: string, target: number, longHistoryEvents: number): Promise<Dataset> {
  const store = SqliteEventStore.open({ file });
  const variety = new Variety(2024);
  const started = nowMs();
  const products: ProductSeed[] = [];
  const sampleEntityIds: string[] = [];
  let written = 0;
  /** Events of everything but the long-history product. */
  let others = 0;
  let changeRequestId = '';
  let seen = 0;
  const remember = (entityId: string) => {
    // Reservoir sampling: every entity has the same chance of being asked about.
    seen += 1;
    if (sampleEntityIds.length < SAMPLE_SIZE) sampleEntityIds.push(entityId);
    else {
      const slot = Math.floor(variety.next() * seen);
      if (slot < SAMPLE_SIZE) sampleEntityIds[slot] = entityId;
    }
  };
  try {
    const at = () => new Date().toISOString();
    // The long-history product is registered first; its history grows along with the rest of the log.
    const long = productRegistration(variety, at());
    await store.append(long.append.streamId, long.append.events, { expectedRevision: 'no_stream' });
    written += long.append.events.length;
    const longTarget = Math.max(longHistoryEvents, long.append.events.length);
    let longWritten = long.append.events.length;
    const budget = Math.max(0, target - longTarget);
    const waves = Math.max(1, Math.ceil(budget / WAVE_EVENTS));

    for (let wave = 0; wave < waves; wave++) {
      const waveTarget = Math.round(((wave + 1) * budget) / waves);
      const appends: StreamAppend[] = [];
      let pending = 0;
      while (others + pending < waveTarget) {
        if (products.length === 0 || variety.next() < 1 / CHANGE_REQUESTS_PER_PRODUCT) {
          const registered = productRegistration(variety, at());
          products.push(registered.product);
          remember(registered.product.productId);
          appends.push(registered.append);
          pending += registered.append.events.length;
          continue;
        }
        const product = variety.pick(products);
        const lifecycle = changeRequestLifecycle(product, variety, at());
        changeRequestId = (lifecycle[0]!.events[0]!.data as { changeRequestId: string }).changeRequestId;
        remember(changeRequestId);
        for (const append of lifecycle) {
          appends.push(append);
          pending += append.events.length;
        }
      }
      // A share of the long history in each wave, so that its events are spread over the log.
      others += pending;
      const longShare = Math.round(((wave + 1) * (longTarget - long.append.events.length)) / waves) - (longWritten - long.append.events.length);
      if (longShare > 0) {
        const coordinator = ACTORS.coordinators[0]!;
        const correlationId = randomUUID();
        const events = Array.from({ length: longShare }, (_, index) =>
          index % 10 === 9 && long.product.stage !== 'decline'
            ? stageAdvance(long.product, variety, coordinator, at(), correlationId)
            : specificationAmendment(long.product, randomUUID(), variety, coordinator, at(), correlationId, null),
        );
        appends.push({ streamId: toProductStreamId(long.product.productId), events });
        pending += events.length;
        longWritten += events.length;
      }
      await Promise.all(appends.map((append) => store.append(append.streamId, append.events, { expectedRevision: 'any' })));
      written += pending;
    }
    // A typical product: one from the middle of the catalogue, with the few events most products have
    // (the first ones registered collect many more amendments, and each submission folds the product's stream).
    const product = products[Math.floor(products.length / 2)] ?? long.product;
    return {
      events: written,
      seconds: (nowMs() - started) / 1000,
      sampleEntityIds,
      sampleActorIds: [...ACTORS.requesters, ...ACTORS.coordinators, ...ACTORS.managers].map((actor) => actor.id),
      changeRequestId,
      productId: product.productId,
      longHistoryProductId: long.product.productId,
      longHistoryEvents: longWritten,
    };
  } finally {
    await store.close();
  }
}
