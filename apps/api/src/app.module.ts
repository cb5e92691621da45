import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { AuditModule } from './audit/audit.module';
import { ApiKeyGuard, ApiKeys } from './auth/authentication';
import type { UserRecord } from './auth/users-file';
import { ChangeRequestsModule } from './change-requests/change-requests.module';
import type { AppConfig } from './config/app-config';
import { DisputesModule } from './disputes/disputes.module';
import { DocumentsModule } from './documents/documents.module';
import { HealthController } from './health/health.controller';
import { ProblemDetailsFilter } from './http/problem-details.filter';
import { ReadConsistencyGuard } from './http/read-consistency.guard';
import { NotificationsModule } from './notifications/notifications.module';
import { ProcessesModule } from './processes/processes.module';
import { ProductsModule } from './products/products.module';
import { CoreModule } from './stores/core.module';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig, users: readonly UserRecord[]): DynamicModule {
    return {
      module: AppModule,
      imports: [
        CoreModule.forRoot(config),
        CqrsModule.forRoot(),
        ProductsModule,
        ChangeRequestsModule,
        NotificationsModule,
        AuditModule,
        DocumentsModule,
        DisputesModule,
        ...(config.projector ? [ProcessesModule] : []),
      ],
      controllers: [HealthController],
      providers: [
        { provide: ApiKeys, useValue: new ApiKeys(users) },
        // Guards run in this order: authentication first, then the X-Min-Position wait.
        { provide: APP_GUARD, useClass: ApiKeyGuard },
        { provide: APP_GUARD, useClass: ReadConsistencyGuard },
        { provide: APP_FILTER, useClass: ProblemDetailsFilter },
      ],
    };
  }
}
