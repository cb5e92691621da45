import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sha256Hex, type BlobStore } from '../blob-store.port';

export interface BlobStoreSubject {
  readonly store: BlobStore;
  /** Damages the stored copy of a blob behind the store's back, as a disk fault or an intruder would. */
  readonly corrupt?: (hash: string) => Promise<void>;
  readonly cleanup: () => Promise<void>;
}

/** What every blob store adapter must do; run against each adapter by its int-spec. */
export function describeBlobStoreContract(engine: string, open: () => Promise<BlobStoreSubject>): void {
  describe(`BlobStore contract: ${engine}`, () => {
    let subject: BlobStoreSubject;
    let store: BlobStore;

    beforeAll(async () => {
      subject = await open();
      store = subject.store;
    });
    afterAll(async () => subject?.cleanup());

    it('stores bytes under their SHA-256 and gives them back', async () => {
      const bytes = randomBytes(70_000);
      const stored = await store.put(bytes);
      expect(stored).toEqual({ hash: sha256Hex(bytes), size: bytes.length, created: true });
      expect((await store.get(stored.hash))?.equals(bytes)).toBe(true);
      expect(await store.has(stored.hash)).toBe(true);
    });

    it('reuses identical bytes instead of storing them twice', async () => {
      const bytes = Buffer.from(`same ${randomBytes(8).toString('hex')}`);
      expect((await store.put(bytes)).created).toBe(true);
      expect(await store.put(Buffer.from(bytes))).toEqual({ hash: sha256Hex(bytes), size: bytes.length, created: false });
      const listed: string[] = [];
      for await (const blob of store.list()) if (blob.hash === sha256Hex(bytes)) listed.push(blob.hash);
      expect(listed).toEqual([sha256Hex(bytes)]);
    });

    it('stores empty content', async () => {
      const stored = await store.put(Buffer.alloc(0));
      expect(stored.size).toBe(0);
      expect((await store.get(stored.hash))?.length).toBe(0);
    });

    it('answers null and false for a hash it does not hold', async () => {
      const hash = sha256Hex(randomBytes(16));
      expect(await store.get(hash)).toBeNull();
      expect(await store.has(hash)).toBe(false);
      expect(await store.delete(hash)).toBe(false);
    });

    it('deletes a blob', async () => {
      const { hash } = await store.put(randomBytes(100));
      expect(await store.delete(hash)).toBe(true);
      expect(await store.get(hash)).toBeNull();
      expect(await store.has(hash)).toBe(false);
    });

    it('lists what it holds with size and time', async () => {
      const bytes = randomBytes(321);
      const { hash } = await store.put(bytes);
      const found: Array<{ hash: string; size: number; storedAt: string }> = [];
      for await (const blob of store.list()) if (blob.hash === hash) found.push(blob);
      expect(found).toEqual([{ hash, size: 321, storedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/) }]);
    });

    it('refuses a name that is not a SHA-256 digest', async () => {
      await expect(store.get('../../etc/passwd')).rejects.toThrow(TypeError);
      await expect(store.delete('ABC')).rejects.toThrow(TypeError);
    });

    it('replaces a damaged copy when the same bytes are stored again', async () => {
      if (!subject.corrupt) return;
      const bytes = randomBytes(500);
      const { hash } = await store.put(bytes);
      await subject.corrupt(hash);
      expect(sha256Hex((await store.get(hash))!)).not.toBe(hash);
      expect((await store.put(bytes)).created).toBe(true);
      expect((await store.get(hash))?.equals(bytes)).toBe(true);
    });

    it('reports up', async () => {
      expect((await store.health()).status).toBe('up');
    });
  });
}
