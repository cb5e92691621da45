import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureCompiledApi, startServer, type ServerProcess } from './support/server-process';
import { TEST_USERS, writeTestUsersFile, type TestUser } from './support/test-users';

/**
 * The compiled server as `npm start` runs it: with both stores on SQLite, the projections run on two threads of their
 * own. What is read through the read models must follow each write (X-Min-Position answers within its wait, so both
 * threads projected the event and the main thread heard of it), and a SIGTERM must end the process cleanly.
 */
describe('the projector threads of the embedded default', () => {
  jest.setTimeout(60_000);

  const dataDir = mkdtempSync(join(tmpdir(), 'pc-projector-thread-'));
  const env = { DATA_DIR: dataDir, AUTH_USERS_FILE: writeTestUsersFile(dataDir), MIN_POSITION_WAIT_MS: '3000', LOG_LEVEL: 'info' };
  let server: ServerProcess | null = null;

  beforeAll(() => {
    ensureCompiledApi();
  }, 240_000);

  afterAll(async () => {
    await server?.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  const auth = (user: TestUser) => ({ authorization: `Bearer ${TEST_USERS[user].apiKey}` });

  it('projects each write for the reads that follow it, and stops on SIGTERM', async () => {
    server = await startServer(ensureCompiledApi(), env);
    await server.ready();
    expect(server.output()).not.toContain('projections run on the main thread');

    for (let round = 0; round < 5; round++) {
      const sku = `THREAD-${round}-${Date.now()}`;
      const registered = await server.http('POST', '/api/products', {
        headers: auth('coordinator'),
        body: { sku, name: sku, productManagerId: TEST_USERS.manager.id, specification: { weightKg: round } },
      });
      expect(registered.status).toBe(201);
      const read = await server.http('GET', `/api/products/${registered.body.id}`, { headers: { ...auth('auditor'), 'X-Min-Position': registered.body.position } });
      expect(read.status).toBe(200);
      expect(read.body).toMatchObject({ id: registered.body.id, sku });
      // The audit index runs on the other projector thread: the wait covers both.
      const audit = await server.http('GET', `/api/audit?entityId=${registered.body.id}`, { headers: { ...auth('auditor'), 'X-Min-Position': registered.body.position } });
      expect(audit.status).toBe(200);
      expect(audit.body.items.map(({ type }: { type: string }) => type)).toEqual(['ProductRegistered']);
    }

    // Nest's shutdown hooks run (the projector thread finishes its batch and closes), then the signal is raised again.
    const exited = new Promise<string>((resolve) => server!.child.once('exit', (code, signal) => resolve(`exited: ${signal ?? code}`)));
    const tooSlow = new Promise<string>((resolve) => setTimeout(() => resolve('still running'), 15_000).unref());
    server.child.kill('SIGTERM');
    expect(await Promise.race([exited, tooSlow])).toBe('exited: SIGTERM');
  });
});
