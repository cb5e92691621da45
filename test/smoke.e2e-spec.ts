import { startTestApp, type TestApp } from './support/test-app';

describe('smoke', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t.close());

  it('runs the workflow', async () => {
    const product = await t.as('coordinator').post('/api/products', { sku: 'pc-1', name: 'Pump', productManagerId: 'u-max', specification: { weightKg: 2, colour: 'red' } });
    expect(product.status).toBe(201);
    const cr = await t.as('requester').post('/api/change-requests', { productId: product.body.id, title: 'Lighter', description: 'd', changes: [{ field: 'weightKg', proposedValue: 1.5 }] });
    expect(cr.status).toBe(201);
    const id = cr.body.id;
    expect((await t.as('coordinator').post(`/api/change-requests/${id}/assessment`, { relevance: 'high', risks: 'r', benefits: 'b', estimatedCost: { amount: 10, currency: 'EUR' }, recommendation: 'approve' })).status).toBe(200);
    expect((await t.as('coordinator').post(`/api/change-requests/${id}/presentation`)).status).toBe(200);
    const decision = await t.as('manager').post(`/api/change-requests/${id}/decision`, { outcome: 'approved', reason: 'ok' });
    expect(decision.status).toBe(200);
    const impl = await t.as('coordinator').post(`/api/change-requests/${id}/implementation`);
    expect(impl.status).toBe(200);
    const read = await t.as('requester').get(`/api/change-requests/${id}`).set('X-Min-Position', impl.body.position);
    expect(read.status).toBe(200);
    expect(read.body.status).toBe('implemented');
    const p = await t.as('requester').get(`/api/products/${product.body.id}`).set('X-Min-Position', impl.body.position);
    expect(p.body.specification.weightKg).toBe(1.5);
    await new Promise((r) => setTimeout(r, 300));
    const n = await t.as('requester').get('/api/me/notifications');
    expect(n.body.items).toHaveLength(1);
    const audit = await t.as('auditor').get('/api/audit');
    console.log(JSON.stringify(audit.body.items.map((e: { type: string }) => e.type)));
  });
});
