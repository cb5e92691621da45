import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { ProjectionProgress } from '../projections/projection-progress';
import { NotCaughtUpError } from './problem-details.filter';
import { parseMinPosition } from './request-headers';

/**
 * X-Min-Position on a read: wait, bounded, until the read models include that write.
 *
 * A guard rather than an interceptor, though it never refuses access: it runs at the same point (after
 * authentication, before pipes and the handler), but a global interceptor puts every request of the API
 * through Nest's RxJS interceptor chain (observables, AsyncResource.bind per layer), which cost ~10 % of a
 * read's CPU even when the header is absent (docs/performance.md). Without the header this is two property reads.
 */
@Injectable()
export class ReadConsistencyGuard implements CanActivate {
  constructor(
    private readonly progress: ProjectionProgress,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    if (request.method !== 'GET' || request.headers['x-min-position'] === undefined) return true;
    const position = parseMinPosition(request);
    if (position === undefined) return true;
    return this.progress.waitFor(position, this.config.minPositionWaitMs).then((caughtUp) => {
      if (!caughtUp) throw new NotCaughtUpError(`The read models have not reached position ${position} within ${this.config.minPositionWaitMs} ms; retry shortly`);
      return true;
    });
  }
}
