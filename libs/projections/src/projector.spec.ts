import type { EventStore, RecordedEvent } from '@pc/event-store';
import type { CommitUnit, Document, ReadStore } from '@pc/read-store';
import { auditEntriesProjection } from './audit-entries/audit-entries.projection';
import { productDetailsProjection } from './product-details/product-details.projection';
import type { Projection } from './projection';
import { Projector } from './projector';
import { productRegistered, productStageAdvanced, productStream } from './testing/domain-events';
import { EventLog, recorded } from './testing/recorded';

/** A read store in memory that counts its lookups, keeps every commit and applies it, so later batches read it back. */
function countingReadStore(stored: Record<string, Document> = {}) {
  const documents = new Map(Object.entries(stored));
  const gets: string[] = [];
  const commits: CommitUnit[] = [];
  const store = {
    ensureCollections: async () => undefined,
    getCheckpoint: async () => null,
    get: async (collection: string, id: string) => {
      gets.push(`${collection}/${id}`);
      return documents.get(`${collection}/${id}`) ?? null;
    },
    commit: async (unit: CommitUnit) => {
      commits.push(unit);
      for (const change of unit.changes) {
        if (change.op === 'upsert') documents.set(`${change.collection}/${change.document.id}`, change.document);
        else documents.delete(`${change.collection}/${change.id}`);
      }
    },
  } as unknown as ReadStore;
  return { store, gets, commits, documents };
}

const PRODUCT = 'p-1';
const events: RecordedEvent[] = [
  recorded(productRegistered({ productId: PRODUCT }), { streamId: productStream(PRODUCT), revision: 0, position: 1 }),
  recorded(productStageAdvanced({ productId: PRODUCT, from: 'concept', to: 'development' }), { streamId: productStream(PRODUCT), revision: 1, position: 2 }),
];

/** Counts, per id, the events seen; one document per stream, so it must see the stored document. */
const counting = (readsDocument?: false): Projection => ({
  name: `counting-${String(readsDocument)}`,
  collection: { name: 'counts', indexes: [] },
  ...(readsDocument === false ? { readsDocument } : {}),
  documentIds: (event) => [event.streamId],
  evolve: (document, _event, id) => ({ id: id!, seen: ((document?.seen as number | undefined) ?? 0) + 1 }),
});

async function applyWith(projection: Projection, stored: Record<string, Document> = {}) {
  const readStore = countingReadStore(stored);
  const projector = new Projector({} as EventStore, readStore.store, [projection]);
  await projector.prepare();
  await projector.apply(events);
  return readStore;
}

describe('Projector: projections that declare readsDocument: false', () => {
  it('reads the stored document of a projection that does not declare it', async () => {
    const { gets, commits } = await applyWith(counting(), { [`counts/${productStream(PRODUCT)}`]: { id: productStream(PRODUCT), seen: 5 } });
    // Once per document and batch: the second event gets what the first made of it.
    expect(gets).toEqual([`counts/${productStream(PRODUCT)}`]);
    expect(commits[0]!.changes).toEqual([{ op: 'upsert', collection: 'counts', document: { id: productStream(PRODUCT), seen: 7 } }]);
  });

  it('never reads the store for a projection that declares it, and passes null to evolve', async () => {
    const { gets, commits } = await applyWith(counting(false), { [`counts/${productStream(PRODUCT)}`]: { id: productStream(PRODUCT), seen: 5 } });
    expect(gets).toEqual([]);
    // Within a batch it still gets what an earlier event of the batch made of the document.
    expect(commits[0]!.changes).toEqual([{ op: 'upsert', collection: 'counts', document: { id: productStream(PRODUCT), seen: 2 } }]);
    expect(commits[0]!.checkpoints).toEqual({ 'counting-false': events[1]!.position });
  });

  it('commits the same audit entries without reading them as it would after reading them', async () => {
    expect(auditEntriesProjection.readsDocument).toBe(false);
    const skipping = await applyWith(auditEntriesProjection);
    const reading = await applyWith({ ...auditEntriesProjection, readsDocument: undefined });
    expect(skipping.gets).toEqual([]);
    expect(reading.gets).toHaveLength(events.length);
    expect(skipping.commits[0]!.changes).toEqual(reading.commits[0]!.changes);
    expect(skipping.commits[0]!.changes).toHaveLength(events.length);
  });
});

/** Each event in a batch of its own: every document but the first event's comes from the store. */
async function applyOneByOne(projection: Projection) {
  const readStore = countingReadStore();
  const projector = new Projector({} as EventStore, readStore.store, [projection]);
  await projector.prepare();
  for (const event of events) await projector.apply([event]);
  return readStore;
}

describe("Projector: projections that declare documentScope: 'stream'", () => {
  it('does not look up the document for a stream\'s first event, and does for the events after it', async () => {
    const { gets, documents } = await applyOneByOne({ ...counting(), documentScope: 'stream' });
    expect(gets).toEqual([`counts/${productStream(PRODUCT)}`]);
    expect(documents.get(`counts/${productStream(PRODUCT)}`)).toEqual({ id: productStream(PRODUCT), seen: 2 });
  });

  it('builds the same product details as a projection that looks every time', async () => {
    expect(productDetailsProjection.documentScope).toBe('stream');
    const scoped = await applyOneByOne(productDetailsProjection);
    const looking = await applyOneByOne({ ...productDetailsProjection, documentScope: undefined });
    expect(scoped.gets).toHaveLength(events.length - 1);
    expect(looking.gets).toHaveLength(events.length);
    expect([...scoped.documents]).toEqual([...looking.documents]);
    expect(scoped.documents.size).toBe(1);
  });
});

describe('Projector: the changes of a catch-up batch', () => {
  it('commits them one collection after another, each in the order its documents were first touched', async () => {
    // More events than a catch-up page holds, so that the batch is projected page by page; a new product every 100
    // events, so that later pages touch new documents of both collections.
    const log = new EventLog();
    for (let index = 0; index < 1_000; index++) {
      const productId = `p-${Math.floor(index / 100)}`;
      if (index % 100 === 0) log.append(productStream(productId), productRegistered({ productId }));
      else log.append(productStream(productId), productStageAdvanced({ productId, from: 'concept', to: 'development' }));
    }
    const eventStore = {
      readAll: async ({ after, limit }: { after: string | null; limit: number }) =>
        log.events.filter(({ position }) => after === null || position > after).slice(0, limit),
      // Caught up, the projector follows the subscription: here one that ends at once, which ends the run.
      subscribeAll: () => (async function* () {})(),
    } as unknown as EventStore;
    const readStore = countingReadStore();
    const perEvent: Projection = { ...counting(false), name: 'per-event', collection: { name: 'per_event', indexes: [] }, documentIds: (event) => [event.position] };
    const projector = new Projector(eventStore, readStore.store, [counting(), perEvent], { batchSize: 20_000 });
    await projector.prepare();
    const readAll = jest.spyOn(eventStore, 'readAll');
    await projector.run(new AbortController().signal);
    expect(readAll.mock.calls.length).toBeGreaterThan(2);

    expect(readStore.commits).toHaveLength(1);
    const { changes } = readStore.commits[0]!;
    expect(changes.map(({ collection }) => collection)).toEqual([...Array(10).fill('counts'), ...Array(1_000).fill('per_event')]);
    expect(changes.slice(0, 10).map((change) => (change.op === 'upsert' ? change.document.id : change.id))).toEqual(
      log.events.filter(({ revision }) => revision === 0).map(({ streamId }) => streamId),
    );
    expect(changes.slice(10).map((change) => (change.op === 'upsert' ? change.document.id : change.id))).toEqual(log.events.map(({ position }) => position));
    expect(readStore.documents.get(`counts/${productStream('p-0')}`)).toEqual({ id: productStream('p-0'), seen: 100 });
  });
});
