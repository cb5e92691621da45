import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { createApp } from '../../apps/api/src/bootstrap';
import { loadConfig, type AppConfig } from '../../apps/api/src/config/app-config';
import { TEST_USERS, writeTestUsersFile, type TestUser } from './test-users';

export interface TestApp {
  readonly app: INestApplication;
  readonly dataDir: string;
  readonly config: AppConfig;
  /** A supertest agent acting as one of the test users. */
  as(user: TestUser): AuthorizedAgent;
  anonymous(): ReturnType<typeof request>;
  /** Closes the app and deletes its data directory (a no-op once the app was restarted). */
  close(): Promise<void>;
  /**
   * Closes this app but keeps its files, then starts a NEW app on the same DATA_DIR and
   * environment: what a process restart looks like to the stores. Close the returned app instead.
   */
  restart(): Promise<TestApp>;
}

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

export interface AuthorizedAgent {
  get(path: string): request.Test;
  post(path: string, body?: object): request.Test;
  /** Any method, with the Authorization header and nothing else: for raw bodies and odd requests. */
  request(method: HttpMethod, path: string): request.Test;
}

export interface StartOptions {
  /** Start on an existing DATA_DIR (users file included) instead of a fresh temp directory. */
  readonly dataDir?: string;
}

/** The whole HTTP application in this process, on fresh SQLite files in a temp directory. */
export async function startTestApp(env: Record<string, string> = {}, options: StartOptions = {}): Promise<TestApp> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'pc-e2e-'));
  // The projector thread runs compiled JavaScript only; here the API runs from its TypeScript sources.
  const config = loadConfig({ DATA_DIR: dataDir, AUTH_USERS_FILE: writeTestUsersFile(dataDir), MIN_POSITION_WAIT_MS: '5000', LOG_LEVEL: 'error', PROJECTOR_THREAD: 'off', ...env });
  const { app } = await createApp(config);
  // Listening once (rather than letting supertest listen per request) keeps concurrent requests on one server.
  await app.listen(0, '127.0.0.1');
  const server = app.getHttpServer();
  const as = (user: TestUser): AuthorizedAgent => {
    const auth = `Bearer ${TEST_USERS[user].apiKey}`;
    return {
      get: (path) => request(server).get(path).set('Authorization', auth),
      post: (path, body = {}) => request(server).post(path).set('Authorization', auth).send(body),
      request: (method, path) => request(server)[method](path).set('Authorization', auth),
    };
  };
  let state: 'running' | 'restarted' | 'closed' = 'running';
  return {
    app,
    dataDir,
    config,
    as,
    anonymous: () => request(server),
    async close() {
      if (state !== 'running') return;
      state = 'closed';
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
    async restart() {
      if (state !== 'running') throw new Error(`Cannot restart an app that is ${state}`);
      state = 'restarted';
      await app.close();
      return startTestApp(env, { dataDir });
    },
  };
}
