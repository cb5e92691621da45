import { deciderSpec, SPEC_ACTOR, SPEC_NOW } from '../testing/decider-spec';
import { content, DOCUMENT_ID, DOCUMENT_PRODUCT_ID, documentFiled, hashOf, LOCATION, OTHER_DOCUMENT_ID, TEN_YEARS } from '../testing/document-fixtures';
import { documentDecider } from './document.decider';
import type { FileChangeRequestRecord, FileDocument } from './filing-document';
import { isCalendarDate } from './filing-document';

const document = deciderSpec(documentDecider);

const fileElectronic = (overrides: Partial<FileDocument> = {}): FileDocument => ({
  type: 'FileDocument',
  documentId: DOCUMENT_ID,
  medium: 'electronic',
  documentClass: 'contract',
  title: '  Supply contract ',
  author: ' Legal department ',
  documentDate: '2025-02-27',
  tags: ['Supplier', ' supplier ', 'EU'],
  content: content('a'),
  location: null,
  references: [],
  retentionPeriod: TEN_YEARS,
  ...overrides,
});

const NOW = SPEC_NOW.toISOString();

describe('Filing a document', () => {
  it('files an electronic document with its content hash, normalised tags and the end of its retention', () => {
    document
      .given([])
      .when(fileElectronic())
      .thenEmits([
        {
          type: 'DocumentFiled',
          data: {
            documentId: DOCUMENT_ID,
            medium: 'electronic',
            documentClass: 'contract',
            title: 'Supply contract',
            author: 'Legal department',
            documentDate: '2025-02-27',
            tags: ['supplier', 'eu'],
            content: content('a'),
            location: null,
            retainUntil: '2035-03-14T09:30:00.000Z',
            recordOf: null,
            filedBy: SPEC_ACTOR.id,
            filedAt: NOW,
          },
        },
      ]);
  });

  it('registers a paper original with where it is kept, dated the filing day when no date is given', () => {
    const [filed] = documentDecider.decide(
      fileElectronic({ medium: 'paper', content: null, location: { site: ' Lyon ', cabinet: 'C-7', box: '12' }, documentDate: null }),
      documentDecider.initialState(),
      { now: SPEC_NOW, actor: SPEC_ACTOR },
    );
    expect(filed).toMatchObject({ type: 'DocumentFiled', data: { medium: 'paper', content: null, location: LOCATION, documentDate: '2025-03-14' } });
  });

  it('records each cross-reference made at filing once, in the order given', () => {
    const events = documentDecider.decide(
      fileElectronic({
        references: [
          { targetType: 'product', targetId: DOCUMENT_PRODUCT_ID, relation: 'refers_to', targetExists: true },
          { targetType: 'document', targetId: OTHER_DOCUMENT_ID, relation: 'supersedes', targetExists: true },
          { targetType: 'product', targetId: DOCUMENT_PRODUCT_ID, relation: 'refers_to', targetExists: true },
        ],
      }),
      documentDecider.initialState(),
      { now: SPEC_NOW, actor: SPEC_ACTOR },
    );
    expect(events.map((event) => event.type)).toEqual(['DocumentFiled', 'DocumentCrossReferenced', 'DocumentCrossReferenced']);
    expect(events[2]).toEqual({
      type: 'DocumentCrossReferenced',
      data: { documentId: DOCUMENT_ID, targetType: 'document', targetId: OTHER_DOCUMENT_ID, relation: 'supersedes', referencedBy: SPEC_ACTOR.id, referencedAt: NOW },
    });
  });

  it('refuses a reference to something that does not exist (422)', () => {
    const error = document
      .given([])
      .when(fileElectronic({ references: [{ targetType: 'change_request', targetId: 'cr-404', relation: 'supports', targetExists: false }] }))
      .thenThrows('DOCUMENT.REFERENCE_TARGET_UNKNOWN');
    expect(error.kind).toBe('rule');
    expect(error.details).toEqual({ targetType: 'change_request', targetId: 'cr-404' });
  });

  it('refuses a document referencing itself', () => {
    document
      .given([])
      .when(fileElectronic({ references: [{ targetType: 'document', targetId: DOCUMENT_ID, relation: 'refers_to', targetExists: true }] }))
      .thenThrows('DOCUMENT.SELF_REFERENCE');
  });

  it('refuses to file twice under one id', () => {
    expect(document.given([documentFiled()]).when(fileElectronic()).thenThrows('DOCUMENT.ALREADY_FILED').kind).toBe('conflict');
  });

  it('keeps the change-request record class for the system', () => {
    expect(document.given([]).when(fileElectronic({ documentClass: 'change_request_record' })).thenThrows('DOCUMENT.CLASS_RESERVED').kind).toBe('rule');
  });

  it.each<[string, Partial<FileDocument>, string]>([
    ['a blank title', { title: '  ' }, 'DOCUMENT.TITLE_REQUIRED'],
    ['a blank author', { author: '' }, 'DOCUMENT.AUTHOR_REQUIRED'],
    ['a date that is not on the calendar', { documentDate: '2025-02-30' }, 'DOCUMENT.INVALID_DATE'],
    ['a tag with spaces inside', { tags: ['two words'] }, 'DOCUMENT.INVALID_TAG'],
    ['an electronic document without content', { content: null }, 'DOCUMENT.CONTENT_REQUIRED'],
    ['an electronic document with a location', { location: LOCATION }, 'DOCUMENT.MEDIUM_MISMATCH'],
    ['a paper original without location', { medium: 'paper', content: null }, 'DOCUMENT.LOCATION_REQUIRED'],
    ['a paper original with content', { medium: 'paper', location: LOCATION }, 'DOCUMENT.MEDIUM_MISMATCH'],
    ['a paper original with a blank box', { medium: 'paper', content: null, location: { ...LOCATION, box: ' ' } }, 'DOCUMENT.LOCATION_REQUIRED'],
    ['a content hash that is not SHA-256', { content: content('a', { contentHash: 'abc' }) }, 'DOCUMENT.INVALID_CONTENT_HASH'],
  ])('refuses %s', (_case, overrides, code) => {
    expect(document.given([]).when(fileElectronic(overrides)).thenThrows(code).kind).toBe('validation');
  });

  it('tells calendar dates from look-alikes', () => {
    expect(['2024-02-29', '2025-12-31'].map(isCalendarDate)).toEqual([true, true]);
    expect(['2025-02-29', '2025-13-01', '25-01-01', '2025-1-1'].map(isCalendarDate)).toEqual([false, false, false, false]);
  });
});

describe('Filing a change request record', () => {
  const recordOf = { changeRequestId: 'cr-1', productId: DOCUMENT_PRODUCT_ID, closedAs: 'implemented', eventCount: 6, lastEventHash: hashOf('f') };
  const fileRecord: FileChangeRequestRecord = {
    type: 'FileChangeRequestRecord',
    documentId: DOCUMENT_ID,
    title: 'Change request record: Bigger kettle',
    content: content('e', { mediaType: 'application/json', fileName: 'change-request-cr-1.json' }),
    documentDate: '2025-03-14',
    recordOf,
    retentionPeriod: TEN_YEARS,
  };
  const actor = { id: 'process:change-request-filing', roles: [] };

  it('files the record as the system, cross-referenced to the request and its product', () => {
    document
      .given([])
      .when(fileRecord, { actor })
      .thenEmits([
        {
          type: 'DocumentFiled',
          data: {
            documentId: DOCUMENT_ID,
            medium: 'electronic',
            documentClass: 'change_request_record',
            title: 'Change request record: Bigger kettle',
            author: 'Product Coordinator (automatic filing)',
            documentDate: '2025-03-14',
            tags: ['change-request-record', 'implemented'],
            content: fileRecord.content,
            location: null,
            retainUntil: '2035-03-14T09:30:00.000Z',
            recordOf,
            filedBy: actor.id,
            filedAt: NOW,
          },
        },
        {
          type: 'DocumentCrossReferenced',
          data: { documentId: DOCUMENT_ID, targetType: 'change_request', targetId: 'cr-1', relation: 'refers_to', referencedBy: actor.id, referencedAt: NOW },
        },
        {
          type: 'DocumentCrossReferenced',
          data: { documentId: DOCUMENT_ID, targetType: 'product', targetId: DOCUMENT_PRODUCT_ID, relation: 'refers_to', referencedBy: actor.id, referencedAt: NOW },
        },
      ]);
  });

  it('files nothing more when the record is already filed: a replayed process is harmless', () => {
    const filed = documentDecider.decide(fileRecord, documentDecider.initialState(), { now: SPEC_NOW, actor });
    document.given(filed).when(fileRecord, { actor }).thenEmits([]);
  });

  it('refuses when the id belongs to another document', () => {
    document.given([documentFiled()]).when(fileRecord, { actor }).thenThrows('DOCUMENT.ALREADY_FILED');
  });
});
