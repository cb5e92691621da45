import { Module } from '@nestjs/common';
import { AddDocumentVersionController } from './add-document-version.controller';
import { AddDocumentVersionHandler } from './add-document-version.handler';
import { CrossReferenceDocumentController } from './cross-reference-document.controller';
import { CrossReferenceDocumentHandler } from './cross-reference-document.handler';
import { DisposeDocumentController } from './dispose-document.controller';
import { DisposeDocumentHandler } from './dispose-document.handler';
import { GetDocumentHandler, ListReferencesHandler, SearchDocumentsHandler } from './document-queries';
import { ChangeRequestDocumentsController, DocumentQueriesController, ProductDocumentsController } from './document-queries.controller';
import { DocumentStorageModule } from './document-storage.module';
import { FileDocumentController } from './file-document.controller';
import { FileDocumentHandler } from './file-document.handler';
import { LegalHoldsController } from './legal-holds.controller';
import { PlaceLegalHoldHandler, ReleaseLegalHoldHandler } from './legal-holds.handler';
import { RetrieveDocumentContentController } from './retrieve-document-content.controller';
import { RetrieveDocumentContentHandler } from './retrieve-document-content.handler';

/** Filing, versions, cross-references, retrieval, legal holds and disposal of documents, and the queries over them. */
@Module({
  // Multipart uploads are read with the limits registered in bootstrap.ts (UploadInterceptor).
  imports: [DocumentStorageModule],
  controllers: [
    FileDocumentController,
    AddDocumentVersionController,
    CrossReferenceDocumentController,
    RetrieveDocumentContentController,
    LegalHoldsController,
    DisposeDocumentController,
    DocumentQueriesController,
    ProductDocumentsController,
    ChangeRequestDocumentsController,
  ],
  providers: [
    FileDocumentHandler,
    AddDocumentVersionHandler,
    CrossReferenceDocumentHandler,
    RetrieveDocumentContentHandler,
    PlaceLegalHoldHandler,
    ReleaseLegalHoldHandler,
    DisposeDocumentHandler,
    GetDocumentHandler,
    SearchDocumentsHandler,
    ListReferencesHandler,
  ],
})
export class DocumentsModule {}
