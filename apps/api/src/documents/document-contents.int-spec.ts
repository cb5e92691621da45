import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FilesystemBlobStore, sha256Hex } from '@pc/blob-store';
import { SqliteEventStore, type NewEvent } from '@pc/event-store';
import { DocumentContents } from './document-contents';

/** The orphan policy against real stores: what stays, what goes, and why. */
describe('DocumentContents', () => {
  let dir: string;
  let blobs: FilesystemBlobStore;
  let eventStore: SqliteEventStore;
  let contents: DocumentContents;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'pc-contents-'));
    blobs = new FilesystemBlobStore(join(dir, 'blobs'));
    eventStore = SqliteEventStore.open({ file: join(dir, 'events.sqlite') });
    contents = new DocumentContents(blobs, eventStore);
  });
  afterEach(async () => {
    await eventStore.close();
    rmSync(dir, { recursive: true, force: true });
  });

  let n = 0;
  const event = (type: string, data: unknown): NewEvent => ({
    eventId: `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`,
    type,
    schemaVersion: 1,
    data,
    metadata: { actor: { id: 'u', roles: [] }, correlationId: 'c', causationId: null, occurredAt: '2026-01-01T00:00:00.000Z' },
  });
  const fileNaming = (documentId: string, bytes: Buffer) =>
    eventStore.append(`document-${documentId}`, [event('DocumentFiled', { documentId, content: { contentHash: sha256Hex(bytes), size: bytes.length, mediaType: 'text/plain', fileName: 'x' } })], {
      expectedRevision: 'any',
    });

  it('keeps the blob once the work recorded its event', async () => {
    const bytes = Buffer.from('recorded');
    await contents.storeFor(bytes, async () => {
      await fileNaming('d1', bytes);
      return { result: null, wroteEvent: true };
    });
    expect(await blobs.has(sha256Hex(bytes))).toBe(true);
  });

  it('removes a blob it created when the work fails, and rethrows', async () => {
    const bytes = Buffer.from('failed');
    await expect(contents.storeFor(bytes, async () => Promise.reject(new Error('append failed')))).rejects.toThrow('append failed');
    expect(await blobs.has(sha256Hex(bytes))).toBe(false);
  });

  it('removes a blob it created when the work recorded nothing', async () => {
    const bytes = Buffer.from('nothing recorded');
    await contents.storeFor(bytes, async () => ({ result: null, wroteEvent: false }));
    expect(await blobs.has(sha256Hex(bytes))).toBe(false);
  });

  it('leaves bytes it did not create, and bytes a live document names, when the work fails', async () => {
    const existing = Buffer.from('already there');
    await blobs.put(existing);
    await expect(contents.storeFor(existing, async () => Promise.reject(new Error('no')))).rejects.toThrow();
    expect(await blobs.has(sha256Hex(existing))).toBe(true);

    const named = Buffer.from('named by a live document');
    await fileNaming('d2', named);
    await expect(contents.storeFor(named, async () => Promise.reject(new Error('no')))).rejects.toThrow();
    expect(await blobs.has(sha256Hex(named))).toBe(true);
  });

  it('leaves a blob it created when another upload of the same bytes is still using it', async () => {
    const bytes = Buffer.from('two uploads at once');
    let secondStarted!: () => void;
    const secondHasStarted = new Promise<void>((resolve) => (secondStarted = resolve));
    let releaseSecond!: () => void;
    // The first upload creates the blob, then fails once the second is under way.
    const first = contents.storeFor(bytes, async () => {
      await secondHasStarted;
      throw new Error('first failed');
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    const second = contents.storeFor(bytes, async () => {
      secondStarted();
      await new Promise<void>((resolve) => (releaseSecond = resolve));
      await fileNaming('d3', bytes);
      return { result: null, wroteEvent: true };
    });
    await expect(first).rejects.toThrow('first failed');
    expect(await blobs.has(sha256Hex(bytes))).toBe(true);
    releaseSecond();
    await second;
    expect(await blobs.has(sha256Hex(bytes))).toBe(true);
  });

  it('puts the bytes back when something removed them before the event that names them was recorded', async () => {
    const bytes = Buffer.from('removed meanwhile');
    await contents.storeFor(bytes, async () => {
      await blobs.delete(sha256Hex(bytes));
      await fileNaming('d4', bytes);
      return { result: null, wroteEvent: true };
    });
    expect(await blobs.has(sha256Hex(bytes))).toBe(true);
  });

  it('removes content only disposed documents name, and sweeps unnamed blobs past the grace period', async () => {
    const disposedOnly = Buffer.from('disposed');
    const shared = Buffer.from('shared with a live one');
    const orphan = Buffer.from('orphan');
    for (const bytes of [disposedOnly, shared, orphan]) await blobs.put(bytes);
    await fileNaming('d5', disposedOnly);
    await fileNaming('d6', shared);
    await fileNaming('d7', shared);
    for (const id of ['d5', 'd6']) await eventStore.append(`document-${id}`, [event('DocumentDisposed', { documentId: id })], { expectedRevision: 'any' });

    expect(await contents.removeUnreferenced([sha256Hex(disposedOnly), sha256Hex(shared)], 'disposed')).toEqual(new Set([sha256Hex(disposedOnly)]));

    const now = new Date(Date.now() + 10_000);
    expect((await contents.sweep(60_000, now)).removed).toEqual([]);
    const swept = await contents.sweep(1_000, now);
    expect(swept.removed.map((blob) => blob.hash)).toEqual([sha256Hex(orphan)]);
    expect(await blobs.has(sha256Hex(shared))).toBe(true);
  });
});
