import { Module } from '@nestjs/common';
import { APP_CONFIG } from '../config/app-config';
import { DocumentStorageModule } from '../documents/document-storage.module';
import { AuditIntegrityController } from './audit-integrity.controller';
import { AuditController } from './audit.controller';
import { LogIntegrity } from './log-integrity';
import { loadSigningKey, SigningKey } from './signing-key';

@Module({
  imports: [DocumentStorageModule],
  controllers: [AuditController, AuditIntegrityController],
  providers: [{ provide: SigningKey, useFactory: loadSigningKey, inject: [APP_CONFIG] }, LogIntegrity],
  exports: [SigningKey, LogIntegrity],
})
export class AuditModule {}
