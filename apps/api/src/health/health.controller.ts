import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { EVENT_STORE, type EventStore } from '@pc/event-store';
import { READ_STORE, type ReadStore } from '@pc/read-store';
import type { FastifyReply } from 'fastify';
import { Public } from '../auth/authentication';
import { ProjectionProgress } from '../projections/projection-progress';

/** Health is probed often and without a key: the lag is counted only this far, so a probe never reads much of the log. */
const LAG_COUNT_LIMIT = 1000;

export interface HealthReport {
  status: 'ok' | 'degraded' | 'down';
  eventStore: { engine: string; status: 'up' | 'down'; detail?: string };
  readStore: { engine: string; status: 'up' | 'down'; detail?: string };
  /** Events stored but not yet in the read models (counted up to 1,000), or null if unknown. */
  projectionLag: number | null;
  headPosition: string | null;
  projectedPosition: string | null;
}

type EngineReport = HealthReport['eventStore'];

/** The endpoint is public: an engine's detail (a file path, a host) is shown only when it explains an outage. */
const publicView = ({ engine, status, detail }: EngineReport): EngineReport => (status === 'down' && detail ? { engine, status, detail } : { engine, status });

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    @Inject(READ_STORE) private readonly readStore: ReadStore,
    private readonly progress: ProjectionProgress,
  ) {}

  @Get()
  @Public()
  async health(@Res({ passthrough: true }) response: FastifyReply): Promise<HealthReport> {
    const [eventStore, readStore] = await Promise.all([this.eventStore.health(), this.readStore.health()]);
    let projectionLag: number | null = null;
    let headPosition: string | null = null;
    let projectedPosition: string | null = null;
    if (eventStore.status === 'up' && readStore.status === 'up') {
      [headPosition, projectedPosition] = await Promise.all([this.eventStore.headPosition(), this.progress.current()]);
      projectionLag = headPosition === null || headPosition === projectedPosition ? 0 : (await this.eventStore.readAll({ after: projectedPosition, limit: LAG_COUNT_LIMIT })).length;
    }
    const status = eventStore.status === 'down' ? 'down' : readStore.status === 'down' ? 'degraded' : 'ok';
    response.status(status === 'ok' ? 200 : 503);
    return { status, eventStore: publicView(eventStore), readStore: publicView(readStore), projectionLag, headPosition, projectedPosition };
  }
}
