import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describeReadStoreContract } from '../testing/read-store.contract';
import { UnindexedQueryError, UniqueIndexViolationError } from '../read-store.port';
import { SharedWriteLock, type WriteLock } from './shared-write-lock';
import { InvalidCollectionDefinitionError, SqliteReadStore, UnknownCollectionError } from './sqlite-read-store';

function temporaryDatabaseFile(): { file: string; removeDirectory: () => void } {
  const directory = mkdtempSync(join(tmpdir(), 'read-store-'));
  return { file: join(directory, 'read.db'), removeDirectory: () => rmSync(directory, { recursive: true, force: true }) };
}

describeReadStoreContract('sqlite', async () => {
  const { file, removeDirectory } = temporaryDatabaseFile();
  const store = SqliteReadStore.open({ file });
  return {
    store,
    cleanup: async () => {
      await store.close();
      removeDirectory();
    },
  };
});

describeReadStoreContract('sqlite with a shared write lock', async () => {
  const { file, removeDirectory } = temporaryDatabaseFile();
  const store = SqliteReadStore.open({ file, writeLock: new SharedWriteLock() });
  return {
    store,
    cleanup: async () => {
      await store.close();
      removeDirectory();
    },
  };
});

describe('SqliteReadStore', () => {
  let file: string;
  let removeDirectory: () => void;
  const openStores: SqliteReadStore[] = [];
  const open = (options: { clock?: () => number } = {}) => {
    const store = SqliteReadStore.open({ file, ...options });
    openStores.push(store);
    return store;
  };

  beforeEach(() => {
    ({ file, removeDirectory } = temporaryDatabaseFile());
  });

  afterEach(async () => {
    for (const store of openStores.splice(0)) await store.close();
    removeDirectory();
  });

  it('keeps documents, checkpoints and definitions across close and reopen', async () => {
    const first = open();
    await first.ensureCollections([{ name: 'products', indexes: [{ fields: ['status'] }] }]);
    await first.commit({
      changes: [{ op: 'upsert', collection: 'products', document: { id: 'p1', status: 'active' } }],
      checkpoints: { catalogue: '7' },
      position: '7',
    });
    await first.close();

    const reopened = open();
    expect(await reopened.get('products', 'p1')).toEqual({ id: 'p1', status: 'active' });
    expect((await reopened.find('products', { filter: { status: 'active' }, limit: 5 })).items).toHaveLength(1);
    expect(await reopened.getCheckpoint('catalogue')).toBe('7');
  });

  it('backfills a column added by a new index and queries it through that index', async () => {
    const store = open();
    await store.ensureCollections([{ name: 'products', indexes: [{ fields: ['status'] }] }]);
    await store.upsert('products', { id: 'p1', status: 'active', launch: { year: 2024 }, priority: 2, urgent: true });
    await store.upsert('products', { id: 'p2', status: 'active', priority: 1, urgent: false });
    await store.upsert('products', { id: 'p3', status: 'retired' });

    await store.ensureCollections([{ name: 'products', indexes: [{ fields: ['status'] }, { fields: ['priority', 'urgent'] }] }]);

    expect((await store.find('products', { sort: { field: 'priority', direction: 'asc' }, limit: 5 })).items.map((p) => p.id)).toEqual([
      'p3',
      'p2',
      'p1',
    ]);
    expect(await store.count('products', { urgent: true })).toBe(1);
    expect(await store.count('products', { urgent: false })).toBe(1);
    expect(await store.count('products', { urgent: null })).toBe(1);

    const inspector = new Database(file, { readonly: true });
    try {
      const plan = inspector
        .prepare('EXPLAIN QUERY PLAN SELECT id FROM rm_products WHERE f_priority = ? ORDER BY f_priority, id')
        .all(1) as { detail: string }[];
      expect(plan.map((step) => step.detail).join(' ')).toMatch(/USING (COVERING )?INDEX/);
    } finally {
      inspector.close();
    }
  });

  it('writes the same column values as the backfill does', async () => {
    const store = open();
    await store.ensureCollections([
      { name: 'written', indexes: [{ fields: ['value'] }] },
      { name: 'backfilled', indexes: [] },
    ]);
    const values = ['text', 3, 2.5, -0, true, false, null, undefined, { nested: [1, 'a'] }, [1, 2], new Date(0)];
    for (const [position, value] of values.entries()) {
      await store.upsert('written', { id: `t${position}`, value });
      await store.upsert('backfilled', { id: `t${position}`, value });
    }
    await store.ensureCollections([{ name: 'backfilled', indexes: [{ fields: ['value'] }] }]);

    const inspector = new Database(file, { readonly: true });
    try {
      const columnOf = (table: string) =>
        inspector.prepare(`SELECT id, f_value AS value, typeof(f_value) AS type FROM ${table} ORDER BY id`).all();
      expect(columnOf('rm_backfilled')).toEqual(columnOf('rm_written'));
      expect(columnOf('rm_written')).toHaveLength(values.length);
    } finally {
      inspector.close();
    }
  });

  it('a failure inside commit leaves neither changes nor checkpoint', async () => {
    const store = open();
    await store.ensureCollections([{ name: 'products', indexes: [{ fields: ['code'], unique: true }] }]);
    await store.commit({
      changes: [{ op: 'upsert', collection: 'products', document: { id: 'p1', code: 'A' } }],
      checkpoints: { catalogue: '1' },
      position: '1',
    });

    await expect(
      store.commit({
        changes: [
          { op: 'upsert', collection: 'products', document: { id: 'p2', code: 'B' } },
          { op: 'delete', collection: 'products', id: 'p1' },
          { op: 'upsert', collection: 'not_ensured', document: { id: 'x' } },
        ],
        checkpoints: { catalogue: '2' },
        position: '2',
      }),
    ).rejects.toBeInstanceOf(UnknownCollectionError);
    await expect(
      store.commit({
        changes: [
          { op: 'upsert', collection: 'products', document: { id: 'p3', code: 'C' } },
          { op: 'upsert', collection: 'products', document: { id: 'p4', code: 'A' } },
        ],
        checkpoints: { catalogue: '3' },
        position: '3',
      }),
    ).rejects.toThrow(UniqueIndexViolationError);

    expect(await store.getCheckpoint('catalogue')).toBe('1');
    expect(await store.get('products', 'p1')).toEqual({ id: 'p1', code: 'A' });
    expect(await store.count('products')).toBe(1);
  });

  it('takes the write lock around every write, gives it back when a write fails, and not for reads', async () => {
    const taken: string[] = [];
    let holding = false;
    const lock: WriteLock = {
      acquire: () => {
        if (holding) throw new Error('taken twice');
        holding = true;
        taken.push('acquire');
      },
      release: () => {
        holding = false;
        taken.push('release');
      },
    };
    const store = SqliteReadStore.open({ file, writeLock: lock });
    openStores.push(store);
    const writes = async (write: () => Promise<unknown>) => {
      taken.length = 0;
      await write().catch(() => undefined);
      return [...taken];
    };
    const once = ['acquire', 'release'];
    expect(await writes(() => store.ensureCollections([{ name: 'products', indexes: [{ fields: ['code'], unique: true }] }]))).toEqual(once);
    expect(await writes(() => store.commit({ changes: [{ op: 'upsert', collection: 'products', document: { id: 'p1', code: 'A' } }], checkpoints: { c: '1' }, position: '1' }))).toEqual(once);
    expect(await writes(() => store.upsert('products', { id: 'p2', code: 'B' }))).toEqual(once);
    expect(await writes(() => store.upsert('products', { id: 'p3', code: 'A' }))).toEqual(once);
    expect(await writes(() => store.delete('products', 'p2'))).toEqual(once);
    expect(await writes(() => store.acquireLease('projector', 'me', 1000))).toEqual(once);
    expect(await writes(() => store.releaseLease('projector', 'me'))).toEqual(once);
    expect(holding).toBe(false);
    expect(await writes(() => store.get('products', 'p1'))).toEqual([]);
    expect(await writes(() => store.find('products', { limit: 10 }))).toEqual([]);
    expect(await writes(() => store.getCheckpoint('c'))).toEqual([]);
    expect(await store.count('products')).toBe(1);
  });

  it('lets a second connection read what the first defines and commits, including indexes added later', async () => {
    const projector = open();
    const api = open();
    await projector.ensureCollections([{ name: 'products', indexes: [{ fields: ['status'] }] }]);
    await projector.upsert('products', { id: 'p1', status: 'active', owner: 'ann' });

    expect(await api.get('products', 'p1')).toEqual({ id: 'p1', status: 'active', owner: 'ann' });
    expect(await api.count('products', { status: 'active' })).toBe(1);
    await expect(api.count('products', { owner: 'ann' })).rejects.toBeInstanceOf(UnindexedQueryError);

    await projector.ensureCollections([{ name: 'products', indexes: [{ fields: ['owner'] }] }]);

    expect(await api.count('products', { owner: 'ann' })).toBe(1);
    expect(await api.count('products', { status: 'active' })).toBe(1);
  });

  it('a connection that cached a collection before another added an index still fills the new column', async () => {
    const stale = open();
    const migrator = open();
    await stale.ensureCollections([{ name: 'products', indexes: [{ fields: ['status'] }] }]);
    await stale.upsert('products', { id: 'p1', status: 'active', owner: 'ann' });

    await migrator.ensureCollections([{ name: 'products', indexes: [{ fields: ['status'] }, { fields: ['owner'] }] }]);
    await stale.upsert('products', { id: 'p2', status: 'active', owner: 'bob' });
    await stale.commit({
      changes: [{ op: 'upsert', collection: 'products', document: { id: 'p3', status: 'active', owner: 'bob' } }],
      checkpoints: {},
      position: '1',
    });

    expect((await migrator.find('products', { filter: { owner: 'bob' }, limit: 5 })).items.map((p) => p.id)).toEqual(['p2', 'p3']);
  });

  it('decides lease expiry by its clock', async () => {
    let now = 1_000_000;
    const store = open({ clock: () => now });
    expect(await store.acquireLease('projector', 'replica-1', 5_000)).toBe(true);
    now += 4_999;
    expect(await store.acquireLease('projector', 'replica-2', 5_000)).toBe(false);
    now += 1;
    expect(await store.acquireLease('projector', 'replica-2', 5_000)).toBe(true);
    expect(await store.acquireLease('projector', 'replica-1', 5_000)).toBe(false);
    await expect(store.acquireLease('projector', 'replica-1', 0)).rejects.toThrow(RangeError);
  });

  it('refuses collections it was never told about and definitions it cannot map onto SQL', async () => {
    const store = open();
    await expect(store.get('unknown', 'x')).rejects.toBeInstanceOf(UnknownCollectionError);
    await expect(store.find('unknown', { limit: 1 })).rejects.toBeInstanceOf(UnknownCollectionError);
    await expect(store.ensureCollections([{ name: 'bad', indexes: [{ fields: ['a"; DROP TABLE x; --'] }] }])).rejects.toBeInstanceOf(
      InvalidCollectionDefinitionError,
    );
    await expect(store.ensureCollections([{ name: 'bad', indexes: [{ fields: ['nested.field'] }] }])).rejects.toBeInstanceOf(
      InvalidCollectionDefinitionError,
    );
    await expect(store.ensureCollections([{ name: 'bad', indexes: [{ fields: [] }] }])).rejects.toBeInstanceOf(
      InvalidCollectionDefinitionError,
    );
  });

  it('sanitizes collection names into table names and refuses two names that would share a table', async () => {
    const store = open();
    await store.ensureCollections([{ name: 'product-summaries', indexes: [{ fields: ['status'] }] }]);
    await store.upsert('product-summaries', { id: 'p1', status: 'active' });
    expect(await store.count('product-summaries', { status: 'active' })).toBe(1);

    await expect(store.ensureCollections([{ name: 'product.summaries', indexes: [] }])).rejects.toBeInstanceOf(
      InvalidCollectionDefinitionError,
    );
    expect(await store.count('product-summaries')).toBe(1);
  });

  it('refuses a non-positive limit and a malformed condition', async () => {
    const store = open();
    await store.ensureCollections([{ name: 'products', indexes: [{ fields: ['status'] }] }]);
    await expect(store.find('products', { limit: 0 })).rejects.toThrow(RangeError);
    await expect(store.find('products', { limit: 1.5 })).rejects.toThrow(RangeError);
    await expect(store.find('products', { filter: { status: { like: 'a%' } as never }, limit: 1 })).rejects.toThrow(TypeError);
    await expect(store.find('products', { filter: { status: { in: 'open' } as never }, limit: 1 })).rejects.toThrow(TypeError);
  });

  it('reports down after close, and close may be called twice', async () => {
    const store = open();
    expect(await store.health()).toEqual({ engine: 'sqlite', status: 'up' });
    await store.close();
    await store.close();
    expect(await store.health()).toMatchObject({ engine: 'sqlite', status: 'down' });
  });
});
