import { randomBytes } from 'node:crypto';
import { MongoBulkWriteError, MongoClient } from 'mongodb';
import { describeReadStoreContract } from '../testing/read-store.contract';
import { MongoDbReadStore } from './mongodb-read-store';

/** e.g. `mongodb://localhost:27017`; each run works in a database of its own and drops it afterwards. */
const uri = process.env.MONGODB_URI;

async function temporaryStore(label: string): Promise<{ store: MongoDbReadStore; databaseName: string; cleanup: () => Promise<void> }> {
  const databaseName = `pc_${label}_${randomBytes(4).toString('hex')}`;
  const store = await MongoDbReadStore.connect(uri as string, { databaseName });
  return {
    store,
    databaseName,
    cleanup: async () => {
      await store.close();
      const admin = new MongoClient(uri as string);
      try {
        await admin.db(databaseName).dropDatabase();
      } finally {
        await admin.close();
      }
    },
  };
}

if (uri) {
  describeReadStoreContract('mongodb', () => temporaryStore('contract'));

  describe('MongoDbReadStore on a server', () => {
    let subject: Awaited<ReturnType<typeof temporaryStore>>;
    let store: MongoDbReadStore;
    const doc = (id: string, version: number) => ({ id, version });

    beforeAll(async () => {
      subject = await temporaryStore('guarded');
      store = subject.store;
      await store.ensureCollections([
        { name: 'replayed', indexes: [{ fields: ['version'] }] },
        { name: 'coded', indexes: [{ fields: ['code'], unique: true }] },
      ]);
    });

    afterAll(async () => {
      await subject.cleanup();
    });

    it('ignores a replay of older units: nothing is overwritten or brought back, and the checkpoint stays', async () => {
      const older = {
        changes: [
          { op: 'upsert' as const, collection: 'replayed', document: doc('a', 1) },
          { op: 'upsert' as const, collection: 'replayed', document: doc('b', 1) },
        ],
        checkpoints: { replayed: '0002' },
        position: '0002',
      };
      const newer = {
        changes: [
          { op: 'upsert' as const, collection: 'replayed', document: doc('a', 2) },
          { op: 'delete' as const, collection: 'replayed', id: 'b' },
        ],
        checkpoints: { replayed: '0004' },
        position: '0004',
      };
      await store.commit(older);
      await store.commit(newer);

      await store.commit(older);
      await store.commit(newer);

      expect(await store.get('replayed', 'a')).toEqual(doc('a', 2));
      expect(await store.get('replayed', 'b')).toBeNull();
      expect(await store.count('replayed')).toBe(1);
      expect(await store.getCheckpoint('replayed')).toBe('0004');
    });

    it('lets a later unit write over a tombstone', async () => {
      await store.commit({ changes: [{ op: 'delete', collection: 'replayed', id: 'c' }], checkpoints: {}, position: '0010' });
      await store.commit({ changes: [{ op: 'upsert', collection: 'replayed', document: doc('c', 3) }], checkpoints: {}, position: '0011' });

      expect(await store.get('replayed', 'c')).toEqual(doc('c', 3));
    });

    it('fails a commit that breaks a unique index instead of taking it for a replay, leaving the checkpoint', async () => {
      await store.commit({ changes: [{ op: 'upsert', collection: 'coded', document: { id: 'x', code: 'K' } }], checkpoints: {}, position: '0001' });

      await expect(
        store.commit({ changes: [{ op: 'upsert', collection: 'coded', document: { id: 'y', code: 'K' } }], checkpoints: { coded: '0002' }, position: '0002' }),
      ).rejects.toBeInstanceOf(MongoBulkWriteError);
      expect(await store.getCheckpoint('coded')).toBeNull();
    });

    it('queries an index that another instance declared', async () => {
      const other = await MongoDbReadStore.connect(uri, { databaseName: subject.databaseName });
      try {
        await other.ensureCollections([{ name: 'shared', indexes: [{ fields: ['kind'] }] }]);
        await other.upsert('shared', { id: '1', kind: 'part' });

        expect((await store.find('shared', { filter: { kind: 'part' }, limit: 5 })).items).toEqual([{ id: '1', kind: 'part' }]);
      } finally {
        await other.close();
      }
    });

    it('reports down once closed', async () => {
      const { store: closing, cleanup } = await temporaryStore('health');
      expect(await closing.health()).toEqual({ engine: 'mongodb', status: 'up' });
      await cleanup();
      expect((await closing.health()).status).toBe('down');
    });
  });
} else {
  test.todo('MongoDB contract: skipped because MONGODB_URI is not set');
}
