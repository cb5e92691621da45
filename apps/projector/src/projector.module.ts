import { type DynamicModule, Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import type { AppConfig } from '../../api/src/config/app-config';
import { ProcessCommandsModule, ProcessesModule } from '../../api/src/processes/processes.module';
import { CoreModule } from '../../api/src/stores/core.module';

/** The worker: projections and processes over the configured stores, with no HTTP API. */
@Module({})
export class ProjectorModule {
  static forRoot(config: AppConfig): DynamicModule {
    return { module: ProjectorModule, imports: [CoreModule.forRoot({ ...config, projector: true }), CqrsModule.forRoot(), ProcessesModule, ProcessCommandsModule] };
  }
}
