import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import {
  CollectionDefinition,
  Document,
  Filter,
  FindQuery,
  InvalidCursorError,
  Page,
  ReadStore,
  Scalar,
  UnindexedQueryError,
  UniqueIndexViolationError,
} from '../read-store.port';

interface Item extends Document {
  readonly status: string;
  readonly score: number | null;
  readonly name: string;
  readonly active: boolean;
  readonly batch?: number;
  /** Deliberately unindexed. */
  readonly notes?: string;
}

const ITEM_INDEXES: CollectionDefinition['indexes'] = [
  { fields: ['status', 'score'] },
  { fields: ['score'] },
  { fields: ['name'] },
  { fields: ['active'] },
  { fields: ['batch', 'score'] },
  { fields: ['batch', 'name'] },
  { fields: ['batch', 'status'] },
];

const FIXTURE: readonly Item[] = [
  { id: 'a', status: 'open', score: 3, name: 'alpha', active: true, notes: 'first' },
  { id: 'b', status: 'open', score: 1, name: 'bravo', active: false },
  { id: 'c', status: 'closed', score: 3, name: 'charlie', active: true },
  { id: 'd', status: 'draft', score: null, name: 'delta', active: false },
  { id: 'e', status: 'open', score: 7, name: 'echo', active: true },
];

type SortableField = 'score' | 'name' | 'id';

/** The order adapters promise: null first, then numbers, then strings; ties broken by id in the same direction. */
function compareScalars(left: Scalar, right: Scalar): number {
  const rank = (value: Scalar) => (value === null ? 0 : typeof value === 'string' ? 2 : 1);
  if (rank(left) !== rank(right)) return rank(left) - rank(right);
  if (left === null || right === null || left === right) return 0;
  return left < right ? -1 : 1;
}

function sortedModel(items: readonly Item[], field: SortableField, direction: 'asc' | 'desc'): Item[] {
  const sign = direction === 'asc' ? 1 : -1;
  return [...items].sort((left, right) => sign * (compareScalars(left[field], right[field]) || compareScalars(left.id, right.id)));
}

function ids(items: readonly Document[]): string[] {
  return items.map((item) => item.id);
}

function encodeForCursor(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url');
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Behaviour every ReadStore adapter must show. Collection, checkpoint and lease names carry a random
 * suffix so adapters backed by a shared server can run it without cleaning up between runs.
 */
export function describeReadStoreContract(
  adapterName: string,
  setup: () => Promise<{ store: ReadStore; cleanup: () => Promise<void> }>,
): void {
  describe(`ReadStore contract: ${adapterName}`, () => {
    const runId = randomBytes(4).toString('hex');
    let sequence = 0;
    const uniqueName = (base: string) => `${base}_${runId}_${++sequence}`;
    let store: ReadStore;
    let cleanup: (() => Promise<void>) | undefined;

    beforeAll(async () => {
      ({ store, cleanup } = await setup());
    });

    afterAll(async () => {
      await cleanup?.();
    });

    async function newItemsCollection(items: readonly Item[] = []): Promise<string> {
      const name = uniqueName('items');
      await store.ensureCollections([{ name, indexes: ITEM_INDEXES }]);
      for (const item of items) await store.upsert(name, item);
      return name;
    }

    async function findIds(collection: string, query: Partial<FindQuery>): Promise<string[]> {
      const page = await store.find<Item>(collection, { limit: 100, ...query });
      return ids(page.items);
    }

    async function findAllPages(collection: string, query: Omit<FindQuery, 'cursor'>, maxPages: number): Promise<Item[][]> {
      const pages: Item[][] = [];
      let cursor: string | null = null;
      do {
        const page: Page<Item> = await store.find<Item>(collection, { ...query, cursor });
        pages.push(page.items);
        cursor = page.nextCursor;
        if (pages.length > maxPages) throw new Error(`Pagination did not end after ${maxPages} pages`);
      } while (cursor !== null);
      return pages;
    }

    it('reports its health', async () => {
      const health = await store.health();
      expect(health.status).toBe('up');
      expect(typeof health.engine).toBe('string');
      expect(health.engine.length).toBeGreaterThan(0);
    });

    describe('collections', () => {
      it('ensureCollections is idempotent and keeps existing documents', async () => {
        const name = uniqueName('idempotent');
        const definition = { name, indexes: [{ fields: ['status'] }] };
        await store.ensureCollections([definition]);
        await store.ensureCollections([definition]);
        await store.upsert(name, { id: 'x', status: 'open' });
        await store.ensureCollections([definition]);

        expect(await store.get(name, 'x')).toEqual({ id: 'x', status: 'open' });
        expect(await findIds(name, { filter: { status: 'open' } })).toEqual(['x']);
      });

      it('adding an index to an existing collection makes the field queryable over existing documents', async () => {
        const name = uniqueName('growing');
        await store.ensureCollections([{ name, indexes: [{ fields: ['status'] }] }]);
        await store.upsert(name, { id: 'x', status: 'open', region: 'eu' });
        await store.upsert(name, { id: 'y', status: 'open', region: 'us' });
        await store.upsert(name, { id: 'z', status: 'open', region: 'eu' });
        await expect(store.find(name, { filter: { region: 'eu' }, limit: 10 })).rejects.toBeInstanceOf(UnindexedQueryError);

        await store.ensureCollections([{ name, indexes: [{ fields: ['status'] }, { fields: ['region'] }] }]);

        expect(await findIds(name, { filter: { region: 'eu' } })).toEqual(['x', 'z']);
        expect(await findIds(name, { sort: { field: 'region', direction: 'desc' } })).toEqual(['y', 'z', 'x']);
        expect(await store.count(name, { region: 'eu' })).toBe(2);
        expect(await findIds(name, { filter: { status: 'open' } })).toEqual(['x', 'y', 'z']);
      });
    });

    describe('documents', () => {
      it('get returns null for an absent id', async () => {
        const name = await newItemsCollection();
        expect(await store.get(name, 'missing')).toBeNull();
      });

      it('upsert stores the whole document and get returns it unchanged', async () => {
        const name = await newItemsCollection();
        const document = {
          id: 'rich',
          status: 'open',
          score: 2.5,
          name: 'rich',
          active: false,
          nested: { list: [1, 'two', null, { three: true }], empty: {} },
          nothing: null,
        };
        await store.upsert(name, document);
        expect(await store.get(name, 'rich')).toEqual(document);
      });

      it('getWithJson returns the document with JSON text that parses back to it, or null for an absent id', async () => {
        const name = await newItemsCollection();
        const document = { id: 'text', status: 'open', score: 1, name: 'quote " and \\ and é', active: true, nested: { list: [1, null, { deep: 'x' }] } };
        await store.upsert(name, document);

        const stored = await store.getWithJson(name, 'text');
        expect(stored?.document).toEqual(document);
        expect(JSON.parse(stored!.json)).toEqual(document);
        expect(await store.getWithJson(name, 'missing')).toBeNull();
      });

      it('upsert replaces the whole document, including its indexed values', async () => {
        const name = await newItemsCollection([FIXTURE[0]!]);
        await store.upsert(name, { id: 'a', status: 'closed', score: 9, name: 'alpha', active: false });

        expect(await store.get(name, 'a')).toEqual({ id: 'a', status: 'closed', score: 9, name: 'alpha', active: false });
        expect(await findIds(name, { filter: { status: 'open' } })).toEqual([]);
        expect(await findIds(name, { filter: { status: 'closed', score: 9 } })).toEqual(['a']);
        expect(await findIds(name, { filter: { active: true } })).toEqual([]);
      });

      it('delete removes a document and ignores an absent id', async () => {
        const name = await newItemsCollection(FIXTURE);
        await store.delete(name, 'b');
        await store.delete(name, 'never-there');

        expect(await store.get(name, 'b')).toBeNull();
        expect(await store.count(name)).toBe(FIXTURE.length - 1);
        expect(await findIds(name, { filter: { status: 'open' } })).toEqual(['a', 'e']);
      });

      it('refuses a second document with the value of a unique index', async () => {
        const name = uniqueName('unique');
        await store.ensureCollections([{ name, indexes: [{ fields: ['code'], unique: true }] }]);
        await store.upsert(name, { id: 'first', code: 'X' });

        await expect(store.upsert(name, { id: 'second', code: 'X' })).rejects.toThrow(UniqueIndexViolationError);
        await store.upsert(name, { id: 'first', code: 'X', revised: true });

        expect(await store.get(name, 'second')).toBeNull();
        expect(await store.get(name, 'first')).toEqual({ id: 'first', code: 'X', revised: true });
      });
    });

    describe('find', () => {
      let name: string;
      beforeAll(async () => {
        name = await newItemsCollection(FIXTURE);
      });

      it('without filter or sort returns everything by id ascending', async () => {
        expect(await findIds(name, {})).toEqual(['a', 'b', 'c', 'd', 'e']);
      });

      it.each<[string, Filter, string[]]>([
        ['a string', { status: 'open' }, ['a', 'b', 'e']],
        ['a number', { score: 3 }, ['a', 'c']],
        ['true', { active: true }, ['a', 'c', 'e']],
        ['false', { active: false }, ['b', 'd']],
        ['null', { score: null }, ['d']],
        ['the id', { id: 'c' }, ['c']],
        ['several fields at once', { status: 'open', score: 3 }, ['a']],
      ])('filters by equality with %s', async (_label, filter, expected) => {
        expect(await findIds(name, { filter })).toEqual(expected);
      });

      it.each<[string, Filter, string[]]>([
        ['strings', { status: { in: ['closed', 'draft'] } }, ['c', 'd']],
        ['numbers', { score: { in: [1, 7, 100] } }, ['b', 'e']],
        ['null among values', { score: { in: [null, 1] } }, ['b', 'd']],
        ['booleans', { active: { in: [true] } }, ['a', 'c', 'e']],
        ['ids', { id: { in: ['e', 'a', 'zz'] } }, ['a', 'e']],
        ['an empty list', { status: { in: [] } }, []],
      ])('filters by membership among %s', async (_label, filter, expected) => {
        expect(await findIds(name, { filter })).toEqual(expected);
      });

      it.each<[string, Filter, string[]]>([
        ['gt', { score: { gt: 1 } }, ['a', 'c', 'e']],
        ['gte', { score: { gte: 3 } }, ['a', 'c', 'e']],
        ['lt', { score: { lt: 3 } }, ['b']],
        ['lte', { score: { lte: 3 } }, ['a', 'b', 'c']],
        ['gt and lt', { score: { gt: 1, lt: 7 } }, ['a', 'c']],
        ['gte and lte', { score: { gte: 1, lte: 3 } }, ['a', 'b', 'c']],
        ['strings', { name: { gte: 'charlie', lt: 'echo' } }, ['c', 'd']],
        ['ids', { id: { gt: 'c' } }, ['d', 'e']],
        ['a range and an equality', { status: 'open', score: { gte: 3 } }, ['a', 'e']],
      ])('filters by range with %s, never matching null', async (_label, filter, expected) => {
        expect(await findIds(name, { filter })).toEqual(expected);
      });

      it.each<[SortableField, 'asc' | 'desc', string[]]>([
        ['score', 'asc', ['d', 'b', 'a', 'c', 'e']],
        ['score', 'desc', ['e', 'c', 'a', 'b', 'd']],
        ['name', 'asc', ['a', 'b', 'c', 'd', 'e']],
        ['name', 'desc', ['e', 'd', 'c', 'b', 'a']],
        ['id', 'desc', ['e', 'd', 'c', 'b', 'a']],
      ])('sorts by %s %s, nulls lowest, ties by id in the same direction', async (field, direction, expected) => {
        expect(await findIds(name, { sort: { field, direction } })).toEqual(expected);
      });

      it('sorts a filtered result', async () => {
        expect(await findIds(name, { filter: { status: 'open' }, sort: { field: 'score', direction: 'desc' } })).toEqual([
          'e',
          'a',
          'b',
        ]);
      });

      it('pages through ties and nulls with cursors, ending with a null cursor', async () => {
        const pages = await findAllPages(name, { sort: { field: 'score', direction: 'asc' }, limit: 2 }, 10);
        expect(pages.map(ids)).toEqual([['d', 'b'], ['a', 'c'], ['e']]);

        const descending = await findAllPages(name, { sort: { field: 'score', direction: 'desc' }, limit: 2 }, 10);
        expect(descending.map(ids)).toEqual([['e', 'c'], ['a', 'b'], ['d']]);
      });

      it('gives a null cursor when the page holds the last document exactly', async () => {
        const page = await store.find(name, { limit: FIXTURE.length });
        expect(page.items).toHaveLength(FIXTURE.length);
        expect(page.nextCursor).toBeNull();

        const firstPage = await store.find(name, { limit: FIXTURE.length - 1 });
        expect(firstPage.nextCursor).not.toBeNull();
        const lastPage = await store.find(name, { limit: 1, cursor: firstPage.nextCursor });
        expect(ids(lastPage.items)).toEqual(['e']);
        expect(lastPage.nextCursor).toBeNull();
      });

      it('treats a null cursor as the first page', async () => {
        expect(ids((await store.find(name, { limit: 2, cursor: null })).items)).toEqual(['a', 'b']);
      });

      it.each([
        ['text that is not base64url', 'not a cursor!'],
        ['base64url of text that is not JSON', encodeForCursor('not json')],
        ['a JSON object', encodeForCursor('{"sortValue":1,"id":"a"}')],
        ['a one-element array', encodeForCursor('[1]')],
        ['a non-string id', encodeForCursor('[1,2]')],
        ['an object as sort value', encodeForCursor('[{"x":1},"a"]')],
      ])('refuses a cursor made of %s', async (_label, cursor) => {
        await expect(store.find(name, { limit: 2, sort: { field: 'score', direction: 'asc' }, cursor })).rejects.toBeInstanceOf(
          InvalidCursorError,
        );
      });

      it('refuses to filter, sort or count on a field no index declares', async () => {
        const filtering = store.find(name, { filter: { notes: 'first' }, limit: 10 });
        await expect(filtering).rejects.toBeInstanceOf(UnindexedQueryError);
        await expect(filtering).rejects.toMatchObject({ field: 'notes', collection: name });
        await expect(store.find(name, { sort: { field: 'notes', direction: 'asc' }, limit: 10 })).rejects.toBeInstanceOf(
          UnindexedQueryError,
        );
        await expect(store.count(name, { notes: { in: ['first'] } })).rejects.toBeInstanceOf(UnindexedQueryError);
      });

      it('counts with and without a filter', async () => {
        expect(await store.count(name)).toBe(5);
        expect(await store.count(name, {})).toBe(5);
        expect(await store.count(name, { status: 'open' })).toBe(3);
        expect(await store.count(name, { score: { gte: 3 } })).toBe(3);
        expect(await store.count(name, { score: null })).toBe(1);
        expect(await store.count(name, { status: { in: ['closed', 'draft'] }, active: false })).toBe(1);
        expect(await store.count(name, { status: { in: [] } })).toBe(0);
      });

      it('visits every matching document exactly once, in order, whatever the page size', async () => {
        const collection = await newItemsCollection();
        let batch = 0;
        const itemArbitrary = fc.record({
          key: fc.string({ unit: fc.constantFrom('a', 'b', 'c', 'd'), minLength: 1, maxLength: 4 }),
          status: fc.constantFrom('open', 'closed'),
          score: fc.option(fc.integer({ min: 0, max: 4 }), { nil: null }),
          name: fc.string({ unit: fc.constantFrom('x', 'y'), maxLength: 2 }),
          active: fc.boolean(),
        });
        const filterArbitrary = fc.constantFrom<Filter>(
          {},
          { status: 'open' },
          { status: { in: ['closed'] } },
          { score: { gte: 1, lt: 4 } },
          { score: null },
        );

        await fc.assert(
          fc.asyncProperty(
            fc.uniqueArray(itemArbitrary, { selector: (item) => item.key, maxLength: 20 }),
            filterArbitrary,
            fc.constantFrom<SortableField>('score', 'name', 'id'),
            fc.constantFrom<'asc' | 'desc'>('asc', 'desc'),
            fc.integer({ min: 1, max: 6 }),
            async (generated, extraFilter, field, direction, pageSize) => {
              batch += 1;
              // Each run writes a fresh batch and filters on it, so runs never see each other's documents.
              const items: Item[] = generated.map(({ key, ...rest }) => ({ id: `${batch}-${key}`, batch, ...rest }));
              await store.commit({
                changes: items.map((document) => ({ op: 'upsert', collection, document })),
                checkpoints: {},
                position: String(batch),
              });
              const filter: Filter = { ...extraFilter, batch };
              const pages = await findAllPages(collection, { filter, sort: { field, direction }, limit: pageSize }, items.length + 2);

              const matching = items.filter((item) => matchesModelFilter(item, extraFilter));
              const expected = ids(sortedModel(matching, field, direction));
              expect(pages.flat().map((item) => item.id)).toEqual(expected);
              expect(pages.slice(0, -1).every((page) => page.length === pageSize)).toBe(true);
              expect(await store.count(collection, filter)).toBe(expected.length);
            },
          ),
          { numRuns: 60 },
        );
      });
    });

    describe('commit and checkpoints', () => {
      it('getCheckpoint is null for a projection that never committed', async () => {
        expect(await store.getCheckpoint(uniqueName('never'))).toBeNull();
      });

      it('never moves a checkpoint backwards, so a late commit from a replaced projector cannot rewind it', async () => {
        const projection = uniqueName('forwards');
        await store.commit({ changes: [], checkpoints: { [projection]: '0000000000000009' }, position: '0000000000000009' });
        await store.commit({ changes: [], checkpoints: { [projection]: '0000000000000004' }, position: '0000000000000004' });

        expect(await store.getCheckpoint(projection)).toBe('0000000000000009');
      });

      it('applies every change in order, across collections, and sets every checkpoint', async () => {
        const first = await newItemsCollection();
        const second = await newItemsCollection();
        const projectionA = uniqueName('projection_a');
        const projectionB = uniqueName('projection_b');
        const item = (id: string, status: string): Item => ({ id, status, score: 1, name: id, active: true });

        await store.commit({
          changes: [
            { op: 'upsert', collection: first, document: item('x1', 'open') },
            { op: 'upsert', collection: first, document: item('x2', 'open') },
            { op: 'delete', collection: first, id: 'x1' },
            { op: 'upsert', collection: second, document: item('y1', 'open') },
            { op: 'upsert', collection: first, document: item('x2', 'closed') },
            { op: 'delete', collection: first, id: 'z' },
            { op: 'upsert', collection: first, document: item('z', 'draft') },
          ],
          checkpoints: { [projectionA]: '00000000000000000005', [projectionB]: '00000000000000000005' },
          position: '00000000000000000005',
        });

        expect(await store.get(first, 'x1')).toBeNull();
        expect(await store.get(first, 'x2')).toEqual(item('x2', 'closed'));
        expect(await store.get(first, 'z')).toEqual(item('z', 'draft'));
        expect(await store.get(second, 'y1')).toEqual(item('y1', 'open'));
        expect(await findIds(first, { filter: { status: 'open' } })).toEqual([]);
        expect(await store.getCheckpoint(projectionA)).toBe('00000000000000000005');
        expect(await store.getCheckpoint(projectionB)).toBe('00000000000000000005');
      });

      it('a commit with a document it cannot store (no id) stores none of its changes and moves no checkpoint', async () => {
        const collection = await newItemsCollection();
        const projection = uniqueName('projection_refused');
        const item = (id: string): Item => ({ id, status: 'open', score: 1, name: id, active: true });
        await expect(
          store.commit({
            changes: [
              { op: 'upsert', collection, document: item('refused-1') },
              { op: 'upsert', collection, document: { ...item('refused-2'), id: '' } },
            ],
            checkpoints: { [projection]: '00000000000000000007' },
            position: '00000000000000000007',
          }),
        ).rejects.toThrow(TypeError);
        expect(await store.get(collection, 'refused-1')).toBeNull();
        expect(await store.getCheckpoint(projection)).toBeNull();
      });

      it('a later commit moves the checkpoint on, and a commit may carry only checkpoints', async () => {
        const collection = await newItemsCollection();
        const projection = uniqueName('projection');
        await store.commit({
          changes: [{ op: 'upsert', collection, document: FIXTURE[0]! }],
          checkpoints: { [projection]: '00000000000000000001' },
          position: '00000000000000000001',
        });
        await store.commit({ changes: [], checkpoints: { [projection]: '00000000000000000002' }, position: '00000000000000000002' });

        expect(await store.getCheckpoint(projection)).toBe('00000000000000000002');
        expect(await store.get(collection, 'a')).toEqual(FIXTURE[0]);
      });

      it('makes the changes and the checkpoint visible together once commit resolves', async () => {
        const collection = await newItemsCollection();
        const projection = uniqueName('projection');
        for (let position = 1; position <= 5; position += 1) {
          const id = `doc${position}`;
          await store.commit({
            changes: [{ op: 'upsert', collection, document: { ...FIXTURE[1]!, id, score: position } }],
            checkpoints: { [projection]: String(position) },
            position: String(position),
          });
          expect(await store.getCheckpoint(projection)).toBe(String(position));
          expect(await store.count(collection)).toBe(position);
          expect(await store.get(collection, id)).toMatchObject({ id, score: position });
        }
      });
    });

    describe('leases', () => {
      it('belongs to its first holder until released', async () => {
        const lease = uniqueName('lease');
        expect(await store.acquireLease(lease, 'replica-1', 10_000)).toBe(true);
        expect(await store.acquireLease(lease, 'replica-2', 10_000)).toBe(false);
        expect(await store.acquireLease(lease, 'replica-1', 10_000)).toBe(true);

        await store.releaseLease(lease, 'replica-2');
        expect(await store.acquireLease(lease, 'replica-2', 10_000)).toBe(false);

        await store.releaseLease(lease, 'replica-1');
        expect(await store.acquireLease(lease, 'replica-2', 10_000)).toBe(true);
        expect(await store.acquireLease(lease, 'replica-1', 10_000)).toBe(false);
      });

      it('passes to another holder once its ttl has run out', async () => {
        const lease = uniqueName('lease');
        expect(await store.acquireLease(lease, 'replica-1', 100)).toBe(true);
        expect(await store.acquireLease(lease, 'replica-2', 100)).toBe(false);

        await sleep(150);

        expect(await store.acquireLease(lease, 'replica-2', 10_000)).toBe(true);
        expect(await store.acquireLease(lease, 'replica-1', 100)).toBe(false);
      });

      it('renewing extends the ttl', async () => {
        const lease = uniqueName('lease');
        expect(await store.acquireLease(lease, 'replica-1', 200)).toBe(true);
        await sleep(120);
        expect(await store.acquireLease(lease, 'replica-1', 200)).toBe(true);
        await sleep(120);
        expect(await store.acquireLease(lease, 'replica-2', 200)).toBe(false);
      });

      it('leases with different names are independent', async () => {
        const first = uniqueName('lease');
        const second = uniqueName('lease');
        expect(await store.acquireLease(first, 'replica-1', 10_000)).toBe(true);
        expect(await store.acquireLease(second, 'replica-2', 10_000)).toBe(true);
      });
    });
  });
}

function matchesModelFilter(item: Item, filter: Filter): boolean {
  return Object.entries(filter).every(([field, condition]) => {
    const value = (item as Record<string, unknown>)[field] as Scalar;
    if (condition === null || typeof condition !== 'object') return value === condition;
    if ('in' in condition) return condition.in.includes(value);
    if (value === null) return false;
    const { gt, gte, lt, lte } = condition;
    return (
      (gt === undefined || compareScalars(value, gt) > 0) &&
      (gte === undefined || compareScalars(value, gte) >= 0) &&
      (lt === undefined || compareScalars(value, lt) < 0) &&
      (lte === undefined || compareScalars(value, lte) <= 0)
    );
  });
}
