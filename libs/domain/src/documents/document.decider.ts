import { assertNever, type DecisionContext, type Decider } from '../shared/decider';
import { crossReferenceDocument, type CrossReferenceDocument } from './cross-referencing-document';
import { evolveDocument, initialDocument, type DocumentEvent, type DocumentState } from './document';
import { disposeDocument, type DisposeDocument } from './disposing-document';
import { fileChangeRequestRecord, fileDocument, type FileChangeRequestRecord, type FileDocument } from './filing-document';
import { placeLegalHold, releaseLegalHold, type PlaceLegalHold, type ReleaseLegalHold } from './legal-holds';
import { recordDocumentRetrieval, type RecordDocumentRetrieval } from './retrieving-document-content';
import { addDocumentVersion, type AddDocumentVersion } from './versioning-document';

export type DocumentCommand =
  | FileDocument
  | FileChangeRequestRecord
  | AddDocumentVersion
  | CrossReferenceDocument
  | RecordDocumentRetrieval
  | PlaceLegalHold
  | ReleaseLegalHold
  | DisposeDocument;

export const documentDecider: Decider<DocumentState, DocumentCommand, DocumentEvent> = {
  initialState: initialDocument,
  evolve: evolveDocument,
  decide(command: DocumentCommand, state: DocumentState, context: DecisionContext): DocumentEvent[] {
    switch (command.type) {
      case 'FileDocument':
        return fileDocument(command, state, context);
      case 'FileChangeRequestRecord':
        return fileChangeRequestRecord(command, state, context);
      case 'AddDocumentVersion':
        return addDocumentVersion(command, state, context);
      case 'CrossReferenceDocument':
        return crossReferenceDocument(command, state, context);
      case 'RecordDocumentRetrieval':
        return recordDocumentRetrieval(command, state, context);
      case 'PlaceLegalHold':
        return placeLegalHold(command, state, context);
      case 'ReleaseLegalHold':
        return releaseLegalHold(command, state, context);
      case 'DisposeDocument':
        return disposeDocument(command, state, context);
      default:
        return assertNever(command);
    }
  },
};
