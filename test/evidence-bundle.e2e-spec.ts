import { spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleManifestHash } from '@pc/event-store';
import { approved, auditEntries, bringToDecision, expectProblem, expectWrite, registerProduct, submitChangeRequest, UNKNOWN_UUID } from './support/api';
import { fileDocument, filedRecordOf, filePaperOriginal, sha256 } from './support/documents';
import { REPOSITORY_ROOT } from './support/server-process';
import { startTestApp, type TestApp } from './support/test-app';
import { TEST_USERS } from './support/test-users';

/**
 * The evidence bundle: exported over HTTP, then checked by the offline verifier — the compiled
 * CLI in a child process, with no server and no database — as an outside party would, and
 * edited by hand to show that any edit fails it.
 */

const VERIFIER = join(REPOSITORY_ROOT, 'dist/apps/verify-bundle/src/verify-bundle.js');

function ensureCompiledVerifier(): void {
  if (existsSync(VERIFIER)) return;
  spawnSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', 'build'], { cwd: REPOSITORY_ROOT, stdio: 'pipe', timeout: 240_000 });
  if (!existsSync(VERIFIER)) throw new Error(`npm run build did not produce ${VERIFIER}`);
}

describe('evidence bundles', () => {
  jest.setTimeout(60_000);
  let t: TestApp;
  let dir: string;
  let productId: string;
  let rejectedId: string;
  let implementedId: string;
  const ids: Record<string, string> = {};
  const bytes = { contract: Buffer.from('Supply contract, signed'), report: Buffer.from('Endurance test: passed'), rerun: Buffer.from('Endurance test rerun: passed') };

  const verifyFile = (bundle: unknown, ...args: string[]) => {
    const file = join(dir, `bundle-${Math.random().toString(36).slice(2)}.json`);
    writeFileSync(file, typeof bundle === 'string' ? bundle : JSON.stringify(bundle));
    // The verifier runs on its own: no server, no database, only the file.
    const run = spawnSync(process.execPath, [VERIFIER, file, ...args], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '' }, timeout: 30_000 });
    return { status: run.status, output: `${run.stdout}${run.stderr}` };
  };
  const exportBundle = async (query: Record<string, string>) => {
    const response = await t.as('auditor').get('/api/disputes/bundle').query(query);
    expect(response.status).toBe(200);
    return response;
  };
  const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value));

  beforeAll(async () => {
    ensureCompiledVerifier();
    dir = mkdtempSync(join(tmpdir(), 'pc-bundles-'));
    t = await startTestApp({ RETENTION_PERIODS: 'other=P0D' });
    productId = (await registerProduct(t)).id;
    implementedId = (await submitChangeRequest(t, productId)).id;
    await approved(t, implementedId);
    expectWrite(await t.as('coordinator').post(`/api/change-requests/${implementedId}/implementation`), 200);
    rejectedId = (await submitChangeRequest(t, productId, [{ field: 'colour', proposedValue: 'blue' }])).id;
    await bringToDecision(t, rejectedId);
    expectWrite(await t.as('manager').post(`/api/change-requests/${rejectedId}/decision`, { outcome: 'rejected', reason: 'Not now' }), 200);
    ids.contract = (await fileDocument(t, bytes.contract, { documentClass: 'contract', title: 'Supply contract', references: [{ targetType: 'product', targetId: productId, relation: 'refers_to' }] })).id;
    ids.report = (await fileDocument(t, bytes.report, { documentClass: 'test_report', title: 'Endurance test', references: [{ targetType: 'change_request', targetId: implementedId, relation: 'supports' }] })).id;
    ids.rerun = (await fileDocument(t, bytes.rerun, { documentClass: 'test_report', title: 'Endurance test rerun', references: [{ targetType: 'document', targetId: ids.report, relation: 'supersedes' }] })).id;
    ids.paper = (await filePaperOriginal(t, { references: [{ targetType: 'product', targetId: productId, relation: 'refers_to' }] })).id;
    ids.disposed = (await fileDocument(t, 'scratch notes', { documentClass: 'other', title: 'Scratch notes', references: [{ targetType: 'product', targetId: productId, relation: 'refers_to' }] })).id;
    expectWrite(await t.as('admin').post(`/api/documents/${ids.disposed}/disposal`, { reason: 'No value' }), 200);
    ids.implementedRecord = (await filedRecordOf(t, implementedId)).documentId;
    ids.rejectedRecord = (await filedRecordOf(t, rejectedId)).documentId;
  });
  afterAll(async () => {
    await t?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('exports the product, its change requests and every document around them, with chains, manifests, views and the signed head', async () => {
    const response = await exportBundle({ productId, includeContents: 'true' });
    expect(response.headers['content-disposition']).toMatch(/^attachment; filename="evidence-product-/);
    const bundle = response.body;
    expect(bundle).toMatchObject({ format: 'product-coordinator/evidence-bundle@1', exportedBy: { id: TEST_USERS.auditor.id }, scope: { productId, includeContents: true } });
    expect(bundle.entities.products).toEqual([productId]);
    expect([...bundle.entities.changeRequests].sort()).toEqual([implementedId, rejectedId].sort());
    expect([...bundle.entities.documents].sort()).toEqual(Object.values(ids).sort());
    expect(bundle.streams.map((stream: { streamId: string }) => stream.streamId).sort()).toEqual(Object.keys(bundle.head.checkpoint.streams).sort());
    expect(bundle.manifest.hash).toBe(bundleManifestHash(bundle));

    const manifest = (id: string) => bundle.documents.find((document: { documentId: string }) => document.documentId === id);
    expect(manifest(ids.contract).versions).toEqual([expect.objectContaining({ version: 1, contentHash: sha256(bytes.contract), contentIncluded: true, content: bytes.contract.toString('base64') })]);
    expect(manifest(ids.paper).versions).toEqual([expect.objectContaining({ contentHash: null, contentIncluded: false, location: { site: 'Lyon', cabinet: 'C-7', box: '12' } })]);
    expect(manifest(ids.disposed)).toMatchObject({ status: 'disposed', versions: [expect.objectContaining({ contentIncluded: false })] });
    expect(bundle.views.products).toEqual([expect.objectContaining({ id: productId, specificationVersion: 2 })]);
    expect(bundle.views.documents.find((view: { id: string }) => view.id === ids.rejectedRecord)).toMatchObject({ documentClass: 'change_request_record' });

    // Putting content into a bundle is a retrieval like any other.
    const retrievals = await auditEntries(t, { entityId: ids.contract, type: 'DocumentContentRetrieved' });
    expect(retrievals).toEqual([expect.objectContaining({ actor: expect.objectContaining({ id: TEST_USERS.auditor.id }), data: expect.objectContaining({ purpose: 'evidence_bundle', version: 1 }) })]);
  });

  it('verifies offline and says what it proves: which entities, which time span, which chains', async () => {
    const bundle = (await exportBundle({ productId, includeContents: 'true' })).body;
    const { status, output } = verifyFile(bundle);
    expect(output).toContain('RESULT: VERIFIED');
    expect(status).toBe(0);
    expect(output).toContain(`product ${productId} "Pump"`);
    expect(output).toContain(`change request ${rejectedId} "Lighter pump" (rejected)`);
    expect(output).toContain(`document ${ids.contract} "Supply contract" (contract, filed, 1 version)`);
    expect(output).toMatch(/Time span: \d{4}-\d{2}-\d{2}T.* to \d{4}-\d{2}-\d{2}T/);
    expect(output).toMatch(new RegExp(`Hash chains: ${bundle.streams.length} streams, \\d+ events`));
    expect(output).toContain(`verified product-${productId} revisions 0–1`);
    expect(output).toMatch(/Contents: 5 of 6 electronic versions included/);
  });

  it('checks the signatures against the public key an auditor was given', async () => {
    const bundle = (await exportBundle({ productId })).body;
    const publicKey = (await t.as('auditor').get('/api/audit/public-key')).body.publicKey;
    writeFileSync(join(dir, 'trusted.pem'), publicKey);
    const trusted = verifyFile(bundle, '--public-key', join(dir, 'trusted.pem'));
    expect(trusted.status).toBe(0);
    expect(trusted.output).toContain('the trusted key given');

    writeFileSync(join(dir, 'other.pem'), generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }));
    const other = verifyFile(bundle, '--public-key', join(dir, 'other.pem'));
    expect(other.status).toBe(1);
    expect(other.output).toMatch(/not by the trusted key/);
  });

  describe('edited by hand, fails', () => {
    let bundle: any;
    beforeAll(async () => {
      bundle = (await exportBundle({ productId, includeContents: 'true' })).body;
    });

    it('a view changed', () => {
      const edited = clone(bundle);
      edited.views.products[0].name = 'Better pump';
      const { status, output } = verifyFile(edited);
      expect(status).toBe(1);
      expect(output).toMatch(/\[manifest\].*edited after export/);
      expect(output).toMatch(/\[views\] The products view of .* does not follow from its events/);
    });

    it('an event changed, even with the manifest hash recomputed', () => {
      const edited = clone(bundle);
      const stream = edited.streams.find((candidate: { streamId: string }) => candidate.streamId === `change-request-${rejectedId}`);
      stream.events[3].data.reason = 'Approved after all';
      edited.manifest.hash = bundleManifestHash(edited);
      const { status, output } = verifyFile(edited);
      expect(status).toBe(1);
      expect(output).toMatch(/\[signature\] Manifest signature: .*altered after signing/);
      expect(output).toMatch(new RegExp(`\\[chain\\] change-request-${rejectedId}@3 \\(ChangeRequestRejected\\) was altered`));
      expect(output).toContain(`BROKEN   change-request-${rejectedId}`);
    });

    it('the newest event of a stream removed', () => {
      const edited = clone(bundle);
      const stream = edited.streams.find((candidate: { streamId: string }) => candidate.streamId === `product-${productId}`);
      stream.events.pop();
      const { status, output } = verifyFile(edited);
      expect(status).toBe(1);
      expect(output).toMatch(new RegExp(`\\[head_mismatch\\] product-${productId} ends at revision 0 .* signed head says revision 1`));
    });

    it('one byte of an included content changed', () => {
      const edited = clone(bundle);
      const version = edited.documents.find((document: { documentId: string }) => document.documentId === ids.contract).versions[0];
      const content = Buffer.from(version.content, 'base64');
      content[0] = content[0]! ^ 0x20;
      version.content = content.toString('base64');
      const { status, output } = verifyFile(edited);
      expect(status).toBe(1);
      expect(output).toMatch(new RegExp(`\\[content\\] The content of ${ids.contract} v1 hashes to`));
    });

    it('a document left out', () => {
      const edited = clone(bundle);
      edited.streams = edited.streams.filter((stream: { streamId: string }) => stream.streamId !== `document-${ids.paper}`);
      const { status, output } = verifyFile(edited);
      expect(status).toBe(1);
      expect(output).toMatch(new RegExp(`document-${ids.paper} is in the signed head but missing from the bundle`));
    });

    it('not JSON at all', () => {
      expect(verifyFile('{"format": "product-coordinator/evidence-bundle@1", "streams": [').status).toBe(2);
      expect(verifyFile({ hello: 'world' }).status).toBe(1);
    });
  });

  it('exports a change request with its product and its documents', async () => {
    const bundle = (await exportBundle({ changeRequestId: implementedId })).body;
    expect(bundle.entities).toEqual({ products: [productId], changeRequests: [implementedId], documents: [ids.implementedRecord, ids.report, ids.rerun].sort() });
    expect(bundle.documents.every((document: { versions: Array<{ contentIncluded: boolean }> }) => document.versions.every((version) => !version.contentIncluded))).toBe(true);
    expect(verifyFile(bundle).status).toBe(0);
  });

  it('refuses an export without exactly one subject (400), of an unknown one (404), and to coordinators (403)', async () => {
    expectProblem(await t.as('auditor').get('/api/disputes/bundle'), 400);
    expectProblem(await t.as('auditor').get('/api/disputes/bundle').query({ productId, changeRequestId: implementedId }), 400);
    expectProblem(await t.as('auditor').get('/api/disputes/bundle').query({ productId: UNKNOWN_UUID }), 404, 'PRODUCT.NOT_FOUND');
    expectProblem(await t.as('admin').get('/api/disputes/bundle').query({ changeRequestId: UNKNOWN_UUID }), 404, 'CHANGE_REQUEST.NOT_FOUND');
    expectProblem(await t.as('coordinator').get('/api/disputes/bundle').query({ productId }), 403);
  });
});
