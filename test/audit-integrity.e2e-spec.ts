import { createPublicKey, generateKeyPairSync, verify } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { canonicalJson, computeEventHash, keyIdOf, signPayload, type NewEvent } from '@pc/event-store';
import { expectProblem, expectWrite, headPosition, registerProduct, submitChangeRequest } from './support/api';
import { blobPath, downloadContent, fileDocument, sha256 } from './support/documents';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * Tamper evidence over HTTP: one byte changed in a stored event or a stored blob, newest events
 * deleted, history rewritten with every hash recomputed — and the verifier names each.
 * The SQLite adapter's triggers refuse UPDATE and DELETE on events, so the tampering opens the
 * file directly and drops them first, as an intruder with file access would.
 */

interface EventRow {
  position: number;
  stream_id: string;
  revision: number;
  event_id: string;
  type: string;
  schema_version: number;
  data: string;
  metadata: string;
  recorded_at: string;
  hash: string;
  previous_hash: string | null;
}

function tamper<T>(t: TestApp, work: (db: Database.Database) => T): T {
  const db = new Database(join(t.dataDir, 'events.sqlite'));
  try {
    db.exec('DROP TRIGGER IF EXISTS events_are_immutable; DROP TRIGGER IF EXISTS events_are_never_deleted;');
    return work(db);
  } finally {
    db.close();
  }
}

const rowsOf = (db: Database.Database, streamId: string) => db.prepare('SELECT * FROM events WHERE stream_id = ? ORDER BY revision').all(streamId) as EventRow[];

/** An intruder who knows the hashing scheme: rewrite one event and recompute every hash after it in the stream. */
function rewriteAndRechain(db: Database.Database, streamId: string, revision: number, newData: unknown): void {
  let previousHash: string | null = null;
  for (const row of rowsOf(db, streamId)) {
    const data = row.revision === revision ? JSON.stringify(newData) : row.data;
    const event: NewEvent = { eventId: row.event_id, type: row.type, schemaVersion: row.schema_version, data: JSON.parse(data), metadata: JSON.parse(row.metadata) };
    const hash = computeEventHash(event, { streamId, revision: row.revision, recordedAt: row.recorded_at, previousHash });
    db.prepare('UPDATE events SET data = ?, hash = ?, previous_hash = ? WHERE position = ?').run(data, hash, previousHash, row.position);
    previousHash = hash;
  }
}

describe('audit integrity over HTTP', () => {
  jest.setTimeout(30_000);
  let t: TestApp;

  beforeEach(async () => {
    t = await startTestApp();
  });
  afterEach(async () => t?.close());

  const verifyLog = async () => {
    const response = await t.as('auditor').get('/api/audit/verify');
    expect(response.status).toBe(200);
    return response.body;
  };

  it('verifies an untouched log: every chain and every content hash', async () => {
    const product = await registerProduct(t);
    await submitChangeRequest(t, product.id);
    const bytes = Buffer.from('intact content');
    await fileDocument(t, bytes, { references: [{ targetType: 'product', targetId: product.id, relation: 'refers_to' }] });

    const report = await verifyLog();
    expect(report).toMatchObject({ ok: true, scope: { log: 'all' }, firstBreak: null, breaks: [], events: { checked: 4, streams: 3 }, blobs: { checked: 1, orphaned: [] } });
    expect(report.head).toEqual({ eventCount: 4, headPosition: await headPosition(t), logHash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const stream = await t.as('admin').get('/api/audit/verify').query({ streamId: `product-${product.id}` });
    expect(stream.body).toMatchObject({ ok: true, scope: { streamId: `product-${product.id}` }, head: { revision: 0 }, events: { checked: 1 } });
    expectProblem(await t.as('auditor').get('/api/audit/verify').query({ streamId: 'product-00000000-0000-4000-8000-000000000000' }), 404, 'AUDIT.STREAM_NOT_FOUND');
    expectProblem(await t.as('auditor').get('/api/audit/verify').query({ streamId: '../../etc' }), 400);
  });

  it('names the event in which one byte was changed, in the whole log and in its stream', async () => {
    const product = await registerProduct(t, { name: 'Pump' });
    await submitChangeRequest(t, product.id);
    const streamId = `product-${product.id}`;
    const tampered = tamper(t, (db) => {
      const [row] = rowsOf(db, streamId);
      db.prepare('UPDATE events SET data = ? WHERE position = ?').run(row!.data.replace('"Pump"', '"Pumq"'), row!.position);
      return row!;
    });

    const report = await verifyLog();
    expect(report.ok).toBe(false);
    expect(report.firstBreak).toMatchObject({ kind: 'event', reason: 'hash_mismatch', streamId, revision: 0, eventId: tampered.event_id, type: 'ProductRegistered' });
    expect(report.firstBreak.detail).toMatch(/was altered/);
    const stream = await t.as('auditor').get('/api/audit/verify').query({ streamId });
    expect(stream.body).toMatchObject({ ok: false, firstBreak: { reason: 'hash_mismatch', revision: 0 } });
  });

  it('names the content whose stored bytes were changed, or removed, and refuses to hand them out', async () => {
    const bytes = Buffer.from('the signed contract, page 1');
    const filed = await fileDocument(t, bytes, { title: 'Contract' });
    const hash = sha256(bytes);
    const damaged = Buffer.from(bytes);
    damaged[4] = damaged[4]! ^ 0x01;
    writeFileSync(blobPath(t, hash), damaged);

    const report = await verifyLog();
    expect(report).toMatchObject({
      ok: false,
      firstBreak: { kind: 'blob', reason: 'hash_mismatch', streamId: `document-${filed.id}`, documentId: filed.id, version: 1, contentHash: hash },
    });
    expect((await t.as('auditor').get('/api/audit/verify').query({ streamId: `document-${filed.id}` })).body.firstBreak).toMatchObject({ kind: 'blob', documentId: filed.id });
    const refused = expectProblem(await downloadContent(t, 'auditor', filed.id), 500);
    expect(refused.detail).toMatch(/no longer hashes/);

    const other = Buffer.from('another one');
    const second = await fileDocument(t, other);
    rmSync(blobPath(t, sha256(other)));
    expect((await verifyLog()).breaks).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'blob', reason: 'missing', documentId: second.id })]));
  });

  it('hands out a checkpoint signed with Ed25519 that anyone can check with the public key', async () => {
    await registerProduct(t);
    const signed = (await t.as('auditor').get('/api/audit/checkpoint')).body;
    const key = (await t.as('auditor').get('/api/audit/public-key')).body;
    expect(signed.checkpoint).toMatchObject({ format: 'product-coordinator/checkpoint@1', log: { eventCount: 1, headPosition: await headPosition(t) } });
    expect(signed.checkpoint.streams).toBeUndefined();
    expect(signed.signature).toMatchObject({ algorithm: 'Ed25519', keyId: key.keyId });
    expect(verify(null, Buffer.from(canonicalJson(signed.checkpoint)), createPublicKey(key.publicKey), Buffer.from(signed.signature.value, 'base64'))).toBe(true);
    expect(existsSync(join(t.dataDir, 'signing-key.pem'))).toBe(true);
    const withStreams = (await t.as('admin').get('/api/audit/checkpoint').query({ streams: 'all' })).body;
    expect(Object.keys(withStreams.checkpoint.streams)).toHaveLength(1);
    expectProblem(await t.as('coordinator').get('/api/audit/checkpoint'), 403);
    expectProblem(await t.as('coordinator').get('/api/audit/verify'), 403);
  });

  it('catches the newest events deleted, against a checkpoint signed before, though every chain still verifies', async () => {
    const product = await registerProduct(t);
    await submitChangeRequest(t, product.id);
    await submitChangeRequest(t, product.id);
    const checkpoint = (await t.as('auditor').get('/api/audit/checkpoint').query({ streams: 'all' })).body;
    expect((await t.as('auditor').post('/api/audit/verify', checkpoint)).body).toMatchObject({ ok: true, checkpoint: { ok: true, signature: { valid: true, trusted: true } } });
    await fileDocument(t, 'filed after the checkpoint');

    tamper(t, (db) => db.prepare('DELETE FROM events WHERE position IN (SELECT position FROM events ORDER BY position DESC LIMIT 2)').run());

    expect(await verifyLog()).toMatchObject({ ok: true, breaks: [] });
    const report = (await t.as('auditor').post('/api/audit/verify', checkpoint)).body;
    expect(report.ok).toBe(false);
    expect(report.firstBreak).toMatchObject({ kind: 'checkpoint', reason: 'truncated' });
    expect(report.firstBreak.detail).toMatch(/holds 2 events.*commits to 3/);
    expect(report.checkpoint).toMatchObject({ ok: false, logHeadAtCheckpoint: null });
  });

  it('catches history rewritten with every hash recomputed, against a checkpoint signed before', async () => {
    const product = await registerProduct(t, { name: 'Pump' });
    await submitChangeRequest(t, product.id);
    const checkpoint = (await t.as('auditor').get('/api/audit/checkpoint').query({ streams: 'all' })).body;
    const streamId = `product-${product.id}`;
    tamper(t, (db) => {
      const [row] = rowsOf(db, streamId);
      rewriteAndRechain(db, streamId, 0, { ...JSON.parse(row!.data), name: 'Forged pump' });
    });

    expect(await verifyLog()).toMatchObject({ ok: true });
    const report = (await t.as('auditor').post('/api/audit/verify', checkpoint)).body;
    expect(report.ok).toBe(false);
    expect(report.breaks.map((found: { reason: string; streamId?: string }) => [found.reason, found.streamId ?? null])).toEqual([
      ['rewritten', null],
      ['stream_rewritten', streamId],
    ]);
  });

  it('refuses a checkpoint altered after signing, or signed by another key', async () => {
    await registerProduct(t);
    const checkpoint = (await t.as('auditor').get('/api/audit/checkpoint')).body;
    const altered = { ...checkpoint, checkpoint: { ...checkpoint.checkpoint, log: { ...checkpoint.checkpoint.log, eventCount: 0 } } };
    expect((await t.as('auditor').post('/api/audit/verify', altered)).body.firstBreak).toMatchObject({ kind: 'checkpoint', reason: 'bad_signature' });

    const forger = generateKeyPairSync('ed25519');
    const forged = { checkpoint: checkpoint.checkpoint, signature: signPayload(checkpoint.checkpoint, forger.privateKey) };
    expect((await t.as('auditor').post('/api/audit/verify', forged)).body.firstBreak).toMatchObject({ kind: 'checkpoint', reason: 'untrusted_key' });
    expectProblem(await t.as('auditor').post('/api/audit/verify', { checkpoint: { format: 'x' }, signature: {} }), 400);
    for (const streams of [{ a: null }, { a: { revision: {}, hash: 'x' } }, { a: { revision: -1, hash: 'f'.repeat(64) } }]) {
      expectProblem(await t.as('auditor').post('/api/audit/verify', { ...checkpoint, checkpoint: { ...checkpoint.checkpoint, streams } }), 400);
    }
  });

  it('lists blobs no filed document names, reuses them on re-upload, and sweeps the rest', async () => {
    // What a crash between storing the bytes and recording their event leaves behind.
    const orphan = Buffer.from('uploaded, then the process died');
    const reused = Buffer.from('uploaded, died, then uploaded again');
    for (const bytes of [orphan, reused]) {
      mkdirSync(dirname(blobPath(t, sha256(bytes))), { recursive: true });
      writeFileSync(blobPath(t, sha256(bytes)), bytes);
    }
    expect((await verifyLog()).blobs.orphaned.map((blob: { hash: string }) => blob.hash).sort()).toEqual([sha256(orphan), sha256(reused)].sort());

    await fileDocument(t, reused);
    const report = await verifyLog();
    expect(report.ok).toBe(true);
    expect(report.blobs.orphaned.map((blob: { hash: string }) => blob.hash)).toEqual([sha256(orphan)]);

    expect((await t.as('admin').post('/api/audit/blobs/sweep')).body).toMatchObject({ removed: [], spared: [expect.objectContaining({ hash: sha256(orphan) })] });
    expectProblem(await t.as('auditor').post('/api/audit/blobs/sweep'), 403);
    const swept = await t.as('admin').post('/api/audit/blobs/sweep?olderThanSeconds=0');
    expect(swept.body.removed).toEqual([expect.objectContaining({ hash: sha256(orphan) })]);
    expect(existsSync(blobPath(t, sha256(orphan)))).toBe(false);
    expect(existsSync(blobPath(t, sha256(reused)))).toBe(true);
    expect((await verifyLog()).blobs.orphaned).toEqual([]);
  });
});

describe('the signing key from configuration', () => {
  it('signs with SIGNING_KEY_FILE when given', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const dir = mkdtempSync(join(tmpdir(), 'pc-key-'));
    const file = join(dir, 'key.pem');
    writeFileSync(file, privateKey.export({ type: 'pkcs8', format: 'pem' }));
    const t = await startTestApp({ SIGNING_KEY_FILE: file });
    try {
      expect((await t.as('auditor').get('/api/audit/public-key')).body.keyId).toBe(keyIdOf(publicKey));
      expect(existsSync(join(t.dataDir, 'signing-key.pem'))).toBe(false);
      expectWrite(await t.as('coordinator').post('/api/products', { sku: 'K-1', name: 'K', productManagerId: 'u-max', specification: {} }), 201);
    } finally {
      await t.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
