import type { Response } from 'supertest';
import {
  approved,
  assessmentBody,
  auditEntries,
  bringToDecision,
  changeRequestBody,
  expectProblem,
  expectWrite,
  fieldsOf,
  headPosition,
  notificationsOnceNotified,
  poll,
  productBody,
  readAll,
  registerProduct,
  submitChangeRequest,
  UNKNOWN_UUID,
  uniqueSku,
} from './support/api';
import { startTestApp, type TestApp } from './support/test-app';
import { TEST_USERS, type TestUser } from './support/test-users';

/**
 * The HTTP contract of shared/API.md that is not the workflow itself: authentication, errors,
 * validation, headers (ETag, If-Match, Idempotency-Key, X-Min-Position), reads, and concurrency.
 */

const auth = (user: TestUser) => `Bearer ${TEST_USERS[user].apiKey}`;

/** Waits until the clock has moved past an ISO moment, so the next event is recorded strictly later. */
async function pastMoment(iso: string): Promise<void> {
  await poll(async () => (Date.now() > Date.parse(iso) ? true : undefined), `the clock to pass ${iso}`, 1000);
}

describe('HTTP contract', () => {
  jest.setTimeout(30_000);
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t?.close());

  describe('authentication and roles', () => {
    const routes: Array<[method: 'get' | 'post', path: string]> = [
      ['get', '/api/products'],
      ['get', `/api/products/${UNKNOWN_UUID}`],
      ['get', '/api/change-requests'],
      ['get', '/api/me/notifications'],
      ['get', '/api/audit'],
      ['post', '/api/products'],
      ['post', '/api/change-requests'],
      ['post', `/api/change-requests/${UNKNOWN_UUID}/decision`],
      ['post', `/api/change-requests/${UNKNOWN_UUID}/withdrawal`],
    ];

    it.each(routes)('%s %s answers 401 without a key, with an unknown key, or with a malformed header', async (method, path) => {
      for (const header of [undefined, 'Bearer not-a-known-key-000000', `Basic ${TEST_USERS.admin.apiKey}`, 'Bearer', `Bearer ${TEST_USERS.admin.apiKey}x`, `${TEST_USERS.admin.apiKey}`]) {
        const call = t.anonymous()[method](path);
        if (header !== undefined) call.set('Authorization', header);
        expectProblem(await (method === 'post' ? call.send({}) : call), 401);
      }
    });

    it('answers 403 to a known key whose roles are not allowed', async () => {
      const product = await registerProduct(t);
      const request = await submitChangeRequest(t, product.id);
      const forbidden: Array<[TestUser, 'get' | 'post', string, object?]> = [
        ['requester', 'post', '/api/products', productBody()],
        ['manager', 'post', '/api/products', productBody()],
        ['auditor', 'post', '/api/products', productBody()],
        ['requester', 'post', `/api/products/${product.id}/stage`, { stage: 'development', reason: 'r' }],
        ['auditor', 'post', '/api/change-requests', changeRequestBody(product.id)],
        ['manager', 'post', '/api/change-requests', changeRequestBody(product.id)],
        ['requester', 'post', `/api/change-requests/${request.id}/assessment`, assessmentBody()],
        ['admin', 'post', `/api/change-requests/${request.id}/assessment`, assessmentBody()],
        ['requester', 'post', `/api/change-requests/${request.id}/presentation`, {}],
        ['coordinator', 'post', `/api/change-requests/${request.id}/decision`, { outcome: 'approved', reason: 'r' }],
        ['requester', 'post', `/api/change-requests/${request.id}/implementation`, {}],
        ['requester', 'get', '/api/audit'],
        ['manager', 'get', '/api/audit'],
        ['requestingManager', 'get', '/api/audit'],
      ];
      for (const [user, method, path, body] of forbidden) {
        const call = t.as(user).request(method, path);
        const problem = expectProblem(await (body ? call.send(body) : call), 403);
        expect(problem.code).toBe('AUTH.ROLE_NOT_ALLOWED');
      }
      // Nothing of that was written.
      expect((await auditEntries(t, { entityId: product.id })).map(({ type }) => type)).toEqual(['ProductRegistered']);
      expect((await auditEntries(t, { entityId: request.id })).map(({ type }) => type)).toEqual(['ChangeRequestSubmitted']);
    });

    it('lets every role read, and the audit only to auditor, admin and coordinator', async () => {
      for (const user of Object.keys(TEST_USERS) as TestUser[]) {
        expect((await t.as(user).get('/api/products')).status).toBe(200);
        expect((await t.as(user).get('/api/change-requests')).status).toBe(200);
        expect((await t.as(user).get('/api/me/notifications')).status).toBe(200);
      }
      for (const user of ['auditor', 'admin', 'coordinator'] as const) {
        const audit = await t.as(user).get('/api/audit');
        expect(audit.status).toBe(200);
        expect(audit.body).toEqual({ items: expect.any(Array), nextCursor: null });
      }
    });
  });

  describe('validation', () => {
    let productId: string;
    let changeRequestId: string;

    beforeAll(async () => {
      productId = (await registerProduct(t)).id;
      changeRequestId = (await submitChangeRequest(t, productId)).id;
    });

    const expectBadFields = (response: Response, fields: string[]) => {
      const problem = expectProblem(response, 400);
      expect(problem.errors).toBeDefined();
      expect(fieldsOf(problem)).toEqual(expect.arrayContaining(fields));
      return problem;
    };

    it('refuses names, titles and reasons of blanks alone', async () => {
      expectBadFields(await t.as('coordinator').post('/api/products', productBody({ name: '   ' } as never)), ['name']);
      expectBadFields(await t.as('requester').post('/api/change-requests', { ...changeRequestBody(productId), title: ' \t ' }), ['title']);
      expectBadFields(await t.as('requester').post(`/api/change-requests/${changeRequestId}/withdrawal`, { reason: '  ' }), ['reason']);
    });

    it('refuses moments that are not date-times with a time zone, rather than misreading them', async () => {
      for (const moment of ['2026-W01', '20260101', '2026-01-01T10', '2026-01-01 10:00:00', '2026-02-30T00:00:00Z']) {
        expectBadFields(await t.as('auditor').get(`/api/products/${productId}?asOf=${encodeURIComponent(moment)}`), ['asOf']);
        expectBadFields(await t.as('auditor').get(`/api/audit?from=${encodeURIComponent(moment)}`), ['from']);
      }
    });

    it('names every missing field', async () => {
      expectBadFields(await t.as('coordinator').post('/api/products', {}), ['sku', 'name', 'productManagerId', 'specification']);
      expectBadFields(await t.as('requester').post('/api/change-requests', {}), ['productId', 'title', 'description', 'changes']);
      expectBadFields(await t.as('coordinator').post(`/api/change-requests/${changeRequestId}/assessment`, {}), [
        'relevance',
        'risks',
        'benefits',
        'estimatedCost',
        'recommendation',
      ]);
      const { estimatedCost: _cost, ...withoutCost } = assessmentBody();
      expect(fieldsOf(expectBadFields(await t.as('coordinator').post(`/api/change-requests/${changeRequestId}/assessment`, withoutCost), ['estimatedCost']))).toEqual(['estimatedCost']);
      expectBadFields(await t.as('manager').post(`/api/change-requests/${changeRequestId}/decision`, {}), ['outcome', 'reason']);
      expectBadFields(await t.as('requester').post(`/api/change-requests/${changeRequestId}/withdrawal`, {}), ['reason']);
      expectBadFields(await t.as('coordinator').post(`/api/products/${productId}/stage`, {}), ['stage', 'reason']);
      expectBadFields(await t.as('requester').post('/api/change-requests', { ...changeRequestBody(productId), changes: [{}] }), ['changes.0.field', 'changes.0.proposedValue']);
    });

    it('names every field with a value outside its enumeration', async () => {
      expectBadFields(await t.as('coordinator').post(`/api/products/${productId}/stage`, { stage: 'retired', reason: 'r' }), ['stage']);
      const assessment = expectBadFields(
        await t.as('coordinator').post(`/api/change-requests/${changeRequestId}/assessment`, assessmentBody({ relevance: 'huge', recommendation: 'maybe' })),
        ['relevance', 'recommendation'],
      );
      expect(fieldsOf(assessment)).not.toContain('risks');
      expectBadFields(await t.as('manager').post(`/api/change-requests/${changeRequestId}/decision`, { outcome: 'approve', reason: 'r' }), ['outcome']);
      expectBadFields(await t.as('requester').get('/api/products').query({ stage: 'retired' }), ['stage']);
      expectBadFields(await t.as('requester').get('/api/change-requests').query({ status: 'open' }), ['status']);
    });

    it('names every field of the wrong type, numbers sent as strings included', async () => {
      expectBadFields(await t.as('coordinator').post('/api/products', { sku: 42, name: ['Pump'], productManagerId: { id: 'u-max' }, specification: 'heavy' }), [
        'sku',
        'name',
        'productManagerId',
        'specification',
      ]);
      expectBadFields(
        await t.as('coordinator').post(`/api/change-requests/${changeRequestId}/assessment`, assessmentBody({ risks: 5, estimatedCost: { amount: '12500', currency: 'eur' } })),
        ['risks', 'estimatedCost.amount', 'estimatedCost.currency'],
      );
      expectBadFields(await t.as('coordinator').post(`/api/change-requests/${changeRequestId}/assessment`, assessmentBody({ estimatedCost: 12500 })), ['estimatedCost']);
      expectBadFields(await t.as('requester').post('/api/change-requests', { ...changeRequestBody(productId), changes: 'weightKg=1' }), ['changes']);
      expectBadFields(await t.as('requester').post('/api/change-requests', { ...changeRequestBody(productId), changes: [] }), ['changes']);
      expectBadFields(await t.as('requester').post('/api/change-requests', { ...changeRequestBody(productId), changes: [{ field: 'weightKg', proposedValue: null }] }), [
        'changes.0.proposedValue',
      ]);
      expectBadFields(await t.as('manager').post(`/api/change-requests/${changeRequestId}/decision`, { outcome: 'approved', reason: 7 }), ['reason']);
    });

    it('refuses a specification with a nested object, an array, a null or a bad field name', async () => {
      for (const specification of [{ weight: { kg: 2 } }, { colours: ['red'] }, { colour: null }, { 'bad name': 1 }, { '': 1 }, []]) {
        expectBadFields(await t.as('coordinator').post('/api/products', productBody({ specification: specification as never })), ['specification']);
      }
      expectBadFields(
        await t.as('requester').post('/api/change-requests', { ...changeRequestBody(productId), changes: [{ field: 'weight', proposedValue: { kg: 2 } }] }),
        ['changes.0.proposedValue'],
      );
    });

    it('refuses a 100 KB title with 400, and a body over the body limit with 413', async () => {
      expectBadFields(await t.as('requester').post('/api/change-requests', { ...changeRequestBody(productId), title: 'x'.repeat(100 * 1024) }), ['title']);
      expect(t.config.bodyLimitBytes).toBe(256 * 1024);
      const tooLarge = await t.as('requester').post('/api/change-requests', { ...changeRequestBody(productId), description: 'x'.repeat(t.config.bodyLimitBytes + 1) });
      expectProblem(tooLarge, 413);
      const tooLargeProduct = await t.as('coordinator').post('/api/products', productBody({ description: 'y'.repeat(t.config.bodyLimitBytes) }));
      expectProblem(tooLargeProduct, 413);
    });

    it('answers 400 to malformed JSON', async () => {
      for (const text of ['{bad', '{"sku": "x",}', '', 'null', '"text"', '42', '{"a":1}{"b":2}', '\u0000']) {
        const response = await t.as('coordinator').request('post', '/api/products').set('Content-Type', 'application/json').send(text);
        expectProblem(response, 400);
      }
    });

    it('ignores undeclared body fields: the requester and actor recorded are the authenticated principal', async () => {
      const smuggled = {
        ...changeRequestBody(productId),
        requesterId: TEST_USERS.otherRequester.id,
        actor: { id: TEST_USERS.admin.id, roles: ['admin'] },
        status: 'approved',
        id: UNKNOWN_UUID,
        revision: 7,
        decision: { outcome: 'approved' },
      };
      const created = expectWrite(await t.as('requester').post('/api/change-requests', smuggled), 201, { revision: 0 });
      expect(created.id).not.toBe(UNKNOWN_UUID);
      const read = await t.as('requester').get(`/api/change-requests/${created.id}`).set('X-Min-Position', created.position);
      expect(read.body).toMatchObject({ requesterId: TEST_USERS.requester.id, status: 'submitted', revision: 0, decision: null });
      const [entry] = await auditEntries(t, { entityId: created.id });
      expect(entry).toMatchObject({ type: 'ChangeRequestSubmitted', actor: { id: TEST_USERS.requester.id, roles: ['requester'] } });
      expect(entry!.data.requesterId).toBe(TEST_USERS.requester.id);
      expect(JSON.stringify(entry!.data)).not.toContain(TEST_USERS.otherRequester.id);
      expect(JSON.stringify(entry!.data)).not.toContain(TEST_USERS.admin.id);

      const product = expectWrite(
        await t.as('coordinator').post('/api/products', { ...productBody(), stage: 'growth', specificationVersion: 9, actor: { id: 'u-adm' }, id: UNKNOWN_UUID }),
        201,
      );
      expect(product.id).not.toBe(UNKNOWN_UUID);
      expect((await t.as('requester').get(`/api/products/${product.id}`).set('X-Min-Position', product.position)).body).toMatchObject({ stage: 'concept', specificationVersion: 1 });
      const [registered] = await auditEntries(t, { entityId: product.id });
      expect(registered!.actor).toEqual({ id: TEST_USERS.coordinator.id, roles: ['coordinator'] });

      const assessed = expectWrite(
        await t.as('coordinator').post(`/api/change-requests/${created.id}/assessment`, { ...assessmentBody(), assessedBy: 'u-adm', actor: { id: 'u-adm' } }),
        200,
      );
      const assessment = await t.as('requester').get(`/api/change-requests/${created.id}`).set('X-Min-Position', assessed.position);
      expect(assessment.body.assessment.assessedBy).toBe(TEST_USERS.coordinator.id);
      expect(assessment.body.timeline.map(({ actorId }: { actorId: string }) => actorId)).toEqual([TEST_USERS.requester.id, TEST_USERS.coordinator.id]);
    });
  });

  describe('unknown ids', () => {
    it('answers 404 for unknown ids, uuid or not', async () => {
      for (const id of [UNKNOWN_UUID, 'not-a-uuid', '12345', 'ÄÖÜ', 'x'.repeat(300), '..%2F..%2Fetc']) {
        expectProblem(await t.as('requester').get(`/api/products/${id}`), 404);
        expectProblem(await t.as('requester').get(`/api/change-requests/${id}`), 404);
        expectProblem(await t.as('coordinator').post(`/api/products/${id}/stage`, { stage: 'development', reason: 'r' }), 404);
      }
    });
  });

  describe('odd input', () => {
    it('never answers 500, and every error is problem+json', async () => {
      const product = await registerProduct(t);
      const request = await submitChangeRequest(t, product.id);
      const json = (user: TestUser, path: string, text: string, contentType = 'application/json') =>
        t.as(user).request('post', path).set('Content-Type', contentType).send(text);
      const deep = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);
      const deepObject = (depth: number) => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
      const calls: Array<[string, () => PromiseLike<Response>]> = [
        ['array body', () => t.as('coordinator').post('/api/products', [productBody()])],
        ['array of numbers', () => t.as('requester').post('/api/change-requests', [1, 2, 3])],
        ['empty array', () => t.as('coordinator').post(`/api/change-requests/${request.id}/assessment`, [])],
        ['null body', () => json('coordinator', '/api/products', 'null')],
        ['null fields', () => t.as('coordinator').post('/api/products', { sku: null, name: null, productManagerId: null, specification: null })],
        ['null changes', () => t.as('requester').post('/api/change-requests', { ...changeRequestBody(product.id), changes: [null] })],
        ['numbers as strings', () => t.as('coordinator').post(`/api/change-requests/${request.id}/assessment`, assessmentBody({ estimatedCost: { amount: '1e3', currency: 'EUR' } }))],
        ['limit as a word', () => t.as('requester').get('/api/products?limit=ten')],
        ['limit negative', () => t.as('requester').get('/api/products?limit=-1')],
        ['limit fraction', () => t.as('requester').get('/api/products?limit=1.5')],
        ['limit twice', () => t.as('requester').get('/api/products?limit=1&limit=2')],
        ['unicode sku', () => t.as('coordinator').post('/api/products', productBody({ sku: 'ПРОДУКТ-1' }))],
        ['emoji title', () => t.as('requester').post('/api/change-requests', { ...changeRequestBody(product.id), title: '🚀 faster ✓ — ünïcödé 中文' })],
        ['lone surrogate', () => json('requester', '/api/change-requests', JSON.stringify(changeRequestBody(product.id)).replace('Lighter', '\\ud800'))],
        ['unicode field name', () => t.as('requester').post('/api/change-requests', { ...changeRequestBody(product.id), changes: [{ field: 'größe', proposedValue: 1 }] })],
        ['huge number', () => json('coordinator', '/api/products', JSON.stringify(productBody()).replace('"weightKg":2', '"weightKg":1e400'))],
        ['huge integer', () => json('coordinator', '/api/products', JSON.stringify(productBody()).replace('"weightKg":2', '"weightKg":123456789012345678901234567890'))],
        ['huge amount', () => t.as('coordinator').post(`/api/change-requests/${request.id}/assessment`, assessmentBody({ estimatedCost: { amount: 1e300, currency: 'EUR' } }))],
        ['negative amount', () => t.as('coordinator').post(`/api/change-requests/${request.id}/assessment`, assessmentBody({ estimatedCost: { amount: -1, currency: 'EUR' } }))],
        ['deeply nested array', () => json('coordinator', '/api/products', deep(5000))],
        ['deeply nested object', () => json('coordinator', '/api/products', deepObject(5000))],
        ['deeply nested, idempotent, no body schema', () => json('coordinator', `/api/change-requests/${request.id}/presentation`, deepObject(5000)).set('Idempotency-Key', 'deep-1')],
        ['deeply nested specification', () => json('coordinator', '/api/products', `{"sku":"D-1","name":"n","productManagerId":"u-max","specification":${deepObject(5000)}}`)],
        ['prototype keys', () => json('coordinator', '/api/products', `{"__proto__":{"sku":"x"},"constructor":{"prototype":{"a":1}},"sku":"${uniqueSku()}","name":"n","productManagerId":"u-max","specification":{"__proto__":{"a":1}}}`)],
        ['text/plain body', () => json('coordinator', '/api/products', 'sku=1', 'text/plain')],
        ['form body', () => json('coordinator', '/api/products', 'sku=1&name=2', 'application/x-www-form-urlencoded')],
        ['unsupported charset', () => json('coordinator', '/api/products', JSON.stringify(productBody()), 'application/json; charset=latin1')],
        ['unknown encoding', () => json('coordinator', '/api/products', JSON.stringify(productBody())).set('Content-Encoding', 'br-x')],
        ['bad gzip', () => json('coordinator', '/api/products', 'not gzip').set('Content-Encoding', 'gzip')],
        ['invalid cursor', () => t.as('requester').get('/api/products?cursor=abc')],
        ['cursor of another shape', () => t.as('requester').get(`/api/products?cursor=${Buffer.from('[{"a":1},"x"]').toString('base64url')}`)],
        ['cursor with symbols', () => t.as('requester').get('/api/change-requests?cursor=%00%FF')],
        ['cursor on the audit', () => t.as('auditor').get('/api/audit?cursor=eyJhIjoxfQ')],
        ['cursor on notifications', () => t.as('requester').get('/api/me/notifications?cursor=WzEsMiwzXQ')],
        ['asOf far past', () => t.as('requester').get(`/api/products/${product.id}?asOf=0001-01-01T00:00:00Z`)],
        ['asOf far future', () => t.as('requester').get(`/api/products/${product.id}?asOf=9999-12-31T23:59:59Z`)],
        ['asOf garbage', () => t.as('requester').get(`/api/products/${product.id}?asOf=%00`)],
        ['audit from garbage', () => t.as('auditor').get('/api/audit?from=soon&to=later')],
        ['audit type with spaces', () => t.as('auditor').get('/api/audit?type=a%20b')],
        ['audit entityId array', () => t.as('auditor').get('/api/audit?entityId=a&entityId=b')],
        ['filter as an object', () => t.as('requester').get('/api/change-requests?status[$ne]=x')],
        ['If-Match garbage', () => t.as('coordinator').post(`/api/products/${product.id}/stage`, { stage: 'development', reason: 'r' }).set('If-Match', 'yesterday')],
        ['If-Match huge', () => t.as('coordinator').post(`/api/products/${product.id}/stage`, { stage: 'development', reason: 'r' }).set('If-Match', '"99999999999999999999"')],
        ['Idempotency-Key too long', () => t.as('coordinator').post('/api/products', productBody()).set('Idempotency-Key', 'k'.repeat(500))],
        ['X-Min-Position garbage', () => t.as('requester').get('/api/products').set('X-Min-Position', 'latest')],
        ['unknown route', () => t.as('requester').get('/api/nothing-here')],
        ['unknown method', () => t.as('coordinator').request('put', `/api/products/${product.id}`).send({})],
        ['delete', () => t.as('coordinator').request('delete', `/api/change-requests/${request.id}`)],
      ];
      const failures: string[] = [];
      for (const [name, call] of calls) {
        const response = await call();
        if (response.status >= 500) failures.push(`${name}: ${response.status} ${response.text.slice(0, 200)}`);
        else if (response.status >= 400 && !/^application\/problem\+json/.test(response.headers['content-type'] ?? '')) failures.push(`${name}: ${response.status} is not problem+json`);
        else if (response.status >= 400) expectProblem(response, response.status);
      }
      expect(failures).toEqual([]);
      // A body nested deeper than any request needs is refused as invalid, not as a server failure.
      expectProblem(await json('coordinator', '/api/products', deep(5000)), 400);
      expectProblem(await json('coordinator', '/api/products', JSON.stringify(productBody()), 'application/json; charset=latin1'), 415);
    });

    it('answers 400 to invalid cursors and to limits outside 1..200 on every list', async () => {
      for (const [user, path] of [
        ['requester', '/api/products'],
        ['requester', '/api/change-requests'],
        ['requester', '/api/me/notifications'],
        ['auditor', '/api/audit'],
      ] as const) {
        for (const cursor of ['abc', 'W10', '!!!', Buffer.from('[1,2,3]').toString('base64url')]) {
          expectProblem(await t.as(user).get(path).query({ cursor }), 400);
        }
        for (const limit of ['0', '201', '-5', 'all']) {
          const problem = expectProblem(await t.as(user).get(path).query({ limit }), 400);
          expect(fieldsOf(problem)).toEqual(['limit']);
        }
        expect((await t.as(user).get(path).query({ limit: 1 })).status).toBe(200);
        expect((await t.as(user).get(path).query({ limit: 200 })).status).toBe(200);
      }
    });
  });

  describe('ETag and If-Match', () => {
    it('sets ETag to the quoted revision on every GET of one entity', async () => {
      const product = await registerProduct(t);
      const request = await submitChangeRequest(t, product.id);
      const assessed = expectWrite(await t.as('coordinator').post(`/api/change-requests/${request.id}/assessment`, assessmentBody()), 200, { revision: 1 });
      const read = await t.as('requester').get(`/api/change-requests/${request.id}`).set('X-Min-Position', assessed.position);
      expect(read.headers.etag).toBe('"1"');
      expect(read.body.revision).toBe(1);
      const productRead = await t.as('requester').get(`/api/products/${product.id}`);
      expect(productRead.headers.etag).toBe(`"${productRead.body.revision}"`);
    });

    it('answers a GET of one entity with its read model as JSON, as compact as any other answer, as of now or of a moment', async () => {
      const product = await registerProduct(t);
      const request = await submitChangeRequest(t, product.id);
      const reads = [
        await t.as('requester').get(`/api/change-requests/${request.id}`).set('X-Min-Position', request.position),
        await t.as('requester').get(`/api/products/${product.id}`),
        await t.as('requester').get(`/api/products/${product.id}`).query({ asOf: new Date().toISOString() }),
      ];
      for (const read of reads) {
        expect(read.status).toBe(200);
        expect(read.headers['content-type']).toBe('application/json; charset=utf-8');
        expect(read.text).toBe(JSON.stringify(read.body));
      }
      expect(reads[0].body).toMatchObject({ id: request.id, productId: product.id, revision: 0 });
      expect(reads[2].body).toEqual(reads[1].body);
    });

    it('refuses a stale If-Match with 412 and writes nothing; the current one succeeds', async () => {
      const product = await registerProduct(t);
      const request = await submitChangeRequest(t, product.id);
      const etag = (await t.as('coordinator').get(`/api/change-requests/${request.id}`).set('X-Min-Position', request.position)).headers.etag;
      expect(etag).toBe('"0"');
      expectWrite(await t.as('coordinator').post(`/api/change-requests/${request.id}/assessment`, assessmentBody()).set('If-Match', etag), 200, { revision: 1 });
      const before = await auditEntries(t, { entityId: request.id });

      for (const stale of ['"0"', 'W/"0"', '0', '"5"']) {
        const problem = expectProblem(await t.as('coordinator').post(`/api/change-requests/${request.id}/assessment`, assessmentBody({ relevance: 'low' })).set('If-Match', stale), 412);
        expect(problem.code).toBe('REQUEST.STALE_REVISION');
        expectProblem(await t.as('coordinator').post(`/api/change-requests/${request.id}/presentation`).set('If-Match', stale), 412);
        expectProblem(await t.as('requester').post(`/api/change-requests/${request.id}/withdrawal`, { reason: 'r' }).set('If-Match', stale), 412);
      }
      expect(await auditEntries(t, { entityId: request.id })).toEqual(before);
      expect((await t.as('requester').get(`/api/change-requests/${request.id}`)).body).toMatchObject({ status: 'assessed', revision: 1, assessment: { relevance: 'high' } });

      const presented = expectWrite(await t.as('coordinator').post(`/api/change-requests/${request.id}/presentation`).set('If-Match', '"1"'), 200, { revision: 2 });
      expectProblem(await t.as('manager').post(`/api/change-requests/${request.id}/decision`, { outcome: 'approved', reason: 'ok' }).set('If-Match', '"1"'), 412);
      const decided = expectWrite(await t.as('manager').post(`/api/change-requests/${request.id}/decision`, { outcome: 'approved', reason: 'ok' }).set('If-Match', '"2"'), 200, { revision: 3 });
      expect(decided.position > presented.position).toBe(true);
      expectProblem(await t.as('coordinator').post(`/api/change-requests/${request.id}/implementation`).set('If-Match', '"2"'), 412);
      expect((await auditEntries(t, { entityId: product.id })).map(({ type }) => type)).toEqual(['ProductRegistered']);
      expectWrite(await t.as('coordinator').post(`/api/change-requests/${request.id}/implementation`).set('If-Match', '"3"'), 200, { revision: 4 });

      // On products too.
      const productEtag = (await t.as('coordinator').get(`/api/products/${product.id}`)).headers.etag;
      expect(productEtag).toBe('"1"');
      expectProblem(await t.as('coordinator').post(`/api/products/${product.id}/stage`, { stage: 'development', reason: 'r' }).set('If-Match', '"0"'), 412);
      expectWrite(await t.as('coordinator').post(`/api/products/${product.id}/stage`, { stage: 'development', reason: 'r' }).set('If-Match', productEtag), 200, { revision: 2 });
    });
  });

  describe('Idempotency-Key', () => {
    it('answers a retry with the identical first answer and writes nothing new', async () => {
      const product = await registerProduct(t);
      const key = `submit-${uniqueSku()}`;
      const body = changeRequestBody(product.id);
      const first = await t.as('requester').post('/api/change-requests', body).set('Idempotency-Key', key);
      const created = expectWrite(first, 201, { revision: 0 });
      const before = await auditEntries(t, { entityId: created.id });
      expect(before).toHaveLength(1);
      for (let retry = 0; retry < 3; retry++) {
        const again = await t.as('requester').post('/api/change-requests', body).set('Idempotency-Key', key);
        expect(again.status).toBe(201);
        expect(again.body).toEqual(first.body);
      }
      const listed = await readAll(t, 'requester', '/api/change-requests', { productId: product.id }, { 'X-Min-Position': created.position });
      expect(listed).toHaveLength(1);
      expect(await auditEntries(t, { entityId: created.id })).toEqual(before);

      // The same key from another principal is another request.
      const theirs = expectWrite(await t.as('otherRequester').post('/api/change-requests', body).set('Idempotency-Key', key), 201);
      expect(theirs.id).not.toBe(created.id);

      // On commands that do not create.
      const assessment = await t.as('coordinator').post(`/api/change-requests/${created.id}/assessment`, assessmentBody()).set('Idempotency-Key', `${key}-assess`);
      expectWrite(assessment, 200, { revision: 1 });
      const repeated = await t.as('coordinator').post(`/api/change-requests/${created.id}/assessment`, assessmentBody()).set('Idempotency-Key', `${key}-assess`);
      expect(repeated.status).toBe(200);
      expect(repeated.body).toEqual(assessment.body);
      expect((await auditEntries(t, { entityId: created.id })).map(({ type }) => type)).toEqual(['ChangeRequestSubmitted', 'ChangeRequestAssessed']);

      // Registering a product, and implementing (two streams).
      const registration = productBody();
      const registered = await t.as('coordinator').post('/api/products', registration).set('Idempotency-Key', `${key}-register`);
      expectWrite(registered, 201);
      const registeredAgain = await t.as('coordinator').post('/api/products', registration).set('Idempotency-Key', `${key}-register`);
      expect(registeredAgain.status).toBe(201);
      expect(registeredAgain.body).toEqual(registered.body);

      await t.as('coordinator').post(`/api/change-requests/${created.id}/presentation`);
      expectWrite(await t.as('manager').post(`/api/change-requests/${created.id}/decision`, { outcome: 'approved', reason: 'ok' }), 200);
      const implementation = await t.as('coordinator').post(`/api/change-requests/${created.id}/implementation`).set('Idempotency-Key', `${key}-implement`);
      expectWrite(implementation, 200);
      const implementationAgain = await t.as('coordinator').post(`/api/change-requests/${created.id}/implementation`).set('Idempotency-Key', `${key}-implement`);
      expect(implementationAgain.status).toBe(200);
      expect(implementationAgain.body).toEqual(implementation.body);
      expect((await auditEntries(t, { entityId: product.id, type: 'ProductSpecificationAmended' }))).toHaveLength(1);
    });

    it('refuses the same key with a different body (422) and writes nothing', async () => {
      const product = await registerProduct(t);
      const key = `reuse-${uniqueSku()}`;
      const created = expectWrite(await t.as('requester').post('/api/change-requests', changeRequestBody(product.id)).set('Idempotency-Key', key), 201);
      const before = await auditEntries(t, { entityId: created.id });
      const changed = { ...changeRequestBody(product.id), title: 'Something else' };
      expectProblem(await t.as('requester').post('/api/change-requests', changed).set('Idempotency-Key', key), 422, 'REQUEST.IDEMPOTENCY_KEY_REUSED');
      expect(await auditEntries(t, { entityId: created.id })).toEqual(before);
      expect(await readAll(t, 'requester', '/api/change-requests', { productId: product.id }, { 'X-Min-Position': (await headPosition(t))! })).toHaveLength(1);

      expectWrite(await t.as('coordinator').post(`/api/change-requests/${created.id}/assessment`, assessmentBody()).set('Idempotency-Key', `${key}-a`), 200);
      expectProblem(
        await t.as('coordinator').post(`/api/change-requests/${created.id}/assessment`, assessmentBody({ relevance: 'low' })).set('Idempotency-Key', `${key}-a`),
        422,
        'REQUEST.IDEMPOTENCY_KEY_REUSED',
      );

      const registration = productBody();
      const registered = expectWrite(await t.as('coordinator').post('/api/products', registration).set('Idempotency-Key', `${key}-p`), 201);
      expectProblem(await t.as('coordinator').post('/api/products', { ...registration, name: 'Renamed' }).set('Idempotency-Key', `${key}-p`), 422, 'REQUEST.IDEMPOTENCY_KEY_REUSED');
      const otherSku = productBody();
      expectProblem(await t.as('coordinator').post('/api/products', otherSku).set('Idempotency-Key', `${key}-p`), 422, 'REQUEST.IDEMPOTENCY_KEY_REUSED');
      const products = await readAll<{ id: string; sku: string }>(t, 'requester', '/api/products', {}, { 'X-Min-Position': (await headPosition(t))! });
      expect(products.filter(({ sku }) => sku === otherSku.sku.toUpperCase())).toEqual([]);
      expect(products.filter(({ id }) => id === registered.id)).toHaveLength(1);
    });

    it('refuses a key that implemented one request when it comes with another, before the product is touched', async () => {
      const product = await registerProduct(t);
      const first = await submitChangeRequest(t, product.id, [{ field: 'weightKg', proposedValue: 1.5 }]);
      const second = await submitChangeRequest(t, product.id, [{ field: 'colour', proposedValue: 'blue' }]);
      await approved(t, first.id);
      await approved(t, second.id);
      const key = `implement-${uniqueSku()}`;
      expectWrite(await t.as('coordinator').post(`/api/change-requests/${first.id}/implementation`).set('Idempotency-Key', key), 200);
      const before = await auditEntries(t, { entityId: product.id });

      expectProblem(await t.as('coordinator').post(`/api/change-requests/${second.id}/implementation`).set('Idempotency-Key', key), 422, 'REQUEST.IDEMPOTENCY_KEY_REUSED');
      expect(await auditEntries(t, { entityId: product.id })).toEqual(before);
      const unchanged = await t.as('coordinator').get(`/api/change-requests/${second.id}`).set('X-Min-Position', (await headPosition(t))!);
      expect(unchanged.body.status).toBe('approved');
    });

    it('still answers a retry with the first answer after a restart on the same data directory', async () => {
      let app = await startTestApp();
      try {
        const product = await registerProduct(app);
        const key = `durable-${uniqueSku()}`;
        const body = changeRequestBody(product.id);
        const first = await app.as('requester').post('/api/change-requests', body).set('Idempotency-Key', key);
        const created = expectWrite(first, 201);
        const assessed = await app.as('coordinator').post(`/api/change-requests/${created.id}/assessment`, assessmentBody()).set('Idempotency-Key', `${key}-a`);
        expectWrite(assessed, 200, { revision: 1 });
        const before = await auditEntries(app, { entityId: created.id });

        app = await app.restart();

        const retried = await app.as('requester').post('/api/change-requests', body).set('Idempotency-Key', key);
        expect(retried.status).toBe(201);
        expect(retried.body).toEqual(first.body);
        const assessedAgain = await app.as('coordinator').post(`/api/change-requests/${created.id}/assessment`, assessmentBody()).set('Idempotency-Key', `${key}-a`);
        expect(assessedAgain.status).toBe(200);
        expect(assessedAgain.body).toEqual(assessed.body);
        expectProblem(await app.as('requester').post('/api/change-requests', { ...body, title: 'Other' }).set('Idempotency-Key', key), 422);
        expect(await auditEntries(app, { entityId: created.id })).toEqual(before);
        const read = await app.as('requester').get(`/api/change-requests/${created.id}`).set('X-Min-Position', assessed.body.position);
        expect(read.body).toMatchObject({ status: 'assessed', revision: 1 });
      } finally {
        await app.close();
      }
    });
  });

  describe('X-Min-Position', () => {
    it('lets a client read its own write, on every read', async () => {
      for (let round = 0; round < 10; round++) {
        const product = await registerProduct(t);
        const read = await t.as('requester').get(`/api/products/${product.id}`).set('X-Min-Position', product.position);
        expect(read.status).toBe(200);
        const request = await submitChangeRequest(t, product.id);
        const readRequest = await t.as('requester').get(`/api/change-requests/${request.id}`).set('X-Min-Position', request.position);
        expect(readRequest.status).toBe(200);
        const list = await t.as('requester').get('/api/change-requests').query({ productId: product.id }).set('X-Min-Position', request.position);
        expect(list.body.items.map(({ id }: { id: string }) => id)).toEqual([request.id]);
        const audit = await t.as('auditor').get('/api/audit').query({ entityId: request.id }).set('X-Min-Position', request.position);
        expect(audit.body.items).toHaveLength(1);
        const advanced = expectWrite(await t.as('coordinator').post(`/api/products/${product.id}/stage`, { stage: 'development', reason: 'r' }), 200);
        expect((await t.as('requester').get(`/api/products/${product.id}`).set('X-Min-Position', advanced.position)).body.stage).toBe('development');
      }
    });

    it('answers 400 to a malformed position', async () => {
      for (const position of ['abc', '12abc', '-1', '-', '--', '42', '0x10', '1e5', ' 00000000000000001 0', '00000000000000000000000000000000000000000000000000000000000000000']) {
        const problem = expectProblem(await t.as('requester').get('/api/products').set('X-Min-Position', position), 400);
        expect(fieldsOf(problem)).toEqual(['X-Min-Position']);
      }
    });
  });

  describe('asOf', () => {
    it('rebuilds a product as it stood at a moment; before its creation it did not exist', async () => {
      const product = await registerProduct(t, { specification: { weightKg: 2, colour: 'red' } });
      const [registered] = await auditEntries(t, { entityId: product.id });
      await pastMoment(registered!.recordedAt);
      expectWrite(await t.as('coordinator').post(`/api/products/${product.id}/stage`, { stage: 'development', reason: 'prototype ready' }), 200);
      const [, development] = await auditEntries(t, { entityId: product.id });
      await pastMoment(development!.recordedAt);
      const request = await submitChangeRequest(t, product.id, [{ field: 'colour', proposedValue: 'blue' }]);
      await approved(t, request.id);
      const implementation = expectWrite(await t.as('coordinator').post(`/api/change-requests/${request.id}/implementation`), 200);
      const [, , amended] = await auditEntries(t, { entityId: product.id });
      expect(amended!.type).toBe('ProductSpecificationAmended');
      await pastMoment(amended!.recordedAt);
      const launch = expectWrite(await t.as('coordinator').post(`/api/products/${product.id}/stage`, { stage: 'launch', reason: 'go' }), 200);
      const [, , , launched] = await auditEntries(t, { entityId: product.id });

      const asOf = (moment: string) => t.as('auditor').get(`/api/products/${product.id}`).query({ asOf: moment });
      const at = (iso: string, deltaMs: number) => new Date(Date.parse(iso) + deltaMs).toISOString();

      const atRegistration = await asOf(registered!.recordedAt);
      expect(atRegistration.status).toBe(200);
      expect(atRegistration.body).toMatchObject({ stage: 'concept', specification: { weightKg: 2, colour: 'red' }, specificationVersion: 1, revision: 0 });
      expect(atRegistration.headers.etag).toBe('"0"');

      const between = new Date((Date.parse(development!.recordedAt) + Date.parse(amended!.recordedAt)) / 2).toISOString();
      for (const moment of [development!.recordedAt, between, at(amended!.recordedAt, -1)]) {
        const read = await asOf(moment);
        expect(read.status).toBe(200);
        expect(read.body).toMatchObject({ stage: 'development', specification: { weightKg: 2, colour: 'red' }, specificationVersion: 1, revision: 1 });
      }
      expect((await asOf(amended!.recordedAt)).body).toMatchObject({ stage: 'development', specification: { colour: 'blue' }, specificationVersion: 2, revision: 2 });
      expect((await asOf(at(launched!.recordedAt, -1))).body).toMatchObject({ stage: 'development', revision: 2 });

      const now = await asOf(new Date(Date.now() + 60_000).toISOString());
      const live = await t.as('auditor').get(`/api/products/${product.id}`).set('X-Min-Position', launch.position);
      expect(now.body).toEqual(live.body);
      expect(now.body).toMatchObject({ stage: 'launch', specification: { weightKg: 2, colour: 'blue' }, specificationVersion: 2, revision: 3 });
      expect(implementation.position < launch.position).toBe(true);

      expectProblem(await asOf(at(registered!.recordedAt, -1)), 404);
      expectProblem(await asOf('2000-01-01T00:00:00Z'), 404);
      expectProblem(await t.as('auditor').get(`/api/products/${UNKNOWN_UUID}`).query({ asOf: new Date().toISOString() }), 404);
      for (const malformed of ['yesterday', '2026-13-45T00:00:00Z', '2026-01-01T25:00:00Z', '12345', 'null', '']) {
        expect(fieldsOf(expectProblem(await asOf(malformed), 400))).toEqual(['asOf']);
      }
    });
  });

  describe('lists', () => {
    it('walks every item exactly once with limit and nextCursor', async () => {
      const created = new Set<string>();
      for (let i = 0; i < 7; i++) created.add((await registerProduct(t)).id);
      const head = (await headPosition(t))!;
      const everything = await readAll<{ id: string }>(t, 'requester', '/api/products', { limit: 200 }, { 'X-Min-Position': head });
      for (const limit of [1, 2, 3, 7]) {
        const seen: string[] = [];
        let cursor: string | null = null;
        let pages = 0;
        do {
          const page: Response = await t
            .as('requester')
            .get('/api/products')
            .query({ limit, ...(cursor ? { cursor } : {}) });
          expect(page.status).toBe(200);
          expect(Object.keys(page.body).sort()).toEqual(['items', 'nextCursor']);
          expect(page.body.items.length).toBeLessThanOrEqual(limit);
          seen.push(...page.body.items.map(({ id }: { id: string }) => id));
          cursor = page.body.nextCursor;
          pages++;
        } while (cursor !== null);
        expect(new Set(seen).size).toBe(seen.length);
        expect(seen).toEqual(everything.map(({ id }) => id));
        // No empty trailing page: nextCursor is null as soon as nothing follows.
        expect(pages).toBe(Math.max(1, Math.ceil(seen.length / limit)));
        for (const id of created) expect(seen).toContain(id);
      }
    });

    it('filters products by stage', async () => {
      const moved = await registerProduct(t);
      const stayed = await registerProduct(t);
      const advanced = expectWrite(await t.as('coordinator').post(`/api/products/${moved.id}/stage`, { stage: 'development', reason: 'r' }), 200);
      const inDevelopment = await readAll<{ id: string; stage: string }>(t, 'requester', '/api/products', { stage: 'development', limit: 2 }, { 'X-Min-Position': advanced.position });
      expect(inDevelopment.every(({ stage }) => stage === 'development')).toBe(true);
      expect(inDevelopment.map(({ id }) => id)).toContain(moved.id);
      expect(inDevelopment.map(({ id }) => id)).not.toContain(stayed.id);
      const inConcept = await readAll<{ id: string; stage: string }>(t, 'requester', '/api/products', { stage: 'concept' });
      expect(inConcept.every(({ stage }) => stage === 'concept')).toBe(true);
      expect(inConcept.map(({ id }) => id)).toContain(stayed.id);
      expect(inConcept.map(({ id }) => id)).not.toContain(moved.id);
    });

    it('filters change requests by status, product and requester, alone and together', async () => {
      const product = await registerProduct(t);
      const other = await registerProduct(t);
      const mine = [await submitChangeRequest(t, product.id), await submitChangeRequest(t, product.id), await submitChangeRequest(t, other.id)];
      const theirs = [await submitChangeRequest(t, product.id, undefined, 'otherRequester'), await submitChangeRequest(t, other.id, undefined, 'otherRequester')];
      const assessed = expectWrite(await t.as('coordinator').post(`/api/change-requests/${mine[1]!.id}/assessment`, assessmentBody()), 200);
      const head = { 'X-Min-Position': assessed.position };
      const ids = (items: { id: string }[]) => items.map(({ id }) => id).sort();

      const byProduct = await readAll<{ id: string; productId: string }>(t, 'requester', '/api/change-requests', { productId: product.id, limit: 1 }, head);
      expect(ids(byProduct)).toEqual([mine[0]!.id, mine[1]!.id, theirs[0]!.id].sort());
      const byRequester = await readAll<{ id: string; requesterId: string }>(t, 'requester', '/api/change-requests', { requesterId: TEST_USERS.otherRequester.id }, head);
      expect(byRequester.every(({ requesterId }) => requesterId === TEST_USERS.otherRequester.id)).toBe(true);
      expect(ids(byRequester)).toEqual(expect.arrayContaining(ids(theirs)));
      const byStatus = await readAll<{ id: string; status: string }>(t, 'requester', '/api/change-requests', { status: 'assessed' }, head);
      expect(byStatus.every(({ status }) => status === 'assessed')).toBe(true);
      expect(byStatus.map(({ id }) => id)).toContain(mine[1]!.id);
      const combined = await readAll<{ id: string }>(t, 'requester', '/api/change-requests', { productId: product.id, requesterId: TEST_USERS.requester.id, status: 'submitted' }, head);
      expect(ids(combined)).toEqual([mine[0]!.id]);
      expect(await readAll(t, 'requester', '/api/change-requests', { productId: UNKNOWN_UUID }, head)).toEqual([]);

      const item = byProduct.find(({ id }) => id === mine[0]!.id)!;
      expect(item).toMatchObject({ id: mine[0]!.id, productId: product.id, status: 'submitted', requesterId: TEST_USERS.requester.id, revision: 0 });
    });
  });

  describe('audit', () => {
    it('lists every recorded event, oldest first, with the documented fields, filtered by entity, actor, type and time', async () => {
      const product = await registerProduct(t);
      const request = await submitChangeRequest(t, product.id, undefined, 'otherRequester');
      await approved(t, request.id);
      await notificationsOnceNotified(t, 'otherRequester', request.id);

      const all = await auditEntries(t);
      const positions = all.map(({ position }) => position);
      expect(positions).toEqual([...positions].sort());
      expect(new Set(positions).size).toBe(positions.length);
      expect(new Set(all.map(({ eventId }) => eventId)).size).toBe(all.length);
      for (const entry of all.slice(-5)) {
        for (const field of ['position', 'eventId', 'type', 'streamId', 'entityId', 'revision', 'actor', 'recordedAt', 'correlationId', 'causationId', 'data']) expect(entry).toHaveProperty(field);
      }

      const forRequest = await auditEntries(t, { entityId: request.id });
      expect(forRequest.map(({ type }) => type)).toEqual(['ChangeRequestSubmitted', 'ChangeRequestAssessed', 'ChangeRequestPresented', 'ChangeRequestApproved']);
      expect(forRequest.map(({ revision }) => revision)).toEqual([0, 1, 2, 3]);
      expect(forRequest.every(({ entityId, streamId }) => entityId === request.id && streamId === `change-request-${request.id}`)).toBe(true);
      expect(forRequest.map(({ actor }) => actor.id)).toEqual([TEST_USERS.otherRequester.id, TEST_USERS.coordinator.id, TEST_USERS.coordinator.id, TEST_USERS.manager.id]);

      const byActor = await auditEntries(t, { actorId: TEST_USERS.otherRequester.id });
      expect(byActor.length).toBeGreaterThan(0);
      expect(byActor.every(({ actor }) => actor.id === TEST_USERS.otherRequester.id)).toBe(true);
      expect(byActor.map(({ eventId }) => eventId)).toContain(forRequest[0]!.eventId);

      const approvals = await auditEntries(t, { type: 'ChangeRequestApproved' });
      expect(approvals.every(({ type }) => type === 'ChangeRequestApproved')).toBe(true);
      expect(approvals.map(({ entityId }) => entityId)).toContain(request.id);
      const notified = (await auditEntries(t, { type: 'ApplicantNotified' })).filter(({ data }) => data.changeRequestId === request.id);
      expect(notified).toHaveLength(1);
      expect(notified[0]!.causationId).toBe(forRequest[3]!.eventId);
      expect(notified[0]!.correlationId).toBe(forRequest[3]!.correlationId);

      const [, assessedEntry, presentedEntry] = forRequest;
      const window = await auditEntries(t, { entityId: request.id, from: assessedEntry!.recordedAt, to: presentedEntry!.recordedAt });
      expect(window.map(({ eventId }) => eventId)).toEqual(
        forRequest.filter(({ recordedAt }) => recordedAt >= assessedEntry!.recordedAt && recordedAt <= presentedEntry!.recordedAt).map(({ eventId }) => eventId),
      );
      expect(window.map(({ type }) => type)).toEqual(expect.arrayContaining(['ChangeRequestAssessed', 'ChangeRequestPresented']));
      const later = await auditEntries(t, { entityId: request.id, from: new Date(Date.now() + 60_000).toISOString() });
      expect(later).toEqual([]);
      const earlier = await auditEntries(t, { entityId: request.id, to: '2000-01-01T00:00:00Z' });
      expect(earlier).toEqual([]);
      const combined = await auditEntries(t, { entityId: request.id, actorId: TEST_USERS.coordinator.id, type: 'ChangeRequestPresented' });
      expect(combined.map(({ eventId }) => eventId)).toEqual([presentedEntry!.eventId]);
    });
  });

  describe('health and docs', () => {
    it('GET /health needs no key and reports the stores and the projection lag', async () => {
      const health = await t.anonymous().get('/health');
      expect(health.status).toBe(200);
      expect(health.headers['content-type']).toMatch(/^application\/json/);
      expect(health.body).toMatchObject({
        status: 'ok',
        eventStore: { engine: 'sqlite', status: 'up' },
        readStore: { engine: 'sqlite', status: 'up' },
        projectionLag: expect.any(Number),
      });
      const head = health.body.headPosition as string;
      expect((await t.as('requester').get('/api/products').set('X-Min-Position', head)).status).toBe(200);
      await poll(async () => ((await t.anonymous().get('/health')).body.projectionLag === 0 ? true : undefined), 'projection lag 0');
    });

    it('serves the OpenAPI UI and document without a key', async () => {
      const ui = await t.anonymous().get('/api/docs');
      expect(ui.status).toBe(200);
      expect(ui.headers['content-type']).toMatch(/^text\/html/);
      expect(ui.text).toMatch(/swagger/i);
      const document = await t.anonymous().get('/api/docs-json');
      expect(document.status).toBe(200);
      expect(document.body.openapi).toMatch(/^3\./);
      const paths = Object.keys(document.body.paths);
      expect(paths).toEqual(
        expect.arrayContaining([
          '/health',
          '/api/products',
          '/api/products/{id}',
          '/api/products/{id}/stage',
          '/api/change-requests',
          '/api/change-requests/{id}',
          '/api/change-requests/{id}/assessment',
          '/api/change-requests/{id}/presentation',
          '/api/change-requests/{id}/decision',
          '/api/change-requests/{id}/implementation',
          '/api/change-requests/{id}/withdrawal',
          '/api/me/notifications',
          '/api/audit',
        ]),
      );
    });
  });

  describe('concurrency', () => {
    it('survives 20 concurrent assessments of one request: each succeeds or fails cleanly, never 500', async () => {
      const product = await registerProduct(t);
      const request = await submitChangeRequest(t, product.id);
      const relevances = ['low', 'medium', 'high'];
      const answers = await Promise.all(
        Array.from({ length: 20 }, (_, i) => t.as('coordinator').post(`/api/change-requests/${request.id}/assessment`, assessmentBody({ relevance: relevances[i % 3], risks: `risk ${i}` }))),
      );
      const succeeded = answers.filter(({ status }) => status === 200);
      for (const answer of answers) {
        expect([200, 409]).toContain(answer.status);
        if (answer.status === 409) expectProblem(answer, 409, 'CONCURRENT_WRITE');
      }
      expect(succeeded.length).toBeGreaterThan(0);
      const revisions = succeeded.map(({ body }) => body.revision as number).sort((a, b) => a - b);
      expect(revisions).toEqual(Array.from({ length: succeeded.length }, (_, i) => i + 1));
      const assessments = await auditEntries(t, { entityId: request.id, type: 'ChangeRequestAssessed' });
      expect(assessments).toHaveLength(succeeded.length);
      const read = await t.as('requester').get(`/api/change-requests/${request.id}`).set('X-Min-Position', (await headPosition(t))!);
      expect(read.body.revision).toBe(succeeded.length);
      expect(read.body.timeline).toHaveLength(1 + succeeded.length);
    });

    it('lets exactly one of 10 concurrent decisions through; the rest get 409', async () => {
      const product = await registerProduct(t);
      const request = await submitChangeRequest(t, product.id, undefined, 'otherRequester');
      await bringToDecision(t, request.id);
      const answers = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          t.as('manager').post(`/api/change-requests/${request.id}/decision`, { outcome: i % 2 ? 'approved' : 'rejected', reason: `decision ${i}` }),
        ),
      );
      expect(answers.filter(({ status }) => status === 200)).toHaveLength(1);
      for (const answer of answers.filter(({ status }) => status !== 200)) expectProblem(answer, 409);
      const decisions = (await auditEntries(t, { entityId: request.id })).filter(({ type }) => type === 'ChangeRequestApproved' || type === 'ChangeRequestRejected');
      expect(decisions).toHaveLength(1);
      const notifications = await notificationsOnceNotified(t, 'otherRequester', request.id);
      expect(notifications.filter(({ changeRequestId }) => changeRequestId === request.id)).toHaveLength(1);
      const winner = answers.find(({ status }) => status === 200)!;
      const read = await t.as('otherRequester').get(`/api/change-requests/${request.id}`).set('X-Min-Position', winner.body.position);
      expect(read.body.decision.reason).toBe(decisions[0]!.data.reason);
    });
  });
});

