import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { DocumentStorageModule } from '../documents/document-storage.module';
import { EvidenceBundleController } from './evidence-bundle.controller';
import { EvidenceBundles } from './evidence-bundles';

/** Evidence for disputes: bundles an outside party verifies offline. */
@Module({ imports: [AuditModule, DocumentStorageModule], controllers: [EvidenceBundleController], providers: [EvidenceBundles] })
export class DisputesModule {}
