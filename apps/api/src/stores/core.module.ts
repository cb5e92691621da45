import { type DynamicModule, Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { EVENT_STORE, type EventStore } from '@pc/event-store';
import { READ_STORE, type ReadStore } from '@pc/read-store';
import { LoggerModule } from 'nestjs-pino';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { loggingParams } from '../logging/logging';
import { CLOCK, systemClock } from '../commands/clock';
import { CommandPipeline } from '../commands/command-pipeline';
import { ProcessTracker } from '../processes/process-tracker';
import { ProjectionProgress } from '../projections/projection-progress';
import { openEventStore, openReadStore } from './stores';

/** Logging, the configuration, the two stores bound to their ports, the write path over them, and how far the read models have got. */
@Global()
@Module({})
export class CoreModule implements OnApplicationShutdown {
  constructor(
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    @Inject(READ_STORE) private readonly readStore: ReadStore,
  ) {}

  static forRoot(config: AppConfig): DynamicModule {
    const providers = [
      { provide: APP_CONFIG, useValue: config },
      { provide: CLOCK, useValue: systemClock },
      { provide: EVENT_STORE, useFactory: () => openEventStore(config) },
      { provide: READ_STORE, useFactory: () => openReadStore(config) },
      CommandPipeline,
      ProjectionProgress,
      ProcessTracker,
    ];
    return { module: CoreModule, imports: [LoggerModule.forRoot(loggingParams(config))], providers, exports: [APP_CONFIG, CLOCK, EVENT_STORE, READ_STORE, CommandPipeline, ProjectionProgress, ProcessTracker] };
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.allSettled([this.eventStore.close(), this.readStore.close()]);
  }
}
