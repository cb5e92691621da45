import type { Params } from 'nestjs-pino';
import type { AppConfig } from '../config/app-config';

/**
 * Structured JSON logs (pino). Requests are logged at debug when they succeed, warn on a 4xx and
 * error on a 5xx, so the default level shows what needs attention without slowing the hot path.
 * API keys never reach a log line.
 */
export function loggingParams(config: AppConfig): Params {
  return {
    pinoHttp: {
      level: config.logLevel,
      redact: ['req.headers.authorization'],
      customLogLevel: (_request, response, error) => (error || response.statusCode >= 500 ? 'error' : response.statusCode >= 400 ? 'warn' : 'debug'),
      customProps: (request) => ({ correlationId: request.headers['x-correlation-id'] }),
    },
  };
}
