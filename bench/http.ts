import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

// autocannon ships no type declarations; this is the part of its API the bench uses.
interface AutocannonResult {
  readonly duration: number;
  readonly errors: number;
  readonly timeouts: number;
  readonly non2xx: number;
  readonly '2xx': number;
  readonly latency: { readonly p50: number; readonly p99: number; readonly average: number };
  readonly statusCodeStats: Record<string, { count: number }>;
  /** The warm-up's own result, when one was asked for; the figures above leave it out. */
  readonly warmup?: AutocannonResult;
}
type Autocannon = (options: {
  url: string;
  connections: number;
  duration: number;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  warmup?: { duration: number };
}) => Promise<AutocannonResult>;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const autocannon = require('autocannon') as Autocannon;

export interface BenchUsers {
  readonly file: string;
  readonly requesterKey: string;
  readonly auditorKey: string;
}

/** A users file of the bench's own (format: apps/api/src/auth/users-file.ts), with fresh random keys. */
export function writeBenchUsers(dir: string): BenchUsers {
  const requesterKey = randomBytes(24).toString('base64url');
  const auditorKey = randomBytes(24).toString('base64url');
  const file = join(dir, 'bench-users.json');
  writeFileSync(
    file,
    JSON.stringify({
      users: [
        { id: 'bench-requester', name: 'Bench requester', roles: ['requester'], apiKey: requesterKey },
        { id: 'bench-auditor', name: 'Bench auditor', roles: ['auditor'], apiKey: auditorKey },
      ],
    }),
    { mode: 0o600 },
  );
  return { file, requesterKey, auditorKey };
}

export interface HttpResult {
  readonly requestsPerSec: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** Answered with 2xx while measured. */
  readonly requests: number;
  /** Answered with 2xx during the warm-up, which the figures leave out. */
  readonly warmUpRequests: number;
  /** Measured or during the warm-up. */
  readonly failures: number;
}

/**
 * Each HTTP figure is measured after a warm-up at the same load, not counted: a path the server has not run yet
 * answers at half speed for its first seconds while V8 compiles it (docs/performance.md, c).
 */
export interface HttpLoad {
  readonly connections: number;
  readonly seconds: number;
  readonly warmUpSeconds: number;
}

function summarize(result: AutocannonResult): HttpResult {
  const ok = result['2xx'];
  const failures = (run: AutocannonResult | undefined) => (run ? run.non2xx + run.errors + run.timeouts : 0);
  return {
    requestsPerSec: ok / result.duration,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    requests: ok,
    warmUpRequests: result.warmup?.['2xx'] ?? 0,
    failures: failures(result) + failures(result.warmup),
  };
}

/** c. Change-request submissions: each one a new change request, validated, decided and durably appended. */
export async function benchHttpWrites(baseUrl: string, users: BenchUsers, productId: string, load: HttpLoad): Promise<HttpResult> {
  const body = JSON.stringify({
    productId,
    title: 'Lighter housing for the cordless drill',
    description: 'Replace the steel housing by a glass-fibre reinforced polyamide one; field tests show no loss of stiffness and a 300 g lighter tool.',
    changes: [
      { field: 'weightKg', proposedValue: 1.45 },
      { field: 'material', proposedValue: 'polyamide' },
    ],
    justification: 'Customers ask for lighter tools; two competitors already ship them.',
  });
  return summarize(
    await autocannon({
      url: `${baseUrl}/api/change-requests`,
      connections: load.connections,
      duration: load.seconds,
      warmup: { duration: load.warmUpSeconds },
      method: 'POST',
      headers: { authorization: `Bearer ${users.requesterKey}`, 'content-type': 'application/json' },
      body,
    }),
  );
}

/** c. GET of one change request from its read model. */
export async function benchHttpReads(baseUrl: string, users: BenchUsers, changeRequestId: string, load: HttpLoad): Promise<HttpResult> {
  return summarize(
    await autocannon({
      url: `${baseUrl}/api/change-requests/${changeRequestId}`,
      connections: load.connections,
      duration: load.seconds,
      warmup: { duration: load.warmUpSeconds },
      headers: { authorization: `Bearer ${users.auditorKey}` },
    }),
  );
}

/** One request, checked, so that a bench against a misconfigured server fails loudly instead of timing 401s. */
export async function checkedRequest(url: string, key: string, init: { method?: string; body?: string } = {}): Promise<unknown> {
  const response = await fetch(url, {
    method: init.method ?? 'GET',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: init.body,
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${init.method ?? 'GET'} ${url} answered ${response.status}: ${text.slice(0, 500)}`);
  return JSON.parse(text) as unknown;
}
