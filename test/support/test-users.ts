import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Principals the e2e tests act as; keys are fixed so child-process tests can share them. */
export const TEST_USERS = {
  requester: { id: 'u-rita', roles: ['requester'], apiKey: 'key-rita-requester-0001' },
  otherRequester: { id: 'u-otto', roles: ['requester'], apiKey: 'key-otto-requester-0002' },
  coordinator: { id: 'u-cora', roles: ['coordinator'], apiKey: 'key-cora-coordinator-0003' },
  manager: { id: 'u-max', roles: ['product_manager'], apiKey: 'key-max-manager-000004' },
  otherManager: { id: 'u-mia', roles: ['product_manager'], apiKey: 'key-mia-manager-000005' },
  /** Requests changes and also manages a product: must never decide on their own request. */
  requestingManager: { id: 'u-rex', roles: ['requester', 'product_manager'], apiKey: 'key-rex-req-manager-06' },
  auditor: { id: 'u-aud', roles: ['auditor'], apiKey: 'key-aud-auditor-000007' },
  admin: { id: 'u-adm', roles: ['admin'], apiKey: 'key-adm-admin-00000008' },
} as const;

export type TestUser = keyof typeof TEST_USERS;

export function writeTestUsersFile(dir: string): string {
  const file = join(dir, 'users.json');
  writeFileSync(file, JSON.stringify({ users: Object.values(TEST_USERS).map((user) => ({ ...user, name: user.id })) }));
  return file;
}
