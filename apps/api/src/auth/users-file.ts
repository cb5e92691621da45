import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ROLES, type Principal, type Role } from '@pc/domain';

export interface UserRecord extends Principal {
  readonly name: string;
  readonly apiKey: string;
}

export class UsersFileError extends Error {
  override readonly name = 'UsersFileError';
  constructor(file: string, problem: string) {
    super(`AUTH_USERS_FILE ${file}: ${problem}`);
  }
}

export function parseUsers(file: string, text: string): UserRecord[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new UsersFileError(file, `is not valid JSON (${(error as Error).message})`);
  }
  const users = (parsed as { users?: unknown })?.users;
  if (!Array.isArray(users) || users.length === 0) throw new UsersFileError(file, 'must be {"users":[...]} with at least one user');
  const seenIds = new Set<string>();
  const seenKeys = new Set<string>();
  return users.map((user: Record<string, unknown>, index) => {
    const where = `users[${index}]`;
    if (typeof user?.id !== 'string' || !/^[A-Za-z0-9_.@-]{1,100}$/.test(user.id)) throw new UsersFileError(file, `${where}.id must be 1-100 letters, digits or _.@-`);
    if (typeof user.apiKey !== 'string' || user.apiKey.length < 16) throw new UsersFileError(file, `${where}.apiKey must be a string of at least 16 characters`);
    if (!Array.isArray(user.roles) || user.roles.some((role) => !ROLES.includes(role as Role))) {
      throw new UsersFileError(file, `${where}.roles must list roles among ${ROLES.join(', ')}`);
    }
    if (seenIds.has(user.id)) throw new UsersFileError(file, `${where}.id ${user.id} appears twice`);
    if (seenKeys.has(user.apiKey)) throw new UsersFileError(file, `${where}.apiKey is shared with another user`);
    seenIds.add(user.id);
    seenKeys.add(user.apiKey);
    return { id: user.id, name: typeof user.name === 'string' ? user.name : user.id, roles: user.roles as Role[], apiKey: user.apiKey };
  });
}

export function readUsersFile(file: string): UserRecord[] {
  if (!existsSync(file)) throw new UsersFileError(file, 'does not exist');
  return parseUsers(file, readFileSync(file, 'utf8'));
}

/** The embedded default: one user per role with random keys, created once and kept in DATA_DIR. */
export function ensureDefaultUsersFile(dataDir: string): { file: string; created: boolean } {
  const file = join(dataDir, 'users.json');
  if (existsSync(file)) return { file, created: false };
  mkdirSync(dirname(file), { recursive: true });
  const users = ROLES.map((role) => ({
    id: `u-${role.replace('_', '-')}`,
    name: role.replace('_', ' ').replace(/^./, (first) => first.toUpperCase()),
    roles: [role],
    apiKey: randomBytes(24).toString('base64url'),
  }));
  writeFileSync(file, `${JSON.stringify({ users }, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  return { file, created: true };
}
