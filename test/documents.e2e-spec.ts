import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { approved, auditEntries, bringToDecision, expectProblem, expectWrite, headPosition, poll, readAll, registerProduct, submitChangeRequest, UNKNOWN_UUID } from './support/api';
import {
  blobPath,
  downloadContent,
  fileDocument,
  filePaperOriginal,
  filedRecordOf,
  readAfterHead,
  sha256,
  uploadDocument,
  uploadVersion,
} from './support/documents';
import { startTestApp, type TestApp } from './support/test-app';
import { TEST_USERS } from './support/test-users';

/**
 * Filing, versions, cross-references both ways, logged retrieval, search, legal holds, retention
 * and disposal, and the automatic filing of closed change requests, over HTTP.
 */
describe('documents over HTTP', () => {
  jest.setTimeout(30_000);
  let t: TestApp;
  const MAX_UPLOAD = 64 * 1024;

  beforeAll(async () => {
    t = await startTestApp({ MAX_UPLOAD_BYTES: String(MAX_UPLOAD), RETENTION_PERIODS: 'other=P0D,correspondence=P0D' });
  });
  afterAll(async () => t?.close());

  const getDocument = (id: string) => readAfterHead(t, 'auditor', `/api/documents/${id}`);

  describe('filing', () => {
    it('files an electronic document: its content is stored under its SHA-256 and the hash recorded', async () => {
      const bytes = Buffer.from('Minutes of the supplier meeting, 3 March');
      const filed = await fileDocument(t, bytes, { documentClass: 'correspondence', title: 'Supplier meeting minutes', tags: ['Supplier', 'minutes'], documentDate: '2026-03-03' });
      expect(filed.revision).toBe(0);

      const document = await getDocument(filed.id);
      expect(document.status).toBe(200);
      expect(document.headers.etag).toBe('"0"');
      expect(document.body).toMatchObject({
        id: filed.id,
        medium: 'electronic',
        documentClass: 'correspondence',
        title: 'Supplier meeting minutes',
        author: 'Cora Coordinator',
        documentDate: '2026-03-03',
        tags: ['supplier', 'minutes'],
        status: 'filed',
        filedBy: TEST_USERS.coordinator.id,
        latestVersion: 1,
        versions: [{ version: 1, contentHash: sha256(bytes), size: bytes.length, mediaType: 'text/plain', fileName: 'notes.txt', location: null }],
      });
      expect(existsSync(blobPath(t, sha256(bytes)))).toBe(true);
    });

    it('registers a paper original with its location; there is no content to download, and the refusal says where it is', async () => {
      const paper = await filePaperOriginal(t);
      expect((await getDocument(paper.id)).body).toMatchObject({ medium: 'paper', documentClass: 'contract', versions: [{ version: 1, contentHash: null, location: { site: 'Lyon', cabinet: 'C-7', box: '12' } }] });
      const refused = expectProblem(await downloadContent(t, 'auditor', paper.id), 409, 'DOCUMENT.PAPER_ORIGINAL');
      expect(refused.location).toEqual({ site: 'Lyon', cabinet: 'C-7', box: '12' });
    });

    it('refuses an upload larger than MAX_UPLOAD_BYTES with 413, and stores nothing', async () => {
      const big = Buffer.alloc(MAX_UPLOAD + 1, 7);
      expectProblem(await uploadDocument(t, big), 413);
      expect(existsSync(blobPath(t, sha256(big)))).toBe(false);
    });

    it('refuses a cross-reference to something that does not exist with 422, and keeps no blob of the refused upload', async () => {
      const bytes = Buffer.from('refers to nothing');
      const refused = expectProblem(
        await uploadDocument(t, bytes, { references: [{ targetType: 'product', targetId: UNKNOWN_UUID, relation: 'refers_to' }] }),
        422,
        'DOCUMENT.REFERENCE_TARGET_UNKNOWN',
      );
      expect(refused).toMatchObject({ targetType: 'product', targetId: UNKNOWN_UUID });
      expect(existsSync(blobPath(t, sha256(bytes)))).toBe(false);
    });

    it.each([
      ['an unknown class', { documentClass: 'memo' }, 'documentClass'],
      ['no title', { title: '' }, 'title'],
      ['a malformed date', { documentDate: '03/03/2026' }, 'documentDate'],
    ])('answers 400 for metadata with %s', async (_case, metadata, field) => {
      const problem = expectProblem(await uploadDocument(t, 'x', metadata), 400);
      expect((problem.errors as Array<{ field: string }>).map((error) => error.field)).toContain(field);
    });

    it('answers 400 for metadata that is not JSON, and for an electronic filing without its file', async () => {
      const notJson = await t.as('coordinator').request('post', '/api/documents').field('metadata', '{oops').attach('file', Buffer.from('x'), 'x.txt');
      const deep = await t.as('coordinator').request('post', '/api/documents').field('metadata', `${'['.repeat(20000)}${']'.repeat(20000)}`).attach('file', Buffer.from('x'), 'x.txt');
      expectProblem(deep, 400);
      expectProblem(notJson, 400);
      const noFile = await t.as('coordinator').request('post', '/api/documents').field('metadata', JSON.stringify({ documentClass: 'other', title: 'T', author: 'A' }));
      expectProblem(noFile, 400, 'DOCUMENT.CONTENT_REQUIRED');
    });

    it('keeps the change-request record class for the system (422) and filing for coordinators (403)', async () => {
      expectProblem(await uploadDocument(t, 'x', { documentClass: 'change_request_record' }), 422, 'DOCUMENT.CLASS_RESERVED');
      expectProblem(await uploadDocument(t, 'x', {}, { user: 'requester' }), 403);
      expectProblem(await uploadDocument(t, 'x', {}, { user: 'admin' }), 403);
    });

    it('answers 404 for an unknown document', async () => {
      expectProblem(await t.as('auditor').get(`/api/documents/${UNKNOWN_UUID}`), 404, 'DOCUMENT.NOT_FOUND');
      expectProblem(await t.as('auditor').get('/api/documents/not-a-uuid'), 404, 'DOCUMENT.NOT_FOUND');
      expectProblem(await uploadVersion(t, UNKNOWN_UUID, 'v2'), 404, 'DOCUMENT.NOT_FOUND');
      expectProblem(await downloadContent(t, 'auditor', UNKNOWN_UUID), 404, 'DOCUMENT.NOT_FOUND');
    });

    it('reuses stored bytes for a second document with the same content', async () => {
      const bytes = Buffer.from('the same bytes twice');
      const first = await fileDocument(t, bytes, { title: 'First copy' });
      const second = await fileDocument(t, bytes, { title: 'Second copy' });
      expect((await getDocument(first.id)).body.versions[0].contentHash).toBe((await getDocument(second.id)).body.versions[0].contentHash);
    });
  });

  describe('versions', () => {
    it('adds versions with their own hashes and keeps the earlier ones retrievable', async () => {
      const v1 = Buffer.from('specification, draft');
      const v2 = Buffer.from('specification, approved');
      const filed = await fileDocument(t, v1, { documentClass: 'specification', title: 'Pump specification' });
      const added = expectWrite(await uploadVersion(t, filed.id, v2, 'Approved by QA'), 200, { id: filed.id, revision: 1 });

      const document = (await getDocument(filed.id)).body;
      expect(document.latestVersion).toBe(2);
      expect(document.versions.map((version: { version: number; contentHash: string; note: string | null }) => [version.version, version.contentHash, version.note])).toEqual([
        [1, sha256(v1), null],
        [2, sha256(v2), 'Approved by QA'],
      ]);

      const latest = await downloadContent(t, 'requester', filed.id);
      expect(latest.status).toBe(200);
      expect(latest.body.equals(v2)).toBe(true);
      expect(latest.headers['x-document-version']).toBe('2');
      expect(latest.headers['x-content-sha256']).toBe(sha256(v2));
      expect(latest.headers['content-type']).toMatch(/^text\/plain/);
      const first = await downloadContent(t, 'requester', filed.id, 1);
      expect(first.body.equals(v1)).toBe(true);
      expect(added.position > filed.position).toBe(true);
    });

    it('refuses a version sent with a stale If-Match (412) without storing its bytes; the current one adds it', async () => {
      const filed = await fileDocument(t, 'first draft');
      expectWrite(await uploadVersion(t, filed.id, 'second draft'), 200, { revision: 1 });
      const stale = Buffer.from('written against the first draft');

      expectProblem(await uploadVersion(t, filed.id, stale).set('If-Match', '"0"'), 412);
      expect(existsSync(blobPath(t, sha256(stale)))).toBe(false);

      expectWrite(await uploadVersion(t, filed.id, stale).set('If-Match', '"1"'), 200, { revision: 2 });
      expect(existsSync(blobPath(t, sha256(stale)))).toBe(true);
    });

    it('refuses an upload identical to the latest version (409), a version that does not exist (404), and an upload to a paper original (400)', async () => {
      const filed = await fileDocument(t, 'unchanged');
      expectProblem(await uploadVersion(t, filed.id, 'unchanged'), 409, 'DOCUMENT.CONTENT_UNCHANGED');
      expectProblem(await downloadContent(t, 'auditor', filed.id, 9), 404, 'DOCUMENT.VERSION_NOT_FOUND');
      const paper = await filePaperOriginal(t);
      expectProblem(await uploadVersion(t, paper.id, 'scan'), 400, 'DOCUMENT.MEDIUM_MISMATCH');
      expectWrite(await t.as('coordinator').post(`/api/documents/${paper.id}/versions`, { location: { site: 'Lyon', cabinet: 'C-8', box: '1' }, note: 'Amended original' }), 200, { revision: 1 });
    });
  });

  describe('cross-references', () => {
    it('navigates document ↔ product, document ↔ change request and document ↔ document in both directions', async () => {
      const product = await registerProduct(t);
      const changeRequest = await submitChangeRequest(t, product.id);
      const report = await fileDocument(t, 'test report', {
        documentClass: 'test_report',
        title: 'Drop test report',
        references: [
          { targetType: 'product', targetId: product.id, relation: 'refers_to' },
          { targetType: 'change_request', targetId: changeRequest.id, relation: 'supports' },
        ],
      });
      const newer = await fileDocument(t, 'test report, rerun', { documentClass: 'test_report', title: 'Drop test report, rerun' });
      expectWrite(await t.as('coordinator').post(`/api/documents/${newer.id}/references`, { targetType: 'document', targetId: report.id, relation: 'supersedes' }), 200, { revision: 1 });
      // The same reference again records nothing.
      expectWrite(await t.as('coordinator').post(`/api/documents/${newer.id}/references`, { targetType: 'document', targetId: report.id, relation: 'supersedes' }), 200, { revision: 1 });

      const productDocuments = await readAfterHead(t, 'requester', `/api/products/${product.id}/documents`);
      expect(productDocuments.body.items).toEqual([
        expect.objectContaining({ documentId: report.id, targetType: 'product', relation: 'refers_to', document: expect.objectContaining({ title: 'Drop test report', documentClass: 'test_report' }) }),
      ]);
      const requestDocuments = await readAfterHead(t, 'requester', `/api/change-requests/${changeRequest.id}/documents`);
      expect(requestDocuments.body.items.map((item: { documentId: string; relation: string }) => [item.documentId, item.relation])).toEqual([[report.id, 'supports']]);

      const outgoing = await readAfterHead(t, 'requester', `/api/documents/${report.id}/references`);
      expect(outgoing.body.items.map((item: { targetType: string; targetId: string; target: { title: string } }) => [item.targetType, item.targetId, item.target.title])).toEqual([
        ['product', product.id, 'Pump'],
        ['change_request', changeRequest.id, 'Lighter pump'],
      ]);
      const incoming = await readAfterHead(t, 'requester', `/api/documents/${report.id}/referenced-by`);
      expect(incoming.body.items).toEqual([expect.objectContaining({ documentId: newer.id, relation: 'supersedes', document: expect.objectContaining({ title: 'Drop test report, rerun' }) })]);
      const newerOutgoing = await readAfterHead(t, 'requester', `/api/documents/${newer.id}/references`);
      expect(newerOutgoing.body.items).toEqual([expect.objectContaining({ targetType: 'document', targetId: report.id, relation: 'supersedes' })]);

      expect((await getDocument(report.id)).body).toMatchObject({ productIds: [product.id], changeRequestIds: [changeRequest.id] });
    });

    it('refuses a reference to an unknown target (422), to itself (400), and a product list of an unknown product (404)', async () => {
      const filed = await fileDocument(t, 'lonely');
      expectProblem(await t.as('coordinator').post(`/api/documents/${filed.id}/references`, { targetType: 'document', targetId: UNKNOWN_UUID, relation: 'refers_to' }), 422, 'DOCUMENT.REFERENCE_TARGET_UNKNOWN');
      expectProblem(await t.as('coordinator').post(`/api/documents/${filed.id}/references`, { targetType: 'change_request', targetId: 'nope', relation: 'supports' }), 422, 'DOCUMENT.REFERENCE_TARGET_UNKNOWN');
      expectProblem(await t.as('coordinator').post(`/api/documents/${filed.id}/references`, { targetType: 'document', targetId: filed.id, relation: 'supersedes' }), 400, 'DOCUMENT.SELF_REFERENCE');
      expectProblem(await t.as('coordinator').post(`/api/documents/${filed.id}/references`, { targetType: 'invoice', targetId: filed.id, relation: 'supersedes' }), 400);
      expectProblem(await t.as('coordinator').post(`/api/documents/${UNKNOWN_UUID}/references`, { targetType: 'document', targetId: filed.id, relation: 'supersedes' }), 404, 'DOCUMENT.NOT_FOUND');
      expectProblem(await t.as('requester').get(`/api/products/${UNKNOWN_UUID}/documents`), 404, 'PRODUCT.NOT_FOUND');
    });
  });

  describe('retrieval', () => {
    it('records every retrieval of content as an event: who, when, which version', async () => {
      const bytes = Buffer.from('controlled record');
      const filed = await fileDocument(t, bytes, { title: 'Controlled record' });
      const byAuditor = await downloadContent(t, 'auditor', filed.id);
      expect(byAuditor.status).toBe(200);
      expect(byAuditor.headers['x-retrieval-position']).toMatch(/^\d+$/);
      expect((await downloadContent(t, 'requester', filed.id, 1)).status).toBe(200);

      const retrievals = (await auditEntries(t, { entityId: filed.id, type: 'DocumentContentRetrieved' })).map(({ actor, data, position }) => ({ actorId: actor.id, data, position }));
      expect(retrievals).toEqual([
        { actorId: TEST_USERS.auditor.id, position: byAuditor.headers['x-retrieval-position'], data: expect.objectContaining({ version: 1, contentHash: sha256(bytes), purpose: 'download', retrievedBy: TEST_USERS.auditor.id }) },
        { actorId: TEST_USERS.requester.id, position: expect.any(String), data: expect.objectContaining({ version: 1, retrievedBy: TEST_USERS.requester.id }) },
      ]);
      expect((await getDocument(filed.id)).body).toMatchObject({ retrievalCount: 2, lastRetrievedAt: expect.any(String) });
    });

    it('refuses anonymous retrieval (401) and logs nothing for it', async () => {
      const filed = await fileDocument(t, 'secret');
      expect((await t.anonymous().get(`/api/documents/${filed.id}/content`)).status).toBe(401);
      expect(await auditEntries(t, { entityId: filed.id, type: 'DocumentContentRetrieved' })).toEqual([]);
    });
  });

  describe('search', () => {
    let product: string;
    let changeRequest: string;
    const ids: Record<string, string> = {};

    beforeAll(async () => {
      product = (await registerProduct(t)).id;
      changeRequest = (await submitChangeRequest(t, product)).id;
      const onProduct = [{ targetType: 'product', targetId: product, relation: 'refers_to' }];
      ids.contract = (await fileDocument(t, 'c', { documentClass: 'contract', title: 'Gearbox supply contract', tags: ['supplier', 'gearbox'], documentDate: '2025-06-01', references: onProduct })).id;
      ids.report = (await fileDocument(t, 'r', { documentClass: 'test_report', title: 'Gearbox endurance test', tags: ['gearbox', 'lab'], documentDate: '2025-09-15', references: onProduct })).id;
      ids.letter = (
        await fileDocument(t, 'l', {
          documentClass: 'correspondence',
          title: 'Letter about the Gearbox noise',
          tags: ['supplier'],
          documentDate: '2026-01-10',
          references: [...onProduct, { targetType: 'change_request', targetId: changeRequest, relation: 'supports' }],
        })
      ).id;
    });

    const search = async (query: Record<string, string | number | string[]>) =>
      ((await readAfterHead(t, 'requester', '/api/documents', query)).body.items as Array<{ id: string }>).map((item) => item.id);

    it('finds by product, newest document date first', async () => {
      expect(await search({ productId: product })).toEqual([ids.letter, ids.report, ids.contract]);
    });

    it('finds by change request, class, tags (all of them) and title words (all of them, any case or accent)', async () => {
      expect(await search({ changeRequestId: changeRequest })).toEqual([ids.letter]);
      expect(await search({ productId: product, documentClass: 'contract' })).toEqual([ids.contract]);
      expect(await search({ productId: product, tag: ['supplier'] })).toEqual([ids.letter, ids.contract]);
      expect(await search({ productId: product, tag: 'supplier,gearbox' })).toEqual([ids.contract]);
      expect(await search({ q: 'GEARBOX' , productId: product})).toEqual([ids.letter, ids.report, ids.contract]);
      expect(await search({ q: 'gearbox endurance' })).toEqual([ids.report]);
      expect(await search({ q: 'gearbox unicorn' })).toEqual([]);
    });

    it('finds by a range of document dates', async () => {
      expect(await search({ productId: product, from: '2025-07-01', to: '2025-12-31' })).toEqual([ids.report]);
      expect(await search({ productId: product, from: '2025-09-15' })).toEqual([ids.letter, ids.report]);
    });

    it('pages with a cursor', async () => {
      const seen = await readAll<{ id: string }>(t, 'requester', '/api/documents', { productId: product, limit: 1 });
      expect(seen.map((item) => item.id)).toEqual([ids.letter, ids.report, ids.contract]);
      const first = await t.as('requester').get('/api/documents').query({ productId: product, limit: 2 });
      expect(first.body.items).toHaveLength(2);
      expect(first.body.nextCursor).toEqual(expect.any(String));
      expectProblem(await t.as('requester').get('/api/documents').query({ cursor: 'garbage' }), 400);
      expectProblem(await t.as('requester').get('/api/documents').query({ from: 'yesterday' }), 400);
    });
  });

  describe('legal holds, retention and disposal', () => {
    it('refuses disposal under any hold, naming every case, for admins too; disposes once released; keeps the record and removes the content', async () => {
      const bytes = Buffer.from(`disposable ${Date.now()}`);
      const filed = await fileDocument(t, bytes, { documentClass: 'other', title: 'Disposable notes' });
      expectProblem(await t.as('coordinator').post(`/api/documents/${filed.id}/legal-holds`, { caseId: 'CASE-1', reason: 'Dispute' }), 403);
      expectWrite(await t.as('admin').post(`/api/documents/${filed.id}/legal-holds`, { caseId: 'CASE-1', reason: 'Supplier dispute' }), 200);
      expectWrite(await t.as('admin').post(`/api/documents/${filed.id}/legal-holds`, { caseId: 'CASE-2', reason: 'Warranty claim' }), 200);
      expectProblem(await t.as('admin').post(`/api/documents/${filed.id}/legal-holds`, { caseId: 'CASE-1', reason: 'Again' }), 409, 'DOCUMENT.LEGAL_HOLD_ALREADY_PLACED');

      const held = expectProblem(await t.as('admin').post(`/api/documents/${filed.id}/disposal`, { reason: 'Clean-up' }), 409, 'DOCUMENT.UNDER_LEGAL_HOLD');
      expect(held.holds).toEqual(['CASE-1', 'CASE-2']);
      expect(held.detail).toMatch(/CASE-1, CASE-2/);
      expectProblem(await t.as('coordinator').post(`/api/documents/${filed.id}/disposal`, { reason: 'Clean-up' }), 403);

      expectWrite(await t.as('admin').post(`/api/documents/${filed.id}/legal-hold-releases`, { caseId: 'CASE-1', reason: 'Settled' }), 200);
      expectProblem(await t.as('admin').post(`/api/documents/${filed.id}/legal-hold-releases`, { caseId: 'CASE-1', reason: 'Settled again' }), 404, 'DOCUMENT.LEGAL_HOLD_NOT_FOUND');
      expect(expectProblem(await t.as('admin').post(`/api/documents/${filed.id}/disposal`, { reason: 'Clean-up' }), 409, 'DOCUMENT.UNDER_LEGAL_HOLD').holds).toEqual(['CASE-2']);
      expectWrite(await t.as('admin').post(`/api/documents/${filed.id}/legal-hold-releases`, { caseId: 'CASE-2', reason: 'Claim withdrawn' }), 200);

      expectWrite(await t.as('admin').post(`/api/documents/${filed.id}/disposal`, { reason: 'Retention over, no hold' }), 200);
      expect(existsSync(blobPath(t, sha256(bytes)))).toBe(false);
      expectProblem(await downloadContent(t, 'auditor', filed.id), 409, 'DOCUMENT.DISPOSED');
      expectProblem(await t.as('admin').post(`/api/documents/${filed.id}/disposal`, { reason: 'Twice' }), 409, 'DOCUMENT.DISPOSED');

      const record = (await getDocument(filed.id)).body;
      expect(record).toMatchObject({
        status: 'disposed',
        disposal: { reason: 'Retention over, no hold', disposedBy: TEST_USERS.admin.id },
        versions: [{ version: 1, contentHash: sha256(bytes) }],
        holds: [],
        releasedHolds: [expect.objectContaining({ caseId: 'CASE-1', releaseReason: 'Settled' }), expect.objectContaining({ caseId: 'CASE-2', releaseReason: 'Claim withdrawn' })],
      });
      const disposal = (await auditEntries(t, { entityId: filed.id, type: 'DocumentDisposed' }))[0]!;
      expect(disposal).toMatchObject({ actor: { id: TEST_USERS.admin.id }, data: { reason: 'Retention over, no hold', contentRemoved: [{ version: 1, contentHash: sha256(bytes) }] } });
    });

    it('refuses disposal within the retention period of the class, naming the date', async () => {
      const contract = await fileDocument(t, 'a ten-year contract', { documentClass: 'contract', title: 'Frame contract' });
      const { retainUntil } = (await getDocument(contract.id)).body;
      expect(Date.parse(retainUntil) - Date.now()).toBeGreaterThan(9 * 365 * 24 * 3600 * 1000);
      const refused = expectProblem(await t.as('admin').post(`/api/documents/${contract.id}/disposal`, { reason: 'Too early' }), 409, 'DOCUMENT.UNDER_RETENTION');
      expect(refused.retainUntil).toBe(retainUntil);
      expect(refused.detail).toContain(retainUntil);
    });

    it('keeps content that another filed document shares when one of them is disposed of', async () => {
      const bytes = Buffer.from(`shared ${Date.now()}`);
      const one = await fileDocument(t, bytes, { title: 'One' });
      await fileDocument(t, bytes, { title: 'Other' });
      expectWrite(await t.as('admin').post(`/api/documents/${one.id}/disposal`, { reason: 'Duplicate' }), 200);
      expect(existsSync(blobPath(t, sha256(bytes)))).toBe(true);
    });

    it('answers 404 for holds on unknown documents and 400 without a case', async () => {
      expectProblem(await t.as('admin').post(`/api/documents/${UNKNOWN_UUID}/legal-holds`, { caseId: 'C', reason: 'r' }), 404, 'DOCUMENT.NOT_FOUND');
      const filed = await fileDocument(t, 'x');
      expectProblem(await t.as('admin').post(`/api/documents/${filed.id}/legal-holds`, { reason: 'r' }), 400);
    });
  });

  describe('automatic filing of closed change requests', () => {
    it('files the history of a rejected request as a change_request_record, cross-referenced to the request and the product', async () => {
      const product = await registerProduct(t);
      const second = await submitChangeRequest(t, product.id, [{ field: 'colour', proposedValue: 'blue' }]);
      await bringToDecision(t, second.id);
      expectWrite(await t.as('manager').post(`/api/change-requests/${second.id}/decision`, { outcome: 'rejected', reason: 'Not now' }), 200);

      const listed = await filedRecordOf(t, second.id);
      expect(listed).toMatchObject({ targetType: 'change_request', relation: 'refers_to', document: { documentClass: 'change_request_record', title: 'Change request record: Lighter pump' } });
      const record = (await getDocument(listed.documentId)).body;
      expect(record).toMatchObject({ filedBy: 'process:change-request-filing', tags: ['change-request-record', 'rejected'], productIds: [product.id], changeRequestIds: [second.id], recordOf: { changeRequestId: second.id, closedAs: 'rejected', eventCount: 4 } });

      const content = await downloadContent(t, 'auditor', listed.documentId);
      const filed = JSON.parse(content.body.toString('utf8'));
      expect(filed).toMatchObject({ format: 'product-coordinator/change-request-record@1', changeRequestId: second.id, productId: product.id, closedAs: 'rejected' });
      expect(filed.events.map((event: { type: string }) => event.type)).toEqual(['ChangeRequestSubmitted', 'ChangeRequestAssessed', 'ChangeRequestPresented', 'ChangeRequestRejected']);
      const history = await auditEntries(t, { entityId: second.id });
      expect(filed.events.map((event: { hash: string }) => event.hash)).toEqual(history.map((entry) => (entry as unknown as { hash: string }).hash));

      const productDocuments = await readAfterHead(t, 'auditor', `/api/products/${product.id}/documents`);
      expect(productDocuments.body.items.map((item: { documentId: string }) => item.documentId)).toContain(listed.documentId);

      // Coordinators cannot add versions to a filed record.
      expectProblem(await uploadVersion(t, listed.documentId, 'forged'), 422, 'DOCUMENT.RECORD_IMMUTABLE');
    });

    it('files records of implemented and withdrawn requests too', async () => {
      const product = await registerProduct(t);
      const implemented = await submitChangeRequest(t, product.id);
      await approved(t, implemented.id);
      expectWrite(await t.as('coordinator').post(`/api/change-requests/${implemented.id}/implementation`), 200);
      const withdrawn = await submitChangeRequest(t, product.id, [{ field: 'colour', proposedValue: 'green' }]);
      expectWrite(await t.as('requester').post(`/api/change-requests/${withdrawn.id}/withdrawal`, { reason: 'Changed my mind' }), 200);

      expect((await filedRecordOf(t, implemented.id)).document.title).toBe('Change request record: Lighter pump');
      const withdrawnRecord = await filedRecordOf(t, withdrawn.id);
      expect((await getDocument(withdrawnRecord.documentId)).body.tags).toEqual(['change-request-record', 'withdrawn']);
    });
  });

  describe('replay', () => {
    it('files nothing new when every process is replayed from the start of the log', async () => {
      const product = await registerProduct(t);
      const rejected = await submitChangeRequest(t, product.id);
      await bringToDecision(t, rejected.id);
      expectWrite(await t.as('manager').post(`/api/change-requests/${rejected.id}/decision`, { outcome: 'rejected', reason: 'No' }), 200);
      const record = await filedRecordOf(t, rejected.id);
      const before = await headPosition(t);

      // Forget how far the processes got: on restart they see every event again.
      const readModels = new Database(join(t.dataDir, 'read-models.sqlite'));
      readModels.prepare("DELETE FROM checkpoints WHERE name = 'processes'").run();
      readModels.close();
      t = await t.restart();
      await poll(async () => {
        const db = new Database(join(t.dataDir, 'read-models.sqlite'), { readonly: true });
        try {
          const position = db.prepare("SELECT position FROM checkpoints WHERE name = 'processes'").pluck().get() as string | undefined;
          return position !== undefined && before !== null && position >= before ? true : undefined;
        } finally {
          db.close();
        }
      }, 'the processes to replay the whole log');

      expect(await headPosition(t)).toBe(before);
      expect((await readAfterHead(t, 'auditor', `/api/documents/${record.documentId}`)).body.revision).toBe(2);
    });
  });
});
