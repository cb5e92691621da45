import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { createServer } from 'node:net';
import { join } from 'node:path';

/** The compiled API started as a real child process, and a small HTTP client for it. */

export const REPOSITORY_ROOT = join(__dirname, '..', '..');
export const COMPILED_API = join(REPOSITORY_ROOT, 'dist/apps/api/src/main.js');

/** `npm test` builds before jest runs; when the compiled server is missing (jest run alone), build it here. */
export function ensureCompiledApi(timeoutMs = 240_000): string {
  if (existsSync(COMPILED_API)) return COMPILED_API;
  try {
    execFileSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', 'build'], { cwd: REPOSITORY_ROOT, stdio: 'pipe', timeout: timeoutMs });
  } catch (error) {
    // tsc still emits when only types are wrong; a missing entry point is what matters.
    if (!existsSync(COMPILED_API)) throw new Error(`npm run build did not produce ${COMPILED_API}: ${String((error as { stdout?: Buffer }).stdout ?? error)}`);
  }
  return COMPILED_API;
}

/** A port nothing listens on right now: listen on 0, note the port, close. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface HttpAnswer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: any;
}

export interface ServerProcess {
  readonly port: number;
  readonly child: ChildProcess;
  output(): string;
  /** One HTTP exchange; rejects when the connection fails (refused, reset by a kill). */
  http(method: string, path: string, options?: { headers?: Record<string, string>; body?: unknown }): Promise<HttpAnswer>;
  /** Resolves once /health answers 200. */
  ready(timeoutMs?: number): Promise<void>;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

export function startServer(entry: string, env: Record<string, string>): Promise<ServerProcess> {
  return freePort().then((port) => {
    const child = spawn(process.execPath, [entry], {
      cwd: REPOSITORY_ROOT,
      env: { ...process.env, NODE_ENV: 'test', HOST: '127.0.0.1', PORT: String(port), ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const agent = new Agent({ keepAlive: true, maxSockets: 64 });

    const http: ServerProcess['http'] = (method, path, options = {}) =>
      new Promise((resolve, reject) => {
        const payload = options.body === undefined ? undefined : Buffer.from(JSON.stringify(options.body));
        const outgoing = request(
          {
            host: '127.0.0.1',
            port,
            method,
            path,
            agent,
            headers: { ...(payload ? { 'Content-Type': 'application/json', 'Content-Length': String(payload.length) } : {}), ...options.headers },
          },
          (incoming) => {
            const chunks: Buffer[] = [];
            incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
            incoming.on('error', reject);
            incoming.on('end', () => {
              const text = Buffer.concat(chunks).toString('utf8');
              let body: unknown = text;
              try {
                body = text ? JSON.parse(text) : null;
              } catch {
                // not JSON: keep the text
              }
              resolve({ status: incoming.statusCode ?? 0, headers: incoming.headers, body });
            });
          },
        );
        outgoing.on('error', reject);
        outgoing.end(payload);
      });

    return {
      port,
      child,
      output: () => output,
      http,
      async ready(timeoutMs = 20_000) {
        const deadline = Date.now() + timeoutMs;
        for (;;) {
          if (child.exitCode !== null || child.signalCode !== null) throw new Error(`the server exited (${child.exitCode ?? child.signalCode}) before it was ready:\n${output}`);
          const health = await http('GET', '/health').catch(() => null);
          if (health?.status === 200) return;
          if (Date.now() > deadline) throw new Error(`the server was not ready within ${timeoutMs} ms:\n${output}`);
          await new Promise((resolve) => setTimeout(resolve, 25));
        }
      },
      async kill(signal = 'SIGTERM') {
        if (child.exitCode === null && child.signalCode === null) child.kill(signal);
        await exited;
        agent.destroy();
      },
    };
  });
}
