import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { isDomainError, type DomainErrorKind } from '@pc/domain';
import { WrongExpectedRevisionError } from '@pc/event-store';
import { InvalidCursorError, UnindexedQueryError } from '@pc/read-store';
import type { FastifyReply } from 'fastify';

export interface FieldError {
  readonly field: string;
  readonly messages: readonly string[];
}

/** A 400 with one entry per bad field: the shape every validation failure takes. */
export class RequestValidationError extends Error {
  override readonly name = 'RequestValidationError';
  constructor(readonly errors: readonly FieldError[]) {
    super(errors.map(({ field, messages }) => `${field}: ${messages.join('; ')}`).join(' | '));
  }
}

/** Projections had not reached the position the client asked to read after. */
export class NotCaughtUpError extends Error {
  override readonly name = 'NotCaughtUpError';
}

const STATUS_BY_KIND: Record<DomainErrorKind, number> = {
  validation: 400,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  precondition: 412,
  rule: 422,
};

interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code?: string;
  errors?: readonly FieldError[];
  [extension: string]: unknown;
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  412: 'Precondition Failed',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

const problem = (status: number, detail: string, extra: Partial<Problem> = {}): Problem => ({
  ...extra,
  type: extra.code ? `urn:product-coordinator:problem:${extra.code}` : 'about:blank',
  title: TITLES[status] ?? 'Error',
  status,
  detail,
});

const RESERVED_MEMBERS = new Set(['type', 'title', 'status', 'detail', 'code', 'errors']);

/**
 * A domain error's details become extension members. One named like a member of the problem
 * itself (a change request's `status`) must not replace it, so it is kept as `entityStatus`.
 */
const extensionsOf = (details: Readonly<Record<string, unknown>>): Record<string, unknown> =>
  Object.fromEntries(Object.entries(details).map(([name, value]) => [RESERVED_MEMBERS.has(name) ? `entity${name[0]!.toUpperCase()}${name.slice(1)}` : name, value]));

/** Every error leaves as application/problem+json (RFC 9457); domain error kinds map to statuses here and only here. */
export function toProblem(error: unknown): Problem {
  if (isDomainError(error)) {
    const status = STATUS_BY_KIND[error.kind];
    // A 400 names its bad field in `errors`, as a validation failure of the body does.
    const field = status === 400 && typeof error.details.field === 'string' ? error.details.field : null;
    return problem(status, error.message, { ...extensionsOf(error.details), code: error.code, ...(field ? { errors: [{ field, messages: [error.message] }] } : {}) });
  }
  if (error instanceof RequestValidationError) return problem(400, error.message, { code: 'REQUEST.INVALID', errors: error.errors });
  if (error instanceof WrongExpectedRevisionError) {
    return problem(409, 'The entity was changed by another request at the same time; read it again and retry', { code: 'CONCURRENT_WRITE' });
  }
  if (error instanceof InvalidCursorError) return problem(400, error.message, { code: 'REQUEST.INVALID_CURSOR', errors: [{ field: 'cursor', messages: [error.message] }] });
  if (error instanceof UnindexedQueryError) return problem(400, error.message, { code: 'REQUEST.UNSUPPORTED_FILTER' });
  if (error instanceof NotCaughtUpError) return problem(503, error.message, { code: 'READ_MODEL.NOT_CAUGHT_UP' });
  if (isStoreUnavailable(error)) return problem(503, 'A store is unreachable right now; retry shortly', { code: 'STORE.UNAVAILABLE' });
  if (error instanceof HttpException) {
    const status = error.getStatus();
    return problem(status, bodyParserDetail(error) ?? messageOf(error));
  }
  // The HTTP server's own refusals (Fastify's and its multipart reader's): a body or a file over its limit, too many parts.
  const serverError = error as { name?: string; statusCode?: number; message?: string };
  if (serverError?.name === 'FastifyError' && typeof serverError.statusCode === 'number' && serverError.statusCode >= 400 && serverError.statusCode < 500) {
    return problem(serverError.statusCode, serverError.message || 'Unreadable request');
  }
  // The body parser's own errors (http-errors): unparsable JSON, an unsupported charset or encoding, a broken gzip stream.
  const parserError = error as { type?: string; status?: number; message?: string; expose?: boolean };
  const clientStatus = typeof parserError?.status === 'number' && parserError.status >= 400 && parserError.status < 500;
  if (clientStatus && (parserError.type?.startsWith('entity.') || parserError.expose === true)) return problem(parserError.status!, parserError.message || 'Unreadable body');
  return problem(500, 'An unexpected error occurred; it has been logged');
}

/** Connection failures of the production engines' clients, recognised by name so this layer needs neither driver. */
const UNAVAILABLE_ERRORS = new Set(['MongoServerSelectionError', 'MongoNetworkError', 'MongoNetworkTimeoutError', 'UnavailableError', 'DeadlineExceededError']);
const isStoreUnavailable = (error: unknown): boolean => error instanceof Error && UNAVAILABLE_ERRORS.has(error.constructor.name);

function messageOf(error: HttpException): string {
  const response = error.getResponse();
  if (typeof response === 'string') return response;
  const message = (response as { message?: unknown }).message;
  return Array.isArray(message) ? message.join('; ') : typeof message === 'string' ? message : error.message;
}

/** Express's body parser failures arrive wrapped; their own message says what was wrong with the body. */
function bodyParserDetail(error: HttpException): string | null {
  const cause = (error as { cause?: { type?: string; message?: string } }).cause;
  if (cause?.type === 'entity.too.large') return 'The request body is larger than this server accepts';
  if (cause?.type === 'entity.parse.failed') return `The request body is not valid JSON: ${cause.message}`;
  return null;
}

@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  catch(error: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<FastifyReply>();
    const body = toProblem(error);
    if (body.status >= HttpStatus.INTERNAL_SERVER_ERROR && body.status !== 503) this.logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    if (body.status === 503) response.header('Retry-After', '1');
    response.status(body.status).header('Content-Type', 'application/problem+json; charset=utf-8').send(JSON.stringify(body));
  }
}
