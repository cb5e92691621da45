import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toProductStreamId } from '@pc/domain';
import { SqliteEventStore, type NewEvent } from '@pc/event-store';
import { ALL_PROJECTIONS, AUDIT_ENTRIES_COLLECTION, PRODUCTS_COLLECTION } from '@pc/projections';
import { SqliteReadStore } from '@pc/read-store';
import { assertBuilt, PROJECTOR_MAIN, startNode, until, type RunningChild } from './support/child-process';

const productRegistered = (productId: string, sku: string): NewEvent => ({
  eventId: randomUUID(),
  type: 'ProductRegistered',
  schemaVersion: 1,
  data: { productId, sku, name: sku, description: '', productManagerId: 'u-max', specification: { weightKg: 1 }, stage: 'concept', registeredAt: new Date().toISOString() },
  metadata: { actor: { id: 'u-cora', roles: ['coordinator'] }, correlationId: randomUUID(), causationId: null, occurredAt: new Date().toISOString() },
});

describe('projector replicas (two real processes on the same stores)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'pc-takeover-'));
  const env = { DATA_DIR: dataDir, AUTH_USERS_FILE: '', PROJECTOR_LEASE_TTL_MS: '1000' };
  let events: SqliteEventStore;
  let reads: SqliteReadStore;
  const replicas: RunningChild[] = [];

  beforeAll(() => {
    assertBuilt(PROJECTOR_MAIN);
    events = SqliteEventStore.open({ file: join(dataDir, 'events.sqlite') });
    reads = SqliteReadStore.open({ file: join(dataDir, 'read-models.sqlite') });
  });

  afterAll(async () => {
    await Promise.all(replicas.map((replica) => replica.kill('SIGKILL')));
    await events.close();
    await reads.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const register = async (count: number) => {
    const ids: string[] = [];
    for (let i = 0; i < count; i++) {
      const productId = randomUUID();
      await events.append(toProductStreamId(productId), [productRegistered(productId, `SKU-${productId.slice(0, 8)}`)], { expectedRevision: 'no_stream' });
      ids.push(productId);
    }
    return ids;
  };

  const projected = (ids: string[]) =>
    until(async () => ((await Promise.all(ids.map((id) => reads.get(PRODUCTS_COLLECTION, id)))).every(Boolean) ? true : undefined), 15000, 'the products to be projected');

  it('lets one replica write, and the standby take over within seconds when it is killed', async () => {
    replicas.push(startNode(PROJECTOR_MAIN, env));
    await replicas[0]!.waitForOutput(/Holding the projector lease/, 15000);
    replicas.push(startNode(PROJECTOR_MAIN, env));
    await replicas[1]!.waitForOutput(/standing by/, 15000);

    const first = await register(20);
    await projected(first);
    expect(replicas[1]!.output()).not.toMatch(/Holding the projector lease/);

    await replicas[0]!.kill('SIGKILL');
    const second = await register(20);
    // The lease lasts 1 s here: the standby must hold it well within the 10 s this allows.
    await replicas[1]!.waitForOutput(/Holding the projector lease/, 10000);
    await projected(second);

    // Every projection reaches the head (the audit index runs on a thread of its own, so it may still be behind).
    const head = await events.headPosition();
    await until(
      async () => ((await Promise.all(ALL_PROJECTIONS.map(({ name }) => reads.getCheckpoint(name)))).every((checkpoint) => checkpoint === head) ? true : undefined),
      15000,
      'every projection to reach the head',
    );
    // Nothing applied twice and nothing skipped across the handover: one audit entry per stored event.
    const stored = (await events.readAll({ limit: 100000 })).length;
    expect(await reads.count(AUDIT_ENTRIES_COLLECTION)).toBe(stored);
    expect(await reads.count(PRODUCTS_COLLECTION)).toBe(40);
  }, 60000);
});
