import { DomainError } from '../shared/domain-error';
import type { DocumentClass, DocumentMedium, PaperLocation, ReferenceTargetType } from './document';

export const DocumentErrors = {
  notFound: (documentId: string) => new DomainError('DOCUMENT.NOT_FOUND', 'not_found', `Document ${documentId} does not exist`, { documentId }),
  alreadyFiled: (documentId: string) => new DomainError('DOCUMENT.ALREADY_FILED', 'conflict', `Document ${documentId} is already filed`, { documentId }),
  titleRequired: () => new DomainError('DOCUMENT.TITLE_REQUIRED', 'validation', 'A document needs a title', { field: 'title' }),
  authorRequired: () => new DomainError('DOCUMENT.AUTHOR_REQUIRED', 'validation', 'A document needs an author', { field: 'author' }),
  invalidDocumentDate: (documentDate: string) =>
    new DomainError('DOCUMENT.INVALID_DATE', 'validation', `${documentDate} is not a calendar date (YYYY-MM-DD)`, { field: 'documentDate' }),
  invalidTag: (tag: string) =>
    new DomainError('DOCUMENT.INVALID_TAG', 'validation', `Tag ${JSON.stringify(tag.slice(0, 60))} must be 1 to 50 letters, digits or _ . - (compared in lower case)`, { field: 'tags' }),
  contentRequired: () =>
    new DomainError('DOCUMENT.CONTENT_REQUIRED', 'validation', 'An electronic document version needs its content: upload the file', { field: 'file' }),
  locationRequired: () =>
    new DomainError('DOCUMENT.LOCATION_REQUIRED', 'validation', 'A paper original needs its location: site, cabinet and box', { field: 'location' }),
  mediumMismatch: (medium: DocumentMedium) =>
    new DomainError(
      'DOCUMENT.MEDIUM_MISMATCH',
      'validation',
      medium === 'electronic'
        ? 'This document is electronic: a new version is an uploaded file, not a paper location'
        : 'This document is a paper original: a new version is another original with its location, not an upload',
      { field: medium === 'electronic' ? 'file' : 'location', medium },
    ),
  invalidContentHash: (contentHash: string) =>
    new DomainError('DOCUMENT.INVALID_CONTENT_HASH', 'validation', `${contentHash.slice(0, 80)} is not a SHA-256 hex digest`, { field: 'file' }),
  classReserved: (documentClass: DocumentClass) =>
    new DomainError('DOCUMENT.CLASS_RESERVED', 'rule', `Documents of class ${documentClass} are filed by the system itself when a change request closes`, { documentClass }),
  recordImmutable: (documentId: string) =>
    new DomainError('DOCUMENT.RECORD_IMMUTABLE', 'rule', `Document ${documentId} is a change request's filed record: it takes no new versions`, { documentId }),
  contentUnchanged: (version: number) =>
    new DomainError('DOCUMENT.CONTENT_UNCHANGED', 'conflict', `The upload is byte for byte version ${version}: nothing would change`, { version }),
  selfReference: () => new DomainError('DOCUMENT.SELF_REFERENCE', 'validation', 'A document cannot reference itself', { field: 'targetId' }),
  referenceTargetUnknown: (targetType: ReferenceTargetType, targetId: string) =>
    new DomainError('DOCUMENT.REFERENCE_TARGET_UNKNOWN', 'rule', `There is no ${targetType.replace('_', ' ')} ${targetId} to reference`, { targetType, targetId }),
  disposed: (documentId: string) =>
    new DomainError('DOCUMENT.DISPOSED', 'conflict', `Document ${documentId} has been disposed of: its record remains, its content does not`, { documentId }),
  versionNotFound: (documentId: string, version: number) =>
    new DomainError('DOCUMENT.VERSION_NOT_FOUND', 'not_found', `Document ${documentId} has no version ${version}`, { documentId, version }),
  paperOriginal: (version: number, location: PaperLocation) =>
    new DomainError(
      'DOCUMENT.PAPER_ORIGINAL',
      'conflict',
      `Version ${version} is a paper original, kept at site ${location.site}, cabinet ${location.cabinet}, box ${location.box}; it has no electronic content`,
      { version, location },
    ),
  caseRequired: () => new DomainError('DOCUMENT.CASE_REQUIRED', 'validation', 'A legal hold names its case', { field: 'caseId' }),
  reasonRequired: () => new DomainError('DOCUMENT.REASON_REQUIRED', 'validation', 'A reason is required', { field: 'reason' }),
  holdAlreadyPlaced: (caseId: string) =>
    new DomainError('DOCUMENT.LEGAL_HOLD_ALREADY_PLACED', 'conflict', `A legal hold for case ${caseId} is already on this document`, { caseId }),
  holdNotFound: (caseId: string) =>
    new DomainError('DOCUMENT.LEGAL_HOLD_NOT_FOUND', 'not_found', `This document has no active legal hold for case ${caseId}`, { caseId }),
  underLegalHold: (caseIds: readonly string[]) =>
    new DomainError(
      'DOCUMENT.UNDER_LEGAL_HOLD',
      'conflict',
      `The document is under legal hold for case${caseIds.length > 1 ? 's' : ''} ${caseIds.join(', ')}: nobody may dispose of it until ${caseIds.length > 1 ? 'every hold is' : 'the hold is'} released`,
      { holds: caseIds },
    ),
  underRetention: (retainUntil: string) =>
    new DomainError('DOCUMENT.UNDER_RETENTION', 'conflict', `The document must be retained until ${retainUntil}: nobody may dispose of it before then`, { retainUntil }),
} as const;
