import { randomUUID } from 'node:crypto';
import type { Response } from 'supertest';
import type { TestApp } from './test-app';
import { TEST_USERS, type TestUser } from './test-users';

/** Helpers for the HTTP e2e suites: fixtures that walk the workflow, and the checks every answer must pass. */

export const UNKNOWN_UUID = '00000000-0000-4000-8000-000000000000';

export interface WriteAnswer {
  readonly id: string;
  readonly revision: number;
  readonly position: string;
}

/** Asserts the documented write answer `{ id, revision, position }` with the given status, and returns it. */
export function expectWrite(response: Response, status: 200 | 201, expected: { id?: string; revision?: number } = {}): WriteAnswer {
  if (response.status !== status) throw new Error(`expected ${status}, got ${response.status}: ${JSON.stringify(response.body)}`);
  expect(response.headers['content-type']).toMatch(/^application\/json/);
  expect(Object.keys(response.body).sort()).toEqual(['id', 'position', 'revision']);
  expect(response.body).toEqual({ id: expect.any(String), revision: expect.any(Number), position: expect.stringMatching(/^\d+$/) });
  if (expected.id !== undefined) expect(response.body.id).toBe(expected.id);
  if (expected.revision !== undefined) expect(response.body.revision).toBe(expected.revision);
  return response.body as WriteAnswer;
}

/** Asserts an RFC 9457 problem with the given status: content type and the four members, `errors` when present. */
export function expectProblem(response: Response, status: number, code?: string): Record<string, unknown> {
  if (response.status !== status) throw new Error(`expected ${status}, got ${response.status}: ${JSON.stringify(response.body)}`);
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  const body = JSON.parse(response.text) as Record<string, unknown>;
  expect(body).toMatchObject({ type: expect.any(String), title: expect.any(String), status, detail: expect.any(String) });
  expect((body.title as string).length).toBeGreaterThan(0);
  expect((body.detail as string).length).toBeGreaterThan(0);
  if (code !== undefined) expect(body.code).toBe(code);
  if (body.errors !== undefined) {
    expect(Array.isArray(body.errors)).toBe(true);
    for (const entry of body.errors as unknown[]) expect(entry).toEqual({ field: expect.any(String), messages: expect.arrayContaining([expect.any(String)]) });
  }
  return body;
}

/** The fields a 400's `errors` names. */
export const fieldsOf = (problem: Record<string, unknown>): string[] => ((problem.errors as { field: string }[] | undefined) ?? []).map(({ field }) => field);

export const uniqueSku = (prefix = 'SKU'): string => `${prefix}-${randomUUID().slice(0, 12)}`;

export interface ProductInput {
  sku?: string;
  name?: string;
  description?: string;
  productManagerId?: string;
  specification?: Record<string, string | number | boolean>;
}

export const productBody = (input: ProductInput = {}) => ({
  sku: input.sku ?? uniqueSku(),
  name: input.name ?? 'Pump',
  ...(input.description !== undefined ? { description: input.description } : {}),
  productManagerId: input.productManagerId ?? TEST_USERS.manager.id,
  specification: input.specification ?? { weightKg: 2, colour: 'red', waterproof: false },
});

export async function registerProduct(t: TestApp, input: ProductInput = {}): Promise<WriteAnswer> {
  return expectWrite(await t.as('coordinator').post('/api/products', productBody(input)), 201, { revision: 0 });
}

export const changeRequestBody = (productId: string, changes: { field: string; proposedValue: string | number | boolean }[] = [{ field: 'weightKg', proposedValue: 1.5 }]) => ({
  productId,
  title: 'Lighter pump',
  description: 'Customers ask for a lighter pump',
  changes,
  justification: 'Shipping costs',
});

export async function submitChangeRequest(
  t: TestApp,
  productId: string,
  changes?: { field: string; proposedValue: string | number | boolean }[],
  as: TestUser = 'requester',
): Promise<WriteAnswer> {
  return expectWrite(await t.as(as).post('/api/change-requests', changeRequestBody(productId, changes)), 201, { revision: 0 });
}

export const assessmentBody = (overrides: Record<string, unknown> = {}) => ({
  relevance: 'high',
  risks: 'Weaker housing',
  benefits: 'Cheaper shipping',
  estimatedCost: { amount: 12500.5, currency: 'EUR' },
  recommendation: 'approve',
  ...overrides,
});

/** Assesses and presents a submitted request: it then awaits the product manager's decision. */
export async function bringToDecision(t: TestApp, changeRequestId: string): Promise<WriteAnswer> {
  expectWrite(await t.as('coordinator').post(`/api/change-requests/${changeRequestId}/assessment`, assessmentBody()), 200);
  return expectWrite(await t.as('coordinator').post(`/api/change-requests/${changeRequestId}/presentation`), 200);
}

export async function approved(t: TestApp, changeRequestId: string, manager: TestUser = 'manager'): Promise<WriteAnswer> {
  await bringToDecision(t, changeRequestId);
  return expectWrite(await t.as(manager).post(`/api/change-requests/${changeRequestId}/decision`, { outcome: 'approved', reason: 'Worth it' }), 200);
}

/** Retries a probe until it yields a value, failing after a deadline: the alternative to sleeping. */
export async function poll<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Walks a list endpoint page by page (`limit`, `nextCursor`), returning every item in order. */
export async function readAll<T = Record<string, unknown>>(
  t: TestApp,
  user: TestUser,
  path: string,
  query: Record<string, string | number> = {},
  headers: Record<string, string> = {},
): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 10_000; page++) {
    const response: Response = await t
      .as(user)
      .get(path)
      .query({ limit: 200, ...query, ...(cursor ? { cursor } : {}) })
      .set(headers);
    if (response.status !== 200) throw new Error(`GET ${path}: ${response.status} ${JSON.stringify(response.body)}`);
    items.push(...(response.body.items as T[]));
    cursor = response.body.nextCursor;
    if (cursor === null) return items;
  }
  throw new Error(`${path} never ended`);
}

/** The event store's head as /health reports it: reading after it sees everything written so far. */
export async function headPosition(t: TestApp): Promise<string | null> {
  const health = await t.anonymous().get('/health');
  expect(health.status).toBe(200);
  return health.body.headPosition;
}

export interface AuditEntry {
  position: string;
  eventId: string;
  type: string;
  streamId: string;
  entityId: string;
  revision: number;
  actor: { id: string; roles: string[] };
  recordedAt: string;
  correlationId: string;
  causationId: string | null;
  data: Record<string, unknown>;
}

/** Audit entries matching the query, read once the projections include every event stored so far. */
export async function auditEntries(t: TestApp, query: Record<string, string> = {}): Promise<AuditEntry[]> {
  const head = await headPosition(t);
  return readAll<AuditEntry>(t, 'auditor', '/api/audit', query, head ? { 'X-Min-Position': head } : {});
}

export interface Notification {
  id: string;
  kind: string;
  changeRequestId: string;
  outcome: string;
  reason: string;
  at: string;
}

/** Waits until the decision on a request has been notified to `user`, then returns all their notifications. */
export async function notificationsOnceNotified(t: TestApp, user: TestUser, changeRequestId: string): Promise<Notification[]> {
  return poll(async () => {
    const items = await readAll<Notification>(t, user, '/api/me/notifications');
    return items.some((item) => item.changeRequestId === changeRequestId) ? items : undefined;
  }, `the notification of ${changeRequestId} to ${user}`);
}
