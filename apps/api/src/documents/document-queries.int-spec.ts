import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DOCUMENT_SEARCH_TERMS_COLLECTION,
  DOCUMENTS_COLLECTION,
  documentDetailsProjection,
  documentSearchProjection,
  searchTerm,
  searchTermId,
} from '@pc/projections';
import { SqliteReadStore, type DocumentChange, type FindQuery } from '@pc/read-store';
import { MAX_SEARCH_CANDIDATES, SearchDocumentsHandler, type DocumentSearchCriteria } from './document-queries';

/** Search over a read store holding more documents with one tag than one `in` list may name. */
describe('SearchDocumentsHandler', () => {
  jest.setTimeout(60_000);
  let dir: string;
  let readStore: SqliteReadStore;
  let handler: SearchDocumentsHandler;

  /** Documents 0 to COMMON carry tag `common`, except 3: one more than a search may list. */
  const COMMON = MAX_SEARCH_CANDIDATES + 1;
  const idOf = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
  /** Documents 0, 1 and 2 are also tagged `rare`, 3 is tagged `rare` only; 0 and 2 are contracts. */
  const RARE = [0, 1, 2, 3];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pc-document-search-'));
    readStore = SqliteReadStore.open({ file: join(dir, 'read-models.sqlite') });
    await readStore.ensureCollections([documentDetailsProjection.collection, documentSearchProjection.collection]);
    const changes: DocumentChange[] = [];
    for (let n = 0; n <= COMMON; n++) {
      const id = idOf(n);
      const tags = [...(n !== 3 ? ['common'] : []), ...(RARE.includes(n) ? ['rare'] : [])];
      changes.push({
        op: 'upsert',
        collection: DOCUMENTS_COLLECTION,
        document: {
          id,
          documentClass: n % 2 === 0 && n < 3 ? 'contract' : 'other',
          medium: 'electronic',
          title: `Document ${n}`,
          author: 'A',
          documentDate: `2026-01-${String((n % 28) + 1).padStart(2, '0')}`,
          tags,
          status: 'filed',
          latestVersion: 1,
          filedAt: '2026-01-01T00:00:00.000Z',
          productIds: [],
          changeRequestIds: [],
          revision: 0,
        },
      });
      for (const tag of tags) changes.push({ op: 'upsert', collection: DOCUMENT_SEARCH_TERMS_COLLECTION, document: { id: searchTermId(id, searchTerm.tag(tag)), documentId: id, term: searchTerm.tag(tag) } });
    }
    await readStore.commit({ changes, checkpoints: {}, position: '1' });
    handler = new SearchDocumentsHandler(readStore);
  });
  afterAll(async () => {
    await readStore?.close();
    rmSync(dir, { recursive: true, force: true });
  });
  afterEach(() => jest.restoreAllMocks());

  const criteria = (overrides: Partial<DocumentSearchCriteria>): DocumentSearchCriteria => ({ tags: [], words: '', limit: 20, ...overrides });

  it('answers 422 when more documents carry the terms than one search may list, asking for a narrower search', async () => {
    await expect(handler.execute({ criteria: criteria({ tags: ['common'] }) })).rejects.toMatchObject({ code: 'DOCUMENT.SEARCH_TOO_BROAD', kind: 'rule' });
  });

  it('walks the rarest term and checks the common one by bounded `in` lists, never reading all of its entries', async () => {
    const find = jest.spyOn(readStore, 'find');
    const found = await handler.execute({ criteria: criteria({ tags: ['common', 'rare'] }) });
    expect(found.items.map((item) => item.id).sort()).toEqual([0, 1, 2].map(idOf));

    const queries = find.mock.calls.map(([collection, query]) => ({ collection, query: query as FindQuery }));
    const ofCommon = queries.filter(({ collection, query }) => collection === DOCUMENT_SEARCH_TERMS_COLLECTION && query.filter?.term === searchTerm.tag('common'));
    expect(ofCommon.length).toBeGreaterThan(0);
    for (const { query } of ofCommon) expect((query.filter?.documentId as { in: unknown[] }).in.length).toBeLessThanOrEqual(RARE.length);
    const [documents] = queries.filter(({ collection }) => collection === DOCUMENTS_COLLECTION);
    expect((documents!.query.filter?.id as { in: unknown[] }).in).toHaveLength(3);
  });

  it('pages the intersection by cursor, newest document date first, with the other filters', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await handler.execute({ criteria: criteria({ tags: ['rare', 'common'], limit: 1, ...(cursor ? { cursor } : {}) }) });
      seen.push(...page.items.map((item) => item.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual([2, 1, 0].map(idOf));
    const contracts = await handler.execute({ criteria: criteria({ tags: ['common', 'rare'], documentClass: 'contract' }) });
    expect(contracts.items.map((item) => item.id)).toEqual([2, 0].map(idOf));
    expect((await handler.execute({ criteria: criteria({ tags: ['rare', 'unknown'] }) })).items).toEqual([]);
  });
});
