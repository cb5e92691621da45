import { startTestApp, type TestApp } from './support/test-app';
import { TEST_USERS } from './support/test-users';
let t: TestApp;
beforeAll(async () => { t = await startTestApp({}, ); });
afterAll(async () => t.close());
const show = (label: string, r: any) => console.log(label, r.status, r.headers['content-type'], JSON.stringify(r.body).slice(0, 400));
it('probes', async () => {
  const auth = `Bearer ${TEST_USERS.coordinator.apiKey}`;
  const srv = t.app.getHttpServer();
  const request = require('supertest');
  for (const depth of [100, 1000, 3000]) {
  show('deep'+depth, await request(srv).post('/api/products').set('Authorization', auth).set('Content-Type', 'application/json').send('['.repeat(depth) + ']'.repeat(depth)));
  show('deepobj'+depth, await request(srv).post('/api/products').set('Authorization', auth).set('Content-Type', 'application/json').send('{"sku":'.repeat(depth) + '1' + '}'.repeat(depth)));
  show('deepspec'+depth, await request(srv).post('/api/products').set('Authorization', auth).set('Content-Type', 'application/json').send('{"sku":"d1","name":"n","productManagerId":"u-max","specification":' + '{"a":'.repeat(depth) + '1' + '}'.repeat(depth+1)));
  show('deepwithdraw'+depth, await request(srv).post('/api/change-requests/00000000-0000-4000-8000-000000000000/presentation').set('Authorization', auth).set('Content-Type', 'application/json').set('Idempotency-Key','k').send('{"x":'.repeat(depth) + '1' + '}'.repeat(depth)));
  }
}, 30000);
