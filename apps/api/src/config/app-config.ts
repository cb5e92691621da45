import { resolve } from 'node:path';
import { DEFAULT_RETENTION_PERIODS, DOCUMENT_CLASSES, parseRetentionPeriod, type DocumentClass, type RetentionPeriod } from '@pc/domain';

export interface AppConfig {
  readonly eventStore: { readonly kind: 'sqlite'; readonly file: string } | { readonly kind: 'eventstoredb'; readonly connectionString: string };
  readonly readStore: { readonly kind: 'sqlite'; readonly file: string } | { readonly kind: 'mongodb'; readonly uri: string };
  readonly dataDir: string;
  readonly port: number;
  readonly host: string;
  readonly authUsersFile: string | null;
  /** Whether this process runs the projections and processes (the embedded default does). */
  readonly projector: boolean;
  /**
   * With both stores on SQLite, whether the projections run on a thread of their own (the processes stay on the
   * main thread, beside the command bus): their batches then never hold up a request. Needs the compiled build.
   */
  readonly projectorThread: boolean;
  /** How many threads share the projections when they run on threads of their own. */
  readonly projectorThreads: 1 | 2;
  /** How long a read with X-Min-Position waits for the projections before answering 503. */
  readonly minPositionWaitMs: number;
  readonly bodyLimitBytes: number;
  /** How long the projector lease lasts unless renewed: the longest a standby replica waits to take over. */
  readonly leaseTtlMs: number;
  readonly logLevel: LogLevel;
  /** Where document contents live: files under DATA_DIR/blobs, or GridFS beside the MongoDB read store. */
  readonly blobStore: { readonly kind: 'filesystem'; readonly dir: string } | { readonly kind: 'gridfs'; readonly uri: string };
  /** Larger uploads get 413. */
  readonly maxUploadBytes: number;
  /** How long each class of document must be kept before it may be disposed of. */
  readonly retentionPeriods: Readonly<Record<DocumentClass, RetentionPeriod>>;
  /** Ed25519 private key (PKCS#8 PEM) that signs checkpoints and bundles; null: generated once in DATA_DIR. */
  readonly signingKeyFile: string | null;
}

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly variable: string, message: string) {
    super(`${variable}: ${message}`);
  }
}

type Env = Readonly<Record<string, string | undefined>>;

function oneOf<T extends string>(env: Env, variable: string, allowed: readonly T[], fallback: T): T {
  const value = env[variable]?.trim();
  if (value === undefined || value === '') return fallback;
  if (!(allowed as readonly string[]).includes(value)) throw new ConfigError(variable, `must be one of ${allowed.join(', ')}; got "${value}"`);
  return value as T;
}

function integer(env: Env, variable: string, fallback: number, min: number, max: number): number {
  const raw = env[variable]?.trim();
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) throw new ConfigError(variable, `must be an integer from ${min} to ${max}; got "${raw}"`);
  return value;
}

function required(env: Env, variable: string, because: string, pattern: RegExp, example: string): string {
  const value = env[variable]?.trim();
  if (!value) throw new ConfigError(variable, `is required ${because}`);
  if (!pattern.test(value)) throw new ConfigError(variable, `is not a valid connection string (expected something like ${example}); got "${value}"`);
  return value;
}

/** `contract=P10Y,other=P0D`: ISO 8601 durations per class, over the defaults. */
function retentionPeriods(env: Env): Record<DocumentClass, RetentionPeriod> {
  const periods: Record<DocumentClass, RetentionPeriod> = { ...DEFAULT_RETENTION_PERIODS };
  const raw = env.RETENTION_PERIODS?.trim();
  if (!raw) return periods;
  for (const entry of raw.split(',')) {
    const [name, value, ...rest] = entry.split('=').map((part) => part.trim());
    const period = value ? parseRetentionPeriod(value) : null;
    if (!name || !(DOCUMENT_CLASSES as readonly string[]).includes(name) || !period || rest.length > 0) {
      throw new ConfigError(
        'RETENTION_PERIODS',
        `must be class=duration pairs separated by commas, classes among ${DOCUMENT_CLASSES.join(', ')}, durations like P10Y, P6M or P30D; got "${entry.trim()}"`,
      );
    }
    periods[name as DocumentClass] = period;
  }
  return periods;
}

/** Reads and validates the environment once, at start-up: a bad value stops the process with a message naming it. */
export function loadConfig(env: Env = process.env): AppConfig {
  const dataDir = resolve(env.DATA_DIR?.trim() || './data');
  const eventStoreKind = oneOf(env, 'EVENT_STORE', ['sqlite', 'eventstoredb'] as const, 'sqlite');
  const readStoreKind = oneOf(env, 'READ_STORE', ['sqlite', 'mongodb'] as const, 'sqlite');
  return {
    dataDir,
    eventStore:
      eventStoreKind === 'sqlite'
        ? { kind: 'sqlite', file: resolve(dataDir, 'events.sqlite') }
        : {
            kind: 'eventstoredb',
            connectionString: required(env, 'EVENTSTORE_CONNECTION_STRING', 'when EVENT_STORE=eventstoredb', /^(esdb|esdb\+discover|kurrentdb|kurrent):\/\/.+/, 'esdb://localhost:2113?tls=false'),
          },
    readStore:
      readStoreKind === 'sqlite'
        ? { kind: 'sqlite', file: resolve(dataDir, 'read-models.sqlite') }
        : { kind: 'mongodb', uri: required(env, 'MONGODB_URI', 'when READ_STORE=mongodb', /^mongodb(\+srv)?:\/\/.+/, 'mongodb://localhost:27017/product-coordinator') },
    port: integer(env, 'PORT', 3000, 0, 65535),
    host: env.HOST?.trim() || '127.0.0.1',
    authUsersFile: env.AUTH_USERS_FILE?.trim() ? resolve(env.AUTH_USERS_FILE.trim()) : null,
    projector: oneOf(env, 'PROJECTOR', ['on', 'off'] as const, 'on') === 'on',
    projectorThread: oneOf(env, 'PROJECTOR_THREAD', ['on', 'off'] as const, 'on') === 'on',
    projectorThreads: oneOf(env, 'PROJECTOR_THREADS', ['1', '2'] as const, '2') === '1' ? 1 : 2,
    minPositionWaitMs: integer(env, 'MIN_POSITION_WAIT_MS', 5000, 0, 60000),
    bodyLimitBytes: integer(env, 'BODY_LIMIT_BYTES', 256 * 1024, 1024, 64 * 1024 * 1024),
    leaseTtlMs: integer(env, 'PROJECTOR_LEASE_TTL_MS', 6000, 200, 600000),
    logLevel: oneOf(env, 'LOG_LEVEL', LOG_LEVELS, 'info'),
    blobStore:
      oneOf(env, 'BLOB_STORE', ['filesystem', 'gridfs'] as const, readStoreKind === 'mongodb' ? 'gridfs' : 'filesystem') === 'filesystem'
        ? { kind: 'filesystem', dir: resolve(dataDir, 'blobs') }
        : { kind: 'gridfs', uri: required(env, 'MONGODB_URI', 'when BLOB_STORE=gridfs', /^mongodb(\+srv)?:\/\/.+/, 'mongodb://localhost:27017/product-coordinator') },
    maxUploadBytes: integer(env, 'MAX_UPLOAD_BYTES', 25 * 1024 * 1024, 1, 1024 * 1024 * 1024),
    retentionPeriods: retentionPeriods(env),
    signingKeyFile: env.SIGNING_KEY_FILE?.trim() ? resolve(env.SIGNING_KEY_FILE.trim()) : null,
  };
}

export const APP_CONFIG = Symbol('AppConfig');
