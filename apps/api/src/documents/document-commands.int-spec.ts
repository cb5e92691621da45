import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FilesystemBlobStore, sha256Hex } from '@pc/blob-store';
import { DEFAULT_RETENTION_PERIODS, DOCUMENT_STREAM_PREFIX, type DocumentCommand, type Principal } from '@pc/domain';
import { SqliteEventStore } from '@pc/event-store';
import { CommandPipeline, type CommandContext } from '../commands/command-pipeline';
import type { AppConfig } from '../config/app-config';
import { DisposeDocumentCommand, DisposeDocumentHandler } from './dispose-document.handler';
import { DocumentCommands, withContentInRequestHash } from './document-commands';
import { DocumentContents } from './document-contents';

/** Document commands with content, against real stores: what is stored, and how often the log is read for it. */
describe('DocumentCommands', () => {
  let dir: string;
  let blobs: FilesystemBlobStore;
  let eventStore: SqliteEventStore;
  let contents: DocumentContents;
  let pipeline: CommandPipeline;
  let commands: DocumentCommands;
  const clock = () => new Date('2026-06-01T00:00:00.000Z');

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'pc-document-commands-'));
    blobs = new FilesystemBlobStore(join(dir, 'blobs'));
    eventStore = SqliteEventStore.open({ file: join(dir, 'events.sqlite') });
    contents = new DocumentContents(blobs, eventStore);
    pipeline = new CommandPipeline(eventStore, clock);
    commands = new DocumentCommands(pipeline, contents, clock);
  });
  afterEach(async () => {
    jest.restoreAllMocks();
    await eventStore.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const coordinator: Principal = { id: 'coordinator-1', roles: ['coordinator'] };
  const admin: Principal = { id: 'admin-1', roles: ['admin'] };
  const contextOf = (principal: Principal, idempotency?: { key: string; requestHash: string }): CommandContext => ({
    principal,
    correlationId: 'correlation',
    causationId: null,
    ...(idempotency ? { idempotency } : {}),
  });
  const content = (bytes: Buffer) => ({ contentHash: sha256Hex(bytes), size: bytes.length, mediaType: 'text/plain', fileName: 'notes.txt' });
  const fileDocument = (documentId: string, bytes: Buffer): DocumentCommand => ({
    type: 'FileDocument',
    documentId,
    medium: 'electronic',
    documentClass: 'other',
    title: 'Meeting notes',
    author: 'Cora',
    documentDate: '2026-05-01',
    tags: [],
    content: content(bytes),
    location: null,
    references: [],
    retentionPeriod: { years: 0, months: 0, days: 0 },
  });
  const addVersion = (documentId: string, bytes: Buffer): DocumentCommand => ({ type: 'AddDocumentVersion', documentId, content: content(bytes), location: null, note: null });
  /** The reads of the log from its start (one per scan), with the streams each asked for. */
  const watchLogScans = () => {
    const readAll = jest.spyOn(eventStore, 'readAll');
    return () => readAll.mock.calls.filter(([options]) => (options?.after ?? null) === null).map(([options]) => ({ streamPrefix: options?.streamPrefix }));
  };

  it('refuses an Idempotency-Key used again with other bytes before storing them, and answers a retry without storing again', async () => {
    const first = Buffer.from('first upload');
    const other = Buffer.from('other bytes, same key');
    const keyed = (bytes: Buffer) => withContentInRequestHash(contextOf(coordinator, { key: 'key-1', requestHash: 'POST /api/documents' }), sha256Hex(bytes));
    const filed = await commands.execute('d1', fileDocument('d1', first), keyed(first), first);
    expect(filed.written).toHaveLength(1);

    const put = jest.spyOn(blobs, 'put');
    await expect(commands.execute('d1', fileDocument('d1', other), keyed(other), other)).rejects.toMatchObject({ code: 'REQUEST.IDEMPOTENCY_KEY_REUSED' });
    expect(await blobs.has(sha256Hex(other))).toBe(false);

    const retried = await commands.execute('d1', fileDocument('d1', first), keyed(first), first);
    expect(retried).toMatchObject({ replayed: true, revision: filed.revision, position: filed.position });
    expect(put).not.toHaveBeenCalled();
  });

  it('refuses a version sent with a stale If-Match before storing its bytes, so that no log is read to remove them', async () => {
    const first = Buffer.from('first draft');
    await commands.execute('d4', fileDocument('d4', first), contextOf(coordinator), first);
    const second = Buffer.from('second draft');
    await commands.execute('d4', addVersion('d4', second), contextOf(coordinator), second);
    const stale = Buffer.from('written against the first draft');

    const put = jest.spyOn(blobs, 'put');
    const scans = watchLogScans();
    await expect(commands.execute('d4', addVersion('d4', stale), { ...contextOf(coordinator), ifMatch: 0 }, stale)).rejects.toMatchObject({ code: 'REQUEST.STALE_REVISION' });
    expect(put).not.toHaveBeenCalled();
    expect(scans()).toHaveLength(0);

    const added = await commands.execute('d4', addVersion('d4', stale), { ...contextOf(coordinator), ifMatch: 1 }, stale);
    expect(added.revision).toBe(2);
    expect(await blobs.has(sha256Hex(stale))).toBe(true);
  });

  it("disposes of a document with several versions reading the documents' streams once, keeping only the content another live document shares", async () => {
    const versions = ['v1', 'v2', 'v3', 'v4'].map((text) => Buffer.from(`notes ${text}`));
    await commands.execute('d2', fileDocument('d2', versions[0]!), contextOf(coordinator), versions[0]!);
    for (const bytes of versions.slice(1)) await commands.execute('d2', addVersion('d2', bytes), contextOf(coordinator), bytes);
    await commands.execute('d3', fileDocument('d3', versions[2]!), contextOf(coordinator), versions[2]!);

    const config = { retentionPeriods: { ...DEFAULT_RETENTION_PERIODS, other: { years: 0, months: 0, days: 0 } } } as unknown as AppConfig;
    const scans = watchLogScans();
    await new DisposeDocumentHandler(pipeline, contents, config).execute(new DisposeDocumentCommand('d2', 'Retention over', contextOf(admin)));

    expect(scans()).toEqual([{ streamPrefix: DOCUMENT_STREAM_PREFIX }]);
    expect(await Promise.all(versions.map((bytes) => blobs.has(sha256Hex(bytes))))).toEqual([false, false, true, false]);
  });
});
