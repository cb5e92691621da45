import type { DomainEvent } from '../shared/decider';

export const DOCUMENT_CLASSES = ['contract', 'specification', 'test_report', 'correspondence', 'change_request_record', 'other'] as const;
export type DocumentClass = (typeof DOCUMENT_CLASSES)[number];

export const DOCUMENT_MEDIA = ['electronic', 'paper'] as const;
export type DocumentMedium = (typeof DOCUMENT_MEDIA)[number];

export const REFERENCE_RELATIONS = ['supersedes', 'supports', 'refers_to'] as const;
export type ReferenceRelation = (typeof REFERENCE_RELATIONS)[number];

export const REFERENCE_TARGET_TYPES = ['product', 'change_request', 'document'] as const;
export type ReferenceTargetType = (typeof REFERENCE_TARGET_TYPES)[number];

export const RETRIEVAL_PURPOSES = ['download', 'evidence_bundle'] as const;
export type RetrievalPurpose = (typeof RETRIEVAL_PURPOSES)[number];

/** What every document's stream id begins with: a read of the log can ask for these streams alone. */
export const DOCUMENT_STREAM_PREFIX = 'document-';
export const toDocumentStreamId = (documentId: string): string => `${DOCUMENT_STREAM_PREFIX}${documentId}`;

/** An electronic version's bytes, stored content-addressed: the hash is computed where the bytes arrive, never in the domain. */
export interface StoredContent {
  /** SHA-256 of the bytes, lower-case hex. */
  readonly contentHash: string;
  readonly size: number;
  readonly mediaType: string;
  readonly fileName: string;
}

/** Where a paper original is kept. */
export interface PaperLocation {
  readonly site: string;
  readonly cabinet: string;
  readonly box: string;
}

export interface DocumentReference {
  readonly targetType: ReferenceTargetType;
  readonly targetId: string;
  readonly relation: ReferenceRelation;
}

/** What an automatically filed change-request record is the record of. */
export interface ChangeRequestRecordSource {
  readonly changeRequestId: string;
  readonly productId: string;
  /** implemented, rejected or withdrawn. */
  readonly closedAs: string;
  /** How many events of the request the record holds, and the hash of the last one: it names the exact history filed. */
  readonly eventCount: number;
  readonly lastEventHash: string;
}

export type DocumentFiled = DomainEvent<
  'DocumentFiled',
  {
    readonly documentId: string;
    readonly medium: DocumentMedium;
    readonly documentClass: DocumentClass;
    readonly title: string;
    readonly author: string;
    /** The date the document bears (YYYY-MM-DD); the filing day when none was given. */
    readonly documentDate: string;
    readonly tags: readonly string[];
    /** Version 1: its content (electronic) or where the original is kept (paper). */
    readonly content: StoredContent | null;
    readonly location: PaperLocation | null;
    /** End of the retention period of the class, as the policy stood at filing. */
    readonly retainUntil: string;
    readonly recordOf: ChangeRequestRecordSource | null;
    readonly filedBy: string;
    readonly filedAt: string;
  }
>;

export type DocumentVersionAdded = DomainEvent<
  'DocumentVersionAdded',
  {
    readonly documentId: string;
    readonly version: number;
    readonly content: StoredContent | null;
    readonly location: PaperLocation | null;
    readonly note: string | null;
    readonly addedBy: string;
    readonly addedAt: string;
  }
>;

export type DocumentCrossReferenced = DomainEvent<
  'DocumentCrossReferenced',
  DocumentReference & { readonly documentId: string; readonly referencedBy: string; readonly referencedAt: string }
>;

export type DocumentContentRetrieved = DomainEvent<
  'DocumentContentRetrieved',
  {
    readonly documentId: string;
    readonly version: number;
    readonly contentHash: string;
    readonly purpose: RetrievalPurpose;
    readonly retrievedBy: string;
    readonly retrievedAt: string;
  }
>;

export type DocumentLegalHoldPlaced = DomainEvent<
  'DocumentLegalHoldPlaced',
  { readonly documentId: string; readonly caseId: string; readonly reason: string; readonly placedBy: string; readonly placedAt: string }
>;

export type DocumentLegalHoldReleased = DomainEvent<
  'DocumentLegalHoldReleased',
  { readonly documentId: string; readonly caseId: string; readonly reason: string; readonly releasedBy: string; readonly releasedAt: string }
>;

export type DocumentDisposed = DomainEvent<
  'DocumentDisposed',
  {
    readonly documentId: string;
    readonly reason: string;
    /** The end of retention that had passed when it was disposed of. */
    readonly retentionEndedAt: string;
    /** The electronic versions whose content is removed; the record of them stays. */
    readonly contentRemoved: readonly { readonly version: number; readonly contentHash: string }[];
    readonly disposedBy: string;
    readonly disposedAt: string;
  }
>;

export type DocumentEvent =
  | DocumentFiled
  | DocumentVersionAdded
  | DocumentCrossReferenced
  | DocumentContentRetrieved
  | DocumentLegalHoldPlaced
  | DocumentLegalHoldReleased
  | DocumentDisposed;

export interface LegalHold {
  readonly caseId: string;
  readonly reason: string;
  readonly placedBy: string;
  readonly placedAt: string;
}

export interface VersionSummary {
  readonly version: number;
  /** null for a paper original. */
  readonly contentHash: string | null;
  readonly location: PaperLocation | null;
}

export type DocumentState =
  | { readonly status: 'none' }
  | {
      readonly status: 'filed' | 'disposed';
      readonly id: string;
      readonly medium: DocumentMedium;
      readonly documentClass: DocumentClass;
      readonly filedAt: string;
      readonly retainUntil: string;
      readonly versions: readonly VersionSummary[];
      /** `targetType:targetId:relation` of every reference made, so the same one is not recorded twice. */
      readonly references: ReadonlySet<string>;
      /** Active holds by case. */
      readonly holds: ReadonlyMap<string, LegalHold>;
      readonly recordOf: ChangeRequestRecordSource | null;
    };

export type FiledDocument = Extract<DocumentState, { id: string }>;

export const referenceKey = ({ targetType, targetId, relation }: DocumentReference): string => `${targetType}:${targetId}:${relation}`;

export const initialDocument = (): DocumentState => ({ status: 'none' });

export function evolveDocument(state: DocumentState, event: DocumentEvent): DocumentState {
  if (event.type === 'DocumentFiled') {
    const { documentId, medium, documentClass, filedAt, retainUntil, content, location, recordOf } = event.data;
    return {
      status: 'filed',
      id: documentId,
      medium,
      documentClass,
      filedAt,
      retainUntil,
      versions: [{ version: 1, contentHash: content?.contentHash ?? null, location }],
      references: new Set(),
      holds: new Map(),
      recordOf,
    };
  }
  if (state.status === 'none') return state;
  switch (event.type) {
    case 'DocumentVersionAdded': {
      const { version, content, location } = event.data;
      return { ...state, versions: [...state.versions, { version, contentHash: content?.contentHash ?? null, location }] };
    }
    case 'DocumentCrossReferenced':
      return { ...state, references: new Set([...state.references, referenceKey(event.data)]) };
    case 'DocumentContentRetrieved':
      return state;
    case 'DocumentLegalHoldPlaced': {
      const { caseId, reason, placedBy, placedAt } = event.data;
      return { ...state, holds: new Map([...state.holds, [caseId, { caseId, reason, placedBy, placedAt }]]) };
    }
    case 'DocumentLegalHoldReleased': {
      const holds = new Map(state.holds);
      holds.delete(event.data.caseId);
      return { ...state, holds };
    }
    case 'DocumentDisposed':
      return { ...state, status: 'disposed' };
    default: {
      const unknownEvent: never = event;
      return unknownEvent;
    }
  }
}
