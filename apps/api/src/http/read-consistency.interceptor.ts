import { type CallHandler, type ExecutionContext, Inject, Injectable, type NestInterceptor } from '@nestjs/common';
import type { Request } from 'express';
import { from, type Observable, switchMap } from 'rxjs';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { ProjectionProgress } from '../projections/projection-progress';
import { NotCaughtUpError } from './problem-details.filter';
import { parseMinPosition } from './request-headers';

/** X-Min-Position on a read: wait, bounded, until the read models include that write. */
@Injectable()
export class ReadConsistencyInterceptor implements NestInterceptor {
  constructor(
    private readonly progress: ProjectionProgress,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<Request>();
    const position = request.method === 'GET' ? parseMinPosition(request) : undefined;
    if (position === undefined) return next.handle();
    return from(this.progress.waitFor(position, this.config.minPositionWaitMs)).pipe(
      switchMap((caughtUp) => {
        if (!caughtUp) throw new NotCaughtUpError(`The read models have not reached position ${position} within ${this.config.minPositionWaitMs} ms; retry shortly`);
        return next.handle();
      }),
    );
  }
}
