import { RequestMethod } from '@nestjs/common';
import type { Params } from 'nestjs-pino';
import type { AppConfig } from '../config/app-config';

const LEVEL_VALUES: Record<string, number> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60, silent: Infinity };

/**
 * Structured JSON logs (pino). Requests are logged at debug when they succeed, warn on a 4xx and
 * error on a 5xx, so the default level shows what needs attention without slowing the hot path.
 * API keys never reach a log line.
 */
export function loggingParams(config: AppConfig): Params {
  // A successful request logs at debug. When debug is not enabled its line would be dropped anyway, but pino-http
  // only learns that after building it (a child logger with the correlation id, the response serialized): 'silent'
  // skips all of that (docs/performance.md).
  const successLevel = LEVEL_VALUES[config.logLevel] <= LEVEL_VALUES.debug ? 'debug' : 'silent';
  return {
    pinoHttp: {
      level: config.logLevel,
      redact: ['req.headers.authorization'],
      customLogLevel: (_request, response, error) => (error || response.statusCode >= 500 ? 'error' : response.statusCode >= 400 ? 'warn' : successLevel),
      customProps: (request) => ({ correlationId: request.headers['x-correlation-id'] }),
    },
    // Every route, in the wildcard syntax of the router Nest 11 uses (the default '*' is converted with a warning).
    forRoutes: [{ path: '{*path}', method: RequestMethod.ALL }],
  };
}
