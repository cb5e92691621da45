import { DomainError, type DomainErrorKind } from '../shared/domain-error';
import { DocumentErrors } from './document-errors';

/** Codes and kinds are a published contract (clients branch on them; the API maps kinds to statuses). */
const catalogue: Array<[string, DomainError, DomainErrorKind]> = [
  ['DOCUMENT.NOT_FOUND', DocumentErrors.notFound('d'), 'not_found'],
  ['DOCUMENT.ALREADY_FILED', DocumentErrors.alreadyFiled('d'), 'conflict'],
  ['DOCUMENT.TITLE_REQUIRED', DocumentErrors.titleRequired(), 'validation'],
  ['DOCUMENT.AUTHOR_REQUIRED', DocumentErrors.authorRequired(), 'validation'],
  ['DOCUMENT.INVALID_DATE', DocumentErrors.invalidDocumentDate('x'), 'validation'],
  ['DOCUMENT.INVALID_TAG', DocumentErrors.invalidTag('x y'), 'validation'],
  ['DOCUMENT.CONTENT_REQUIRED', DocumentErrors.contentRequired(), 'validation'],
  ['DOCUMENT.LOCATION_REQUIRED', DocumentErrors.locationRequired(), 'validation'],
  ['DOCUMENT.MEDIUM_MISMATCH', DocumentErrors.mediumMismatch('paper'), 'validation'],
  ['DOCUMENT.INVALID_CONTENT_HASH', DocumentErrors.invalidContentHash('x'), 'validation'],
  ['DOCUMENT.CLASS_RESERVED', DocumentErrors.classReserved('change_request_record'), 'rule'],
  ['DOCUMENT.RECORD_IMMUTABLE', DocumentErrors.recordImmutable('d'), 'rule'],
  ['DOCUMENT.CONTENT_UNCHANGED', DocumentErrors.contentUnchanged(1), 'conflict'],
  ['DOCUMENT.SELF_REFERENCE', DocumentErrors.selfReference(), 'validation'],
  ['DOCUMENT.REFERENCE_TARGET_UNKNOWN', DocumentErrors.referenceTargetUnknown('product', 'p'), 'rule'],
  ['DOCUMENT.DISPOSED', DocumentErrors.disposed('d'), 'conflict'],
  ['DOCUMENT.VERSION_NOT_FOUND', DocumentErrors.versionNotFound('d', 2), 'not_found'],
  ['DOCUMENT.PAPER_ORIGINAL', DocumentErrors.paperOriginal(1, { site: 's', cabinet: 'c', box: 'b' }), 'conflict'],
  ['DOCUMENT.CASE_REQUIRED', DocumentErrors.caseRequired(), 'validation'],
  ['DOCUMENT.REASON_REQUIRED', DocumentErrors.reasonRequired(), 'validation'],
  ['DOCUMENT.LEGAL_HOLD_ALREADY_PLACED', DocumentErrors.holdAlreadyPlaced('c'), 'conflict'],
  ['DOCUMENT.LEGAL_HOLD_NOT_FOUND', DocumentErrors.holdNotFound('c'), 'not_found'],
  ['DOCUMENT.UNDER_LEGAL_HOLD', DocumentErrors.underLegalHold(['c']), 'conflict'],
  ['DOCUMENT.UNDER_RETENTION', DocumentErrors.underRetention('2030-01-01T00:00:00.000Z'), 'conflict'],
];

describe('The document error catalogue', () => {
  it('lists every error factory', () => {
    expect(catalogue).toHaveLength(Object.keys(DocumentErrors).length);
  });

  it.each(catalogue)('%s keeps its code and kind', (code, error, kind) => {
    expect(error).toBeInstanceOf(DomainError);
    expect(error.code).toBe(code);
    expect(error.kind).toBe(kind);
    expect(error.message).not.toBe('');
  });
});
