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
  close(): Promise<void>;
}

export interface AuthorizedAgent {
  get(path: string): request.Test;
  post(path: string, body?: object): request.Test;
}

/** The whole HTTP application in this process, on fresh SQLite files in a temp directory. */
export async function startTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const dataDir = mkdtempSync(join(tmpdir(), 'pc-e2e-'));
  const config = loadConfig({ DATA_DIR: dataDir, AUTH_USERS_FILE: writeTestUsersFile(dataDir), MIN_POSITION_WAIT_MS: '5000', ...env });
  const { app } = await createApp(config, { logger: ['error'] });
  await app.init();
  const server = app.getHttpServer();
  const as = (user: TestUser): AuthorizedAgent => {
    const auth = `Bearer ${TEST_USERS[user].apiKey}`;
    return {
      get: (path) => request(server).get(path).set('Authorization', auth),
      post: (path, body = {}) => request(server).post(path).set('Authorization', auth).send(body),
    };
  };
  return {
    app,
    dataDir,
    config,
    as,
    anonymous: () => request(server),
    async close() {
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
