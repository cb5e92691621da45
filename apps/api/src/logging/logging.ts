import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Params } from 'nestjs-pino';
import type { Logger, LevelWithSilent } from 'pino';
import type { AppConfig } from '../config/app-config';

const LEVEL_VALUES: Record<string, number> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60, silent: Infinity };

/**
 * Structured JSON logs (pino). Nest's logger writes through nestjs-pino; requests are logged by
 * logRequests below. API keys never reach a log line.
 */
export function loggingParams(config: AppConfig): Params {
  return {
    pinoHttp: { level: config.logLevel, redact: ['req.headers.authorization'] },
    // No pino-http middleware: it built a child logger with the request serialized, and bound it in an
    // AsyncLocalStorage, on every request, even when the line would be dropped (docs/performance.md, section c).
    forRoutes: [],
  };
}

const requestFields = (request: FastifyRequest) => ({
  id: request.id,
  method: request.method,
  url: request.url,
  query: request.query,
  params: request.params,
  headers: request.headers,
  remoteAddress: request.socket.remoteAddress,
  remotePort: request.socket.remotePort,
});

/**
 * One line per request once it is answered: debug when it succeeds, warn on a 4xx and error on a 5xx, so the
 * default level shows what needs attention. A line below the logger's level costs one comparison: nothing is
 * built for it.
 */
export function logRequests(fastify: FastifyInstance, logger: Logger): void {
  fastify.addHook('onResponse', (request, reply, done) => {
    const status = reply.statusCode;
    const level: LevelWithSilent = status >= 500 ? 'error' : status >= 400 ? 'warn' : 'debug';
    if (LEVEL_VALUES[level]! >= logger.levelVal) {
      logger[level](
        {
          req: requestFields(request),
          res: { statusCode: status, headers: reply.getHeaders() },
          responseTime: Math.round(reply.elapsedTime),
          correlationId: request.headers['x-correlation-id'],
        },
        status >= 500 ? 'request errored' : 'request completed',
      );
    }
    done();
  });
}
