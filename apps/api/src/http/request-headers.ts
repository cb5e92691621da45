import { createHash, randomUUID } from 'node:crypto';
import { canonicalJson } from '@pc/event-store';
import type { FastifyRequest } from 'fastify';
import { RequestValidationError } from './problem-details.filter';

/** One header's value; a repeated header reads as its values joined by ", ", as Node joins most of them. */
function headerOf(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

/** The request's path without its query string. */
const pathOf = (request: FastifyRequest): string => {
  const query = request.url.indexOf('?');
  return query === -1 ? request.url : request.url.slice(0, query);
};

const invalidHeader = (header: string, message: string) => new RequestValidationError([{ field: header, messages: [message] }]);

/** `If-Match: "3"` (also W/"3" or 3) → 3; absent → undefined. `*` means any revision, so it is treated as absent. */
export function parseIfMatch(request: FastifyRequest): number | undefined {
  const raw = headerOf(request, 'if-match')?.trim();
  if (raw === undefined || raw === '' || raw === '*') return undefined;
  const match = /^(?:W\/)?"?(\d{1,15})"?$/.exec(raw);
  if (!match) throw invalidHeader('If-Match', 'must be an entity revision as given in the ETag header, e.g. "3"');
  return Number(match[1]);
}

export interface IdempotencyRequest {
  readonly key: string;
  /** The method, path and body the key was first used with: the same key on another request is refused. */
  readonly requestHash: string;
}

export function parseIdempotencyKey(request: FastifyRequest): IdempotencyRequest | undefined {
  const key = headerOf(request, 'idempotency-key');
  if (key === undefined) return undefined;
  if (!/^[\x21-\x7e]{1,200}$/.test(key)) throw invalidHeader('Idempotency-Key', 'must be 1 to 200 visible ASCII characters');
  const requestHash = createHash('sha256')
    .update(canonicalJson({ method: request.method, path: pathOf(request), body: request.body ?? null }))
    .digest('hex');
  return { key, requestHash };
}

export function correlationIdOf(request: FastifyRequest): string {
  const given = headerOf(request, 'x-correlation-id');
  return given !== undefined && /^[\x21-\x7e]{1,200}$/.test(given) ? given : randomUUID();
}

/**
 * The forms positions take as commands hand them out: 16 digits (SQLite) or `<commit>-<prepare>` of
 * 20 digits each (EventStoreDB). Positions compare as strings, so anything else (`42`, `-`) would
 * compare wrongly: it is refused rather than waited for.
 */
const POSITION_FORM = /^(?:\d{16}|\d{20}-\d{20})$/;

/** An event store position as the API hands it out. */
export function parseMinPosition(request: FastifyRequest): string | undefined {
  const raw = headerOf(request, 'x-min-position');
  if (raw === undefined || raw.trim() === '') return undefined;
  if (!POSITION_FORM.test(raw.trim())) throw invalidHeader('X-Min-Position', 'must be a position returned by a command, e.g. "0000000000000042"');
  return raw.trim();
}
