import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeBlobStoreContract } from '../testing/blob-store.contract';
import { FilesystemBlobStore } from './filesystem-blob-store';

describeBlobStoreContract('filesystem', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pc-blobs-'));
  const store = new FilesystemBlobStore(dir);
  return {
    store,
    corrupt: async (hash) => writeFileSync(store.pathOf(hash), 'tampered'),
    cleanup: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});

describe('FilesystemBlobStore on disk', () => {
  it('fans files out by the first two digits of the hash and leaves no temporary file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pc-blobs-'));
    try {
      const store = new FilesystemBlobStore(dir);
      const { hash } = await store.put(Buffer.from('hello'));
      expect(store.pathOf(hash)).toBe(join(dir, 'sha256', hash.slice(0, 2), hash));
      expect(readdirSync(join(dir, 'sha256', hash.slice(0, 2)))).toEqual([hash]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('lists nothing for a directory never written', async () => {
    const store = new FilesystemBlobStore(join(tmpdir(), `pc-none-${Date.now()}`));
    const listed = [];
    for await (const blob of store.list()) listed.push(blob);
    expect(listed).toEqual([]);
  });
});
