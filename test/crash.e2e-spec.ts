import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { ensureCompiledApi, startServer, type HttpAnswer, type ServerProcess } from './support/server-process';
import { TEST_USERS, writeTestUsersFile, type TestUser } from './support/test-users';

/**
 * The compiled server as a child process, SIGKILLed in the middle of a burst of concurrent writes
 * (submissions, assessments and decisions, so the notification process is mid-flight), then
 * restarted on the same DATA_DIR. Every acknowledged write must be there, exactly once, in the
 * event store and in every read model, and each decision notified exactly once.
 */

const BURST_SUBMISSIONS = 280;
const PREPARED_FOR_DECISION = 24;
const IN_FLIGHT = 24;
const KILL_AFTER_ACKNOWLEDGEMENTS = 150;

interface StoredEvent {
  position: number;
  streamId: string;
  revision: number;
  eventId: string;
  type: string;
  data: Record<string, any>;
}

type Operation =
  | { kind: 'submit'; user: TestUser; productId: string; assessAfterwards: boolean }
  | { kind: 'assess'; changeRequestId: string }
  | { kind: 'decide'; changeRequestId: string; outcome: 'approved' | 'rejected' };

interface Acknowledgement {
  readonly operation: Operation;
  readonly id: string;
  readonly revision: number;
  readonly position: string;
}

const auth = (user: TestUser) => ({ Authorization: `Bearer ${TEST_USERS[user].apiKey}` });

function readEventStore(dataDir: string): StoredEvent[] {
  const db = new Database(join(dataDir, 'events.sqlite'), { readonly: true, fileMustExist: true });
  try {
    const rows = db
      .prepare('SELECT position, stream_id AS streamId, revision, event_id AS eventId, type, data FROM events ORDER BY position')
      .all() as Array<Omit<StoredEvent, 'data'> & { data: string }>;
    return rows.map((row) => ({ ...row, data: JSON.parse(row.data) }));
  } finally {
    db.close();
  }
}

async function until<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('crash: SIGKILL in the middle of a burst of writes, then restart on the same DATA_DIR', () => {
  jest.setTimeout(60_000);

  const dataDir = mkdtempSync(join(tmpdir(), 'pc-crash-'));
  const usersFile = writeTestUsersFile(dataDir);
  const env = { DATA_DIR: dataDir, AUTH_USERS_FILE: usersFile, PROJECTOR_LEASE_TTL_MS: '1000', MIN_POSITION_WAIT_MS: '10000' };
  const servers: ServerProcess[] = [];
  let entry: string;

  const acknowledged: Acknowledgement[] = [];
  const refused: Array<{ operation: Operation; answer: HttpAnswer }> = [];
  let lostInFlight = 0;
  let killedAfter = 0;

  beforeAll(async () => {
    entry = ensureCompiledApi();
  }, 240_000);

  afterAll(async () => {
    await Promise.all(servers.map((server) => server.kill('SIGKILL')));
    rmSync(dataDir, { recursive: true, force: true });
  });

  const start = async () => {
    const server = await startServer(entry, env);
    servers.push(server);
    await server.ready();
    return server;
  };

  const write = async (server: ServerProcess, user: TestUser, path: string, body: unknown) => {
    const answer = await server.http('POST', path, { headers: auth(user), body });
    if (answer.status >= 300) throw new Error(`POST ${path} as ${user}: ${answer.status} ${JSON.stringify(answer.body)}`);
    return answer.body as { id: string; revision: number; position: string };
  };
  const assessment = { relevance: 'medium', risks: 'r', benefits: 'b', estimatedCost: { amount: 10, currency: 'EUR' }, recommendation: 'approve' };
  const submission = (productId: string, index: number) => ({
    productId,
    title: `Change ${index}`,
    description: 'burst',
    changes: [{ field: `field${index % 7}`, proposedValue: index }],
  });

  it('acknowledges writes until it is killed', async () => {
    const first = await start();

    // Before the burst: products, and requests waiting for the manager's decision.
    const products: string[] = [];
    for (let i = 0; i < 4; i++) {
      const sku = `CRASH-${i}-${Date.now()}`;
      products.push((await write(first, 'coordinator', '/api/products', { sku, name: sku, productManagerId: TEST_USERS.manager.id, specification: { weightKg: i } })).id);
    }
    const awaitingDecision: string[] = [];
    await Promise.all(
      Array.from({ length: 4 }, async (_, lane) => {
        for (let i = lane; i < PREPARED_FOR_DECISION; i += 4) {
          const { id } = await write(first, i % 2 ? 'otherRequester' : 'requester', '/api/change-requests', submission(products[i % products.length]!, i));
          await write(first, 'coordinator', `/api/change-requests/${id}/assessment`, assessment);
          await write(first, 'coordinator', `/api/change-requests/${id}/presentation`, {});
          awaitingDecision.push(id);
        }
      }),
    );

    // The burst: submissions (some assessed as soon as acknowledged), with the decisions spread among them.
    const queue: Operation[] = [];
    for (let i = 0; i < BURST_SUBMISSIONS; i++) {
      queue.push({ kind: 'submit', user: i % 3 === 0 ? 'otherRequester' : 'requester', productId: products[i % products.length]!, assessAfterwards: i % 3 === 1 });
      if (i % 8 === 3 && awaitingDecision.length > 0) queue.push({ kind: 'decide', changeRequestId: awaitingDecision.pop()!, outcome: i % 16 === 3 ? 'approved' : 'rejected' });
    }
    while (awaitingDecision.length > 0) queue.push({ kind: 'decide', changeRequestId: awaitingDecision.pop()!, outcome: 'approved' });
    const planned = queue.length;

    let killed: Promise<void> | null = null;
    const perform = async (operation: Operation, index: number): Promise<HttpAnswer> => {
      switch (operation.kind) {
        case 'submit':
          return first.http('POST', '/api/change-requests', { headers: auth(operation.user), body: submission(operation.productId, 1000 + index) });
        case 'assess':
          return first.http('POST', `/api/change-requests/${operation.changeRequestId}/assessment`, { headers: auth('coordinator'), body: assessment });
        case 'decide':
          return first.http('POST', `/api/change-requests/${operation.changeRequestId}/decision`, {
            headers: auth('manager'),
            body: { outcome: operation.outcome, reason: `burst ${operation.outcome}` },
          });
      }
    };
    let next = 0;
    /** Assessments of requests acknowledged during the burst, taken before the rest of the queue. */
    const followUps: Operation[] = [];
    // Workers keep sending after the kill until their own request goes unanswered: with group commit, the
    // requests in flight at the kill may all have been answered already, so stopping at the kill could lose none.
    const worker = async () => {
      while (followUps.length > 0 || next < queue.length) {
        const index = next;
        const operation = followUps.shift() ?? queue[next++]!;
        let answer: HttpAnswer;
        try {
          answer = await perform(operation, index);
        } catch (error) {
          if (!killed) throw error;
          lostInFlight++;
          return;
        }
        if (answer.status >= 200 && answer.status < 300) {
          acknowledged.push({ operation, id: answer.body.id, revision: answer.body.revision, position: answer.body.position });
          if (operation.kind === 'submit' && operation.assessAfterwards) followUps.push({ kind: 'assess', changeRequestId: answer.body.id });
          if (!killed && acknowledged.length >= KILL_AFTER_ACKNOWLEDGEMENTS) {
            killedAfter = acknowledged.length;
            killed = first.kill('SIGKILL');
          }
        } else {
          refused.push({ operation, answer });
        }
      }
    };
    await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
    await killed;

    expect(killedAfter).toBeGreaterThanOrEqual(KILL_AFTER_ACKNOWLEDGEMENTS);
    expect(acknowledged.length).toBeLessThan(planned);
    expect(lostInFlight).toBeGreaterThan(0);
    // Answers given before the kill were all successes: nothing was refused, nothing failed.
    expect(refused.map(({ answer }) => `${answer.status} ${JSON.stringify(answer.body)}`)).toEqual([]);
    expect(acknowledged.some(({ operation }) => operation.kind === 'decide')).toBe(true);
    expect(acknowledged.some(({ operation }) => operation.kind === 'assess')).toBe(true);
    expect(first.child.signalCode).toBe('SIGKILL');
  });

  describe('after a restart on the same DATA_DIR', () => {
    let server: ServerProcess;
    let events: StoredEvent[];
    let highestAcknowledged: string;

    beforeAll(async () => {
      expect(acknowledged.length).toBeGreaterThan(0);
      server = await start();
      highestAcknowledged = acknowledged.map(({ position }) => position).sort().at(-1)!;
      // Converged: every decision notified (the process replays from its checkpoint), and the read models at the head.
      events = await until(
        async () => {
          const stored = readEventStore(dataDir);
          const decisions = stored.filter(({ type }) => type === 'ChangeRequestApproved' || type === 'ChangeRequestRejected').length;
          const notified = stored.filter(({ type }) => type === 'ApplicantNotified').length;
          if (notified < decisions) return undefined;
          const health = await server.http('GET', '/health');
          const head = String(stored.at(-1)!.position).padStart(16, '0');
          return health.body.projectionLag === 0 && health.body.headPosition === head ? stored : undefined;
        },
        'the processes and projections to converge',
        30_000,
      );
    });

    it('has stored every acknowledged write, at the position it was acknowledged with', () => {
      const byPosition = new Map(events.map((event) => [String(event.position).padStart(16, '0'), event]));
      for (const { operation, id, revision, position } of acknowledged) {
        const event = byPosition.get(position);
        expect(event).toBeDefined();
        expect(event).toMatchObject({ streamId: `change-request-${id}`, revision });
        const expectedType = { submit: 'ChangeRequestSubmitted', assess: 'ChangeRequestAssessed', decide: operation.kind === 'decide' && operation.outcome === 'approved' ? 'ChangeRequestApproved' : 'ChangeRequestRejected' }[operation.kind];
        expect(event!.type).toBe(expectedType);
      }
      expect(new Set(events.map(({ eventId }) => eventId)).size).toBe(events.length);
    });

    it('serves every acknowledged change request, in the state its acknowledged writes left it', async () => {
      const submitted = acknowledged.filter(({ operation }) => operation.kind === 'submit');
      const assessedIds = new Set(acknowledged.filter(({ operation }) => operation.kind === 'assess').map(({ id }) => id));
      for (const { id, position } of submitted) {
        const read = await server.http('GET', `/api/change-requests/${id}`, { headers: { ...auth('auditor'), 'X-Min-Position': highestAcknowledged } });
        expect(read.status).toBe(200);
        if (assessedIds.has(id)) expect(read.body.status).toBe('assessed');
        expect(position <= highestAcknowledged).toBe(true);
      }
      for (const { operation, id } of acknowledged) {
        if (operation.kind !== 'decide') continue;
        const read = await server.http('GET', `/api/change-requests/${id}`, { headers: { ...auth('auditor'), 'X-Min-Position': highestAcknowledged } });
        expect(read.body.status).toBe(operation.outcome);
      }
    });

    it('reports no projection lag, and an audit entry for each stored event, once', async () => {
      const health = await server.http('GET', '/health');
      expect(health.status).toBe(200);
      expect(health.body).toMatchObject({ status: 'ok', projectionLag: 0 });

      const entries: Array<{ position: string; eventId: string }> = [];
      let cursor: string | null = null;
      do {
        const query = `limit=200${cursor ? `&cursor=${cursor}` : ''}`;
        const page: HttpAnswer = await server.http('GET', `/api/audit?${query}`, { headers: auth('auditor') });
        expect(page.status).toBe(200);
        entries.push(...page.body.items);
        cursor = page.body.nextCursor;
      } while (cursor);
      expect(entries).toHaveLength(events.length);
      expect(entries.map(({ eventId }) => eventId)).toEqual(events.map(({ eventId }) => eventId));
      expect(entries.map(({ position }) => position)).toEqual(events.map(({ position }) => String(position).padStart(16, '0')));
    });

    it('lists each change request once, and each timeline holds each of its events once', async () => {
      const listed: Array<{ id: string; revision: number }> = [];
      let cursor: string | null = null;
      do {
        const page: HttpAnswer = await server.http('GET', `/api/change-requests?limit=200${cursor ? `&cursor=${cursor}` : ''}`, { headers: auth('coordinator') });
        expect(page.status).toBe(200);
        listed.push(...page.body.items);
        cursor = page.body.nextCursor;
      } while (cursor);
      const ids = listed.map(({ id }) => id);
      expect(new Set(ids).size).toBe(ids.length);
      const submittedIds = events.filter(({ type }) => type === 'ChangeRequestSubmitted').map(({ data }) => data.changeRequestId as string);
      expect([...ids].sort()).toEqual([...submittedIds].sort());

      const streams = new Map<string, StoredEvent[]>();
      for (const event of events) if (event.streamId.startsWith('change-request-')) streams.set(event.streamId, [...(streams.get(event.streamId) ?? []), event]);
      const details = await Promise.all(ids.map((id) => server.http('GET', `/api/change-requests/${id}`, { headers: auth('coordinator') })));
      for (const read of details) {
        expect(read.status).toBe(200);
        const stream = streams.get(`change-request-${read.body.id}`)!;
        expect(read.body.revision).toBe(stream.length - 1);
        expect(read.body.timeline.map(({ type }: { type: string }) => type)).toEqual(stream.map(({ type }) => type));
        const entries = read.body.timeline.map((entry: unknown) => JSON.stringify(entry));
        expect(new Set(entries).size).toBe(entries.length);
      }
    });

    it('has notified each decision exactly once, to its requester', async () => {
      const decisions = events.filter(({ type }) => type === 'ChangeRequestApproved' || type === 'ChangeRequestRejected');
      const notified = events.filter(({ type }) => type === 'ApplicantNotified');
      expect(decisions.length).toBeGreaterThan(0);
      expect(notified.map(({ data }) => data.changeRequestId).sort()).toEqual(decisions.map(({ data }) => data.changeRequestId).sort());

      for (const user of ['requester', 'otherRequester'] as const) {
        const items: Array<{ changeRequestId: string; outcome: string }> = [];
        let cursor: string | null = null;
        do {
          const page: HttpAnswer = await server.http('GET', `/api/me/notifications?limit=200${cursor ? `&cursor=${cursor}` : ''}`, { headers: auth(user) });
          expect(page.status).toBe(200);
          items.push(...page.body.items);
          cursor = page.body.nextCursor;
        } while (cursor);
        const expected = decisions.filter(({ data }) => data.requesterId === TEST_USERS[user].id);
        expect(items.map(({ changeRequestId }) => changeRequestId).sort()).toEqual(expected.map(({ data }) => data.changeRequestId).sort());
        for (const decision of expected) {
          const item = items.find(({ changeRequestId }) => changeRequestId === decision.data.changeRequestId)!;
          expect(item.outcome).toBe(decision.type === 'ChangeRequestApproved' ? 'approved' : 'rejected');
        }
      }
    });

    it('goes on accepting writes after the crash', async () => {
      const product = events.find(({ type }) => type === 'ProductRegistered')!.data.productId as string;
      const answer = await server.http('POST', '/api/change-requests', { headers: auth('requester'), body: submission(product, 99_999) });
      expect(answer.status).toBe(201);
      const read = await server.http('GET', `/api/change-requests/${answer.body.id}`, { headers: { ...auth('requester'), 'X-Min-Position': answer.body.position } });
      expect(read.body).toMatchObject({ status: 'submitted', revision: 0 });
      expect(lostInFlight + acknowledged.length).toBeGreaterThan(0);
    });
  });
});
