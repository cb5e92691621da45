import {
  approved,
  assessmentBody,
  auditEntries,
  bringToDecision,
  changeRequestBody,
  expectProblem,
  expectWrite,
  fieldsOf,
  notificationsOnceNotified,
  productBody,
  readAll,
  registerProduct,
  submitChangeRequest,
  UNKNOWN_UUID,
  uniqueSku,
  type Notification,
  type WriteAnswer,
} from './support/api';
import { startTestApp, type TestApp } from './support/test-app';
import { TEST_USERS } from './support/test-users';

/**
 * The change-management workflow over HTTP, through every status, against the contract in
 * shared/API.md: what each step answers, what the reads show afterwards, and every refusal.
 */

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const PRODUCT_FIELDS = ['id', 'sku', 'name', 'description', 'stage', 'productManagerId', 'specification', 'specificationVersion', 'revision', 'createdAt', 'updatedAt'];
const CHANGE_REQUEST_FIELDS = ['id', 'productId', 'title', 'description', 'changes', 'status', 'requesterId', 'assessment', 'decision', 'implementedAt', 'revision', 'timeline'];
const NOTIFICATION_FIELDS = ['id', 'kind', 'changeRequestId', 'outcome', 'reason', 'at'].sort();

describe('change management over HTTP', () => {
  jest.setTimeout(30_000);
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t?.close());

  const getProduct = (id: string, position?: string) => {
    const read = t.as('requester').get(`/api/products/${id}`);
    return position ? read.set('X-Min-Position', position) : read;
  };
  const getChangeRequest = (id: string, position?: string) => {
    const read = t.as('requester').get(`/api/change-requests/${id}`);
    return position ? read.set('X-Min-Position', position) : read;
  };
  const decide = (id: string, outcome: 'approved' | 'rejected', user: Parameters<TestApp['as']>[0] = 'manager') =>
    t.as(user).post(`/api/change-requests/${id}/decision`, { outcome, reason: outcome === 'approved' ? 'Worth it' : 'Too costly' });
  const implement = (id: string) => t.as('coordinator').post(`/api/change-requests/${id}/implementation`);
  const withdraw = (id: string, user: Parameters<TestApp['as']>[0] = 'requester', reason = 'No longer needed') =>
    t.as(user).post(`/api/change-requests/${id}/withdrawal`, { reason });

  describe('products', () => {
    it('registers a product in stage concept: 201 with the write answer, then a GET with every documented field and ETag', async () => {
      const sku = uniqueSku('pc');
      const created = expectWrite(
        await t.as('coordinator').post('/api/products', productBody({ sku: `  ${sku.toLowerCase()} `, name: 'Garden pump', description: 'A pump', specification: { weightKg: 2, colour: 'red', waterproof: false } })),
        201,
        { revision: 0 },
      );
      expect(created.id).toMatch(UUID);

      const read = await getProduct(created.id, created.position);
      expect(read.status).toBe(200);
      expect(read.headers.etag).toBe('"0"');
      for (const field of PRODUCT_FIELDS) expect(read.body).toHaveProperty(field);
      expect(read.body).toEqual(
        expect.objectContaining({
          id: created.id,
          sku: sku.toUpperCase(),
          name: 'Garden pump',
          description: 'A pump',
          stage: 'concept',
          productManagerId: TEST_USERS.manager.id,
          specification: { weightKg: 2, colour: 'red', waterproof: false },
          specificationVersion: 1,
          revision: 0,
          createdAt: expect.stringMatching(ISO),
          updatedAt: expect.stringMatching(ISO),
        }),
      );

      const [registered] = await auditEntries(t, { entityId: created.id });
      expect(registered).toMatchObject({ type: 'ProductRegistered', position: created.position, actor: { id: TEST_USERS.coordinator.id, roles: ['coordinator'] } });
    });

    it('refuses a second product with the same SKU, however it is cased or padded (409)', async () => {
      const sku = uniqueSku('dup');
      const first = await registerProduct(t, { sku });
      for (const variant of [sku, sku.toLowerCase(), `  ${sku} `, `\t${sku.toLowerCase()}`]) {
        const again = await t.as('coordinator').post('/api/products', productBody({ sku: variant, name: 'Another' }));
        expectProblem(again, 409, 'PRODUCT.SKU_ALREADY_REGISTERED');
      }
      const entries = await auditEntries(t, { entityId: first.id });
      expect(entries.map(({ type }) => type)).toEqual(['ProductRegistered']);
      expect((await getProduct(first.id, first.position)).body.name).toBe('Pump');
    });

    it('lets exactly one of several concurrent registrations of a SKU succeed', async () => {
      for (let round = 0; round < 5; round++) {
        const sku = uniqueSku('race');
        const variants = [sku, sku.toLowerCase(), ` ${sku} `];
        const answers = await Promise.all(variants.map((variant) => t.as('coordinator').post('/api/products', productBody({ sku: variant }))));
        const created = answers.filter(({ status }) => status === 201);
        expect(created).toHaveLength(1);
        for (const refused of answers.filter(({ status }) => status !== 201)) expectProblem(refused, 409);
        const entries = await auditEntries(t, { entityId: created[0]!.body.id });
        expect(entries.map(({ type }) => type)).toEqual(['ProductRegistered']);
      }
    });

    it('moves a product forward one stage at a time; skipping, staying or going back is a 409', async () => {
      const product = await registerProduct(t);
      const advance = (stage: string) => t.as('coordinator').post(`/api/products/${product.id}/stage`, { stage, reason: `to ${stage}` });

      expectProblem(await advance('launch'), 409, 'PRODUCT.STAGE_MUST_MOVE_FORWARD_ONE_STEP');
      expectProblem(await advance('concept'), 409, 'PRODUCT.STAGE_MUST_MOVE_FORWARD_ONE_STEP');
      expectProblem(await advance('discontinued'), 409);
      const development = expectWrite(await advance('development'), 200, { id: product.id, revision: 1 });
      expectProblem(await advance('concept'), 409);
      expectProblem(await advance('development'), 409);
      const read = await getProduct(product.id, development.position);
      expect(read.body).toMatchObject({ stage: 'development', revision: 1 });
      expect(read.headers.etag).toBe('"1"');

      let last: WriteAnswer = development;
      for (const [index, stage] of ['launch', 'growth', 'maturity', 'decline', 'discontinued'].entries()) {
        last = expectWrite(await advance(stage), 200, { revision: 2 + index });
      }
      for (const stage of ['concept', 'decline', 'discontinued']) expectProblem(await advance(stage), 409);
      expect((await getProduct(product.id, last.position)).body).toMatchObject({ stage: 'discontinued', revision: 6 });
      const stages = (await auditEntries(t, { entityId: product.id, type: 'ProductStageAdvanced' })).map(({ data }) => data.to);
      expect(stages).toEqual(['development', 'launch', 'growth', 'maturity', 'decline', 'discontinued']);

      // No change can be requested for a discontinued product.
      expectProblem(await t.as('requester').post('/api/change-requests', changeRequestBody(product.id)), 422, 'CHANGE_REQUEST.PRODUCT_DISCONTINUED');
    });

    it('refuses a change request for an unknown product with 422', async () => {
      for (const productId of [UNKNOWN_UUID, 'no-such-product']) {
        expectProblem(await t.as('requester').post('/api/change-requests', changeRequestBody(productId)), 422, 'CHANGE_REQUEST.PRODUCT_UNKNOWN');
      }
    });

    it('answers 404 for a stage change of an unknown product', async () => {
      expectProblem(await t.as('coordinator').post(`/api/products/${UNKNOWN_UUID}/stage`, { stage: 'development', reason: 'r' }), 404);
    });
  });

  describe('a request that is approved and implemented', () => {
    let product: WriteAnswer;
    let request: WriteAnswer;

    beforeAll(async () => {
      product = await registerProduct(t, { specification: { weightKg: 2, colour: 'red', waterproof: false } });
    });

    it('is submitted by a requester: 201, status submitted, the current values recorded, one timeline entry', async () => {
      request = expectWrite(
        await t.as('requester').post(
          '/api/change-requests',
          changeRequestBody(product.id, [
            { field: 'weightKg', proposedValue: 1.5 },
            { field: 'material', proposedValue: 'steel' },
          ]),
        ),
        201,
        { revision: 0 },
      );
      expect(request.id).toMatch(UUID);
      const read = await getChangeRequest(request.id, request.position);
      expect(read.status).toBe(200);
      expect(read.headers.etag).toBe('"0"');
      for (const field of CHANGE_REQUEST_FIELDS) expect(read.body).toHaveProperty(field);
      expect(read.body).toEqual(
        expect.objectContaining({
          id: request.id,
          productId: product.id,
          title: 'Lighter pump',
          description: 'Customers ask for a lighter pump',
          changes: [
            { field: 'weightKg', proposedValue: 1.5, currentValue: 2 },
            { field: 'material', proposedValue: 'steel', currentValue: null },
          ],
          status: 'submitted',
          requesterId: TEST_USERS.requester.id,
          assessment: null,
          decision: null,
          implementedAt: null,
          revision: 0,
          timeline: [{ type: 'ChangeRequestSubmitted', at: expect.stringMatching(ISO), actorId: TEST_USERS.requester.id }],
        }),
      );
      expect(Object.keys(read.body.timeline[0]).sort()).toEqual(['actorId', 'at', 'type']);
    });

    it('cannot be assessed by a requester or a product manager (403), nor presented or decided before its assessment (409)', async () => {
      expectProblem(await t.as('requester').post(`/api/change-requests/${request.id}/assessment`, assessmentBody()), 403);
      expectProblem(await t.as('manager').post(`/api/change-requests/${request.id}/assessment`, assessmentBody()), 403);
      expectProblem(await t.as('coordinator').post(`/api/change-requests/${request.id}/presentation`), 409, 'CHANGE_REQUEST.NOT_ASSESSED');
      expectProblem(await decide(request.id, 'approved'), 409, 'CHANGE_REQUEST.NOT_AWAITING_DECISION');
      expectProblem(await implement(request.id), 409, 'CHANGE_REQUEST.NOT_APPROVED');
      expect((await getChangeRequest(request.id)).body).toMatchObject({ status: 'submitted', revision: 0 });
    });

    it('is assessed by a coordinator, and the assessment may be revised until it is presented', async () => {
      const first = expectWrite(await t.as('coordinator').post(`/api/change-requests/${request.id}/assessment`, assessmentBody({ relevance: 'low' })), 200, {
        id: request.id,
        revision: 1,
      });
      expect((await getChangeRequest(request.id, first.position)).body).toMatchObject({ status: 'assessed', assessment: { relevance: 'low' } });
      const revised = expectWrite(await t.as('coordinator').post(`/api/change-requests/${request.id}/assessment`, assessmentBody()), 200, { revision: 2 });
      const read = await getChangeRequest(request.id, revised.position);
      expect(read.headers.etag).toBe('"2"');
      expect(read.body).toMatchObject({
        status: 'assessed',
        revision: 2,
        assessment: {
          relevance: 'high',
          risks: 'Weaker housing',
          benefits: 'Cheaper shipping',
          estimatedCost: { amount: 12500.5, currency: 'EUR' },
          recommendation: 'approve',
        },
      });
    });

    it('is presented to the product manager, after which it can no longer be assessed', async () => {
      const presented = expectWrite(await t.as('coordinator').post(`/api/change-requests/${request.id}/presentation`), 200, { revision: 3 });
      expect((await getChangeRequest(request.id, presented.position)).body).toMatchObject({ status: 'awaiting_decision', revision: 3 });
      expectProblem(await t.as('coordinator').post(`/api/change-requests/${request.id}/assessment`, assessmentBody()), 409, 'CHANGE_REQUEST.NOT_ASSESSABLE');
      expectProblem(await t.as('coordinator').post(`/api/change-requests/${request.id}/presentation`), 409);
    });

    it('is decided only by the product’s own manager', async () => {
      expectProblem(await decide(request.id, 'approved', 'otherManager'), 403, 'CHANGE_REQUEST.DECIDER_NOT_PRODUCT_MANAGER');
      expectProblem(await decide(request.id, 'approved', 'coordinator'), 403);
      expectProblem(await decide(request.id, 'approved', 'requester'), 403);
      expectProblem(await decide(request.id, 'approved', 'requestingManager'), 403);
      expectProblem(await implement(request.id), 409, 'CHANGE_REQUEST.NOT_APPROVED');
      const blankReason = await t.as('manager').post(`/api/change-requests/${request.id}/decision`, { outcome: 'approved', reason: '  ' });
      expect(fieldsOf(expectProblem(blankReason, 400))).toEqual(['reason']);
      const approval = expectWrite(await decide(request.id, 'approved'), 200, { id: request.id, revision: 4 });
      const read = await getChangeRequest(request.id, approval.position);
      expect(read.body).toMatchObject({
        status: 'approved',
        revision: 4,
        decision: { outcome: 'approved', reason: 'Worth it', decidedBy: TEST_USERS.manager.id, decidedAt: expect.stringMatching(ISO) },
      });
    });

    it('cannot be decided twice, nor withdrawn after the decision (409)', async () => {
      const again = expectProblem(await decide(request.id, 'approved'), 409, 'CHANGE_REQUEST.NOT_AWAITING_DECISION');
      // The request's own status travels as an extension member; the problem's status stays the HTTP status.
      expect(again).toMatchObject({ status: 409, entityStatus: 'approved', allowed: ['awaiting_decision'] });
      expectProblem(await decide(request.id, 'rejected'), 409, 'CHANGE_REQUEST.NOT_AWAITING_DECISION');
      expectProblem(await withdraw(request.id), 409, 'CHANGE_REQUEST.NOT_WITHDRAWABLE');
      expectProblem(await withdraw(request.id, 'otherRequester'), 403, 'CHANGE_REQUEST.ONLY_REQUESTER_WITHDRAWS');
      expect((await getChangeRequest(request.id)).body).toMatchObject({ status: 'approved', revision: 4 });
    });

    it('notifies the requester of the decision, once, and nobody else', async () => {
      const notifications = await notificationsOnceNotified(t, 'requester', request.id);
      const mine = notifications.filter(({ changeRequestId }) => changeRequestId === request.id);
      expect(mine).toHaveLength(1);
      expect(Object.keys(mine[0]!).sort()).toEqual(NOTIFICATION_FIELDS);
      expect(mine[0]).toEqual({ id: expect.any(String), kind: 'change_request_decided', changeRequestId: request.id, outcome: 'approved', reason: 'Worth it', at: expect.stringMatching(ISO) });
      for (const other of ['manager', 'coordinator', 'otherRequester'] as const) {
        expect((await readAll<Notification>(t, other, '/api/me/notifications')).filter(({ changeRequestId }) => changeRequestId === request.id)).toEqual([]);
      }
      const notified = (await auditEntries(t, { type: 'ApplicantNotified' })).filter(({ data }) => data.changeRequestId === request.id);
      expect(notified).toHaveLength(1);
      expect(notified[0]!.data).toMatchObject({ recipientId: TEST_USERS.requester.id, outcome: 'approved' });
    });

    it('is implemented: the product’s specification is amended as requested, recorded with the request’s id', async () => {
      const before = (await auditEntries(t, { entityId: product.id })).length;
      const implementation = expectWrite(await implement(request.id), 200, { id: request.id, revision: 5 });

      const changeRequest = await getChangeRequest(request.id, implementation.position);
      expect(changeRequest.headers.etag).toBe('"5"');
      expect(changeRequest.body).toMatchObject({ status: 'implemented', revision: 5, implementedAt: expect.stringMatching(ISO) });
      const timeline = changeRequest.body.timeline as { type: string; at: string; actorId: string }[];
      expect(timeline.map(({ type, actorId }) => [type, actorId])).toEqual([
        ['ChangeRequestSubmitted', TEST_USERS.requester.id],
        ['ChangeRequestAssessed', TEST_USERS.coordinator.id],
        ['ChangeRequestAssessed', TEST_USERS.coordinator.id],
        ['ChangeRequestPresented', TEST_USERS.coordinator.id],
        ['ChangeRequestApproved', TEST_USERS.manager.id],
        ['ChangeRequestImplemented', TEST_USERS.coordinator.id],
      ]);
      expect(timeline.map(({ at }) => at)).toEqual(timeline.map(({ at }) => at).sort());

      const amendedProduct = await getProduct(product.id, implementation.position);
      expect(amendedProduct.headers.etag).toBe('"1"');
      expect(amendedProduct.body).toMatchObject({
        specification: { weightKg: 1.5, colour: 'red', waterproof: false, material: 'steel' },
        specificationVersion: 2,
        revision: 1,
      });

      const entries = await auditEntries(t, { entityId: product.id });
      expect(entries).toHaveLength(before + 1);
      const amendment = entries.at(-1)!;
      expect(amendment).toMatchObject({
        type: 'ProductSpecificationAmended',
        actor: { id: TEST_USERS.coordinator.id },
        data: {
          productId: product.id,
          changeRequestId: request.id,
          specificationVersion: 2,
          amendments: [
            { field: 'weightKg', before: 2, after: 1.5 },
            { field: 'material', before: null, after: 'steel' },
          ],
        },
      });
      const implemented = await auditEntries(t, { entityId: request.id, type: 'ChangeRequestImplemented' });
      expect(implemented).toHaveLength(1);
      expect(implemented[0]!.data).toMatchObject({ productId: product.id, specificationVersion: 2, implementedBy: TEST_USERS.coordinator.id });
    });

    it('cannot be implemented a second time (409), and the product is amended only once', async () => {
      expectProblem(await implement(request.id), 409, 'CHANGE_REQUEST.NOT_APPROVED');
      expectProblem(await withdraw(request.id), 409);
      const entries = await auditEntries(t, { entityId: product.id });
      expect(entries.filter(({ type }) => type === 'ProductSpecificationAmended')).toHaveLength(1);
      expect((await getProduct(product.id)).body).toMatchObject({ specificationVersion: 2, revision: 1 });
      expect((await auditEntries(t, { entityId: request.id })).map(({ type }) => type)).toEqual([
        'ChangeRequestSubmitted',
        'ChangeRequestAssessed',
        'ChangeRequestAssessed',
        'ChangeRequestPresented',
        'ChangeRequestApproved',
        'ChangeRequestImplemented',
      ]);
    });

    it('grows the specification version with each implemented request', async () => {
      const next = await submitChangeRequest(t, product.id, [{ field: 'colour', proposedValue: 'green' }], 'otherRequester');
      await approved(t, next.id);
      const implementation = expectWrite(await implement(next.id), 200);
      expect((await getProduct(product.id, implementation.position)).body).toMatchObject({
        specification: { weightKg: 1.5, colour: 'green', waterproof: false, material: 'steel' },
        specificationVersion: 3,
        revision: 2,
      });
    });
  });

  describe('a request that is rejected', () => {
    it('ends rejected: never implemented, never withdrawn, decided once, and the requester is told (newest first)', async () => {
      const product = await registerProduct(t);
      const approvedEarlier = await submitChangeRequest(t, product.id);
      await approved(t, approvedEarlier.id);
      await notificationsOnceNotified(t, 'requester', approvedEarlier.id);

      const request = await submitChangeRequest(t, product.id, [{ field: 'colour', proposedValue: 'blue' }]);
      await bringToDecision(t, request.id);
      const rejection = expectWrite(await decide(request.id, 'rejected'), 200, { revision: 3 });
      const read = await getChangeRequest(request.id, rejection.position);
      expect(read.body).toMatchObject({
        status: 'rejected',
        decision: { outcome: 'rejected', reason: 'Too costly', decidedBy: TEST_USERS.manager.id },
        implementedAt: null,
      });
      expectProblem(await implement(request.id), 409, 'CHANGE_REQUEST.NOT_APPROVED');
      expectProblem(await decide(request.id, 'approved'), 409);
      expectProblem(await withdraw(request.id), 409, 'CHANGE_REQUEST.NOT_WITHDRAWABLE');
      expect((await getProduct(product.id)).body).toMatchObject({ specificationVersion: 1, specification: { colour: 'red' } });

      const notifications = await notificationsOnceNotified(t, 'requester', request.id);
      expect(notifications.filter(({ changeRequestId }) => changeRequestId === request.id)).toHaveLength(1);
      expect(notifications.filter(({ changeRequestId }) => changeRequestId === approvedEarlier.id)).toHaveLength(1);
      expect(notifications[0]).toEqual({ id: expect.any(String), kind: 'change_request_decided', changeRequestId: request.id, outcome: 'rejected', reason: 'Too costly', at: expect.stringMatching(ISO) });
      const times = notifications.map(({ at }) => at);
      expect(times).toEqual([...times].sort().reverse());
      expect(new Set(notifications.map(({ id }) => id)).size).toBe(notifications.length);
    });
  });

  describe('a request that is withdrawn', () => {
    it('is withdrawn only by its requester, and then goes nowhere', async () => {
      const product = await registerProduct(t);
      const request = await submitChangeRequest(t, product.id);
      expectProblem(await withdraw(request.id, 'otherRequester'), 403, 'CHANGE_REQUEST.ONLY_REQUESTER_WITHDRAWS');
      expectProblem(await withdraw(request.id, 'coordinator'), 403);
      expectProblem(await withdraw(request.id, 'manager'), 403);
      expect(fieldsOf(expectProblem(await withdraw(request.id, 'requester', '   '), 400, 'REQUEST.INVALID'))).toEqual(['reason']);
      const withdrawal = expectWrite(await withdraw(request.id), 200, { id: request.id, revision: 1 });
      const read = await getChangeRequest(request.id, withdrawal.position);
      expect(read.body).toMatchObject({ status: 'withdrawn', revision: 1, decision: null });
      expect(read.body.timeline.map(({ type, actorId }: { type: string; actorId: string }) => [type, actorId])).toEqual([
        ['ChangeRequestSubmitted', TEST_USERS.requester.id],
        ['ChangeRequestWithdrawn', TEST_USERS.requester.id],
      ]);
      expectProblem(await withdraw(request.id), 409, 'CHANGE_REQUEST.NOT_WITHDRAWABLE');
      expectProblem(await t.as('coordinator').post(`/api/change-requests/${request.id}/assessment`, assessmentBody()), 409);
      expectProblem(await t.as('coordinator').post(`/api/change-requests/${request.id}/presentation`), 409);
      expectProblem(await decide(request.id, 'approved'), 409);
      expectProblem(await implement(request.id), 409);
    });

    it('may be withdrawn while it awaits the decision, and then cannot be decided', async () => {
      const product = await registerProduct(t);
      const request = await submitChangeRequest(t, product.id);
      await bringToDecision(t, request.id);
      expectWrite(await withdraw(request.id), 200, { revision: 3 });
      expectProblem(await decide(request.id, 'approved'), 409, 'CHANGE_REQUEST.NOT_AWAITING_DECISION');
    });
  });

  describe('a requester who also manages the product', () => {
    it('is refused (403) when deciding their own request, but decides other people’s', async () => {
      const product = await registerProduct(t, { productManagerId: TEST_USERS.requestingManager.id });
      const own = await submitChangeRequest(t, product.id, undefined, 'requestingManager');
      await bringToDecision(t, own.id);
      for (const outcome of ['approved', 'rejected'] as const) expectProblem(await decide(own.id, outcome, 'requestingManager'), 403, 'CHANGE_REQUEST.REQUESTER_CANNOT_DECIDE');
      expectProblem(await decide(own.id, 'approved', 'manager'), 403, 'CHANGE_REQUEST.DECIDER_NOT_PRODUCT_MANAGER');
      expect((await getChangeRequest(own.id)).body).toMatchObject({ status: 'awaiting_decision', decision: null, revision: 2 });

      const someoneElses = await submitChangeRequest(t, product.id, [{ field: 'colour', proposedValue: 'black' }], 'requester');
      await bringToDecision(t, someoneElses.id);
      expectWrite(await decide(someoneElses.id, 'approved', 'requestingManager'), 200);
    });
  });

  describe('implementing over a conflicting change', () => {
    it('refuses (409 naming the field) when a field it changes was changed by another implemented request after submission', async () => {
      const product = await registerProduct(t, { specification: { weightKg: 2, colour: 'red' } });
      const first = await submitChangeRequest(t, product.id, [{ field: 'colour', proposedValue: 'blue' }]);
      const second = await submitChangeRequest(t, product.id, [
        { field: 'weightKg', proposedValue: 3 },
        { field: 'colour', proposedValue: 'green' },
      ], 'otherRequester');
      const untouched = await submitChangeRequest(t, product.id, [{ field: 'weightKg', proposedValue: 4 }]);
      await approved(t, first.id);
      const secondApproval = await approved(t, second.id);
      await approved(t, untouched.id);

      const firstDone = expectWrite(await implement(first.id), 200);
      const productBefore = (await getProduct(product.id, firstDone.position)).body;
      expect(productBefore).toMatchObject({ specification: { weightKg: 2, colour: 'blue' }, specificationVersion: 2 });
      const auditBefore = await auditEntries(t, { entityId: product.id });

      const refused = expectProblem(await implement(second.id), 409, 'PRODUCT.SPECIFICATION_CHANGED_SINCE_REQUEST');
      expect(refused.detail).toContain('colour');
      expect(refused.detail).not.toContain('weightKg');
      expect(refused.fields).toEqual(['colour']);

      const secondAfter = await getChangeRequest(second.id);
      expect(secondAfter.body).toMatchObject({ status: 'approved', revision: secondApproval.revision, implementedAt: null });
      expect(secondAfter.headers.etag).toBe(`"${secondApproval.revision}"`);
      expect(await auditEntries(t, { entityId: product.id })).toEqual(auditBefore);
      expect((await getProduct(product.id)).body).toEqual(productBefore);

      // A request touching only fields nobody changed since it was submitted still goes through.
      const untouchedDone = expectWrite(await implement(untouched.id), 200);
      expect((await getProduct(product.id, untouchedDone.position)).body).toMatchObject({ specification: { weightKg: 4, colour: 'blue' }, specificationVersion: 3 });
      // And a request submitted after the change, on the new version, may change the same field.
      const later = await submitChangeRequest(t, product.id, [{ field: 'colour', proposedValue: 'white' }]);
      await approved(t, later.id);
      const laterDone = expectWrite(await implement(later.id), 200);
      expect((await getProduct(product.id, laterDone.position)).body).toMatchObject({ specification: { weightKg: 4, colour: 'white' }, specificationVersion: 4 });
    });
  });

  describe('unknown change requests', () => {
    it('answers 404 to every command on an unknown id, uuid or not', async () => {
      for (const id of [UNKNOWN_UUID, 'not-a-uuid']) {
        expectProblem(await t.as('coordinator').post(`/api/change-requests/${id}/assessment`, assessmentBody()), 404);
        expectProblem(await t.as('coordinator').post(`/api/change-requests/${id}/presentation`), 404);
        expectProblem(await decide(id, 'approved'), 404);
        expectProblem(await implement(id), 404);
        expectProblem(await withdraw(id), 404);
        expectProblem(await getChangeRequest(id), 404);
      }
    });
  });
});
