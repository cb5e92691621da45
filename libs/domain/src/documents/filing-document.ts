import type { DecisionContext } from '../shared/decider';
import {
  referenceKey,
  type ChangeRequestRecordSource,
  type DocumentClass,
  type DocumentCrossReferenced,
  type DocumentFiled,
  type DocumentMedium,
  type DocumentReference,
  type DocumentState,
  type PaperLocation,
  type StoredContent,
} from './document';
import { DocumentErrors } from './document-errors';
import { retentionEnd, type RetentionPeriod } from './retention';

/** A reference as the caller found it: whether its target exists is looked up outside the domain. */
export interface CheckedReference extends DocumentReference {
  readonly targetExists: boolean;
}

export interface FileDocument {
  readonly type: 'FileDocument';
  readonly documentId: string;
  readonly medium: DocumentMedium;
  readonly documentClass: DocumentClass;
  readonly title: string;
  readonly author: string;
  /** YYYY-MM-DD; null files it under the filing day. */
  readonly documentDate: string | null;
  readonly tags: readonly string[];
  /** Electronic: the stored bytes' description. Paper: null. */
  readonly content: StoredContent | null;
  /** Paper: where the original is. Electronic: null. */
  readonly location: PaperLocation | null;
  readonly references: readonly CheckedReference[];
  /** The class's retention period under the policy in force now. */
  readonly retentionPeriod: RetentionPeriod;
}

/** Issued by the filing process when a change request closes; the document id derives from the request's. */
export interface FileChangeRequestRecord {
  readonly type: 'FileChangeRequestRecord';
  readonly documentId: string;
  readonly title: string;
  readonly content: StoredContent;
  readonly documentDate: string;
  readonly recordOf: ChangeRequestRecordSource;
  readonly retentionPeriod: RetentionPeriod;
}

export const AUTOMATIC_FILING_AUTHOR = 'Product Coordinator (automatic filing)';
export const CHANGE_REQUEST_RECORD_TAG = 'change-request-record';

const TAG = /^[\p{L}\p{N}][\p{L}\p{N}_.-]{0,49}$/u;
const CALENDAR_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const SHA256_HEX = /^[0-9a-f]{64}$/;

export function isCalendarDate(text: string): boolean {
  const match = CALENDAR_DATE.exec(text);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** Tags compare in lower case, without surrounding spaces; the same tag twice is one tag. */
export function normalizeTags(tags: readonly string[]): string[] {
  const normalized: string[] = [];
  for (const raw of tags) {
    const tag = raw.trim().toLowerCase();
    if (!TAG.test(tag)) throw DocumentErrors.invalidTag(raw);
    if (!normalized.includes(tag)) normalized.push(tag);
  }
  return normalized;
}

export function checkContent(content: StoredContent): StoredContent {
  if (!SHA256_HEX.test(content.contentHash)) throw DocumentErrors.invalidContentHash(content.contentHash);
  return content;
}

export function checkLocation(location: PaperLocation): PaperLocation {
  const checked = { site: location.site.trim(), cabinet: location.cabinet.trim(), box: location.box.trim() };
  if (!checked.site || !checked.cabinet || !checked.box) throw DocumentErrors.locationRequired();
  return checked;
}

/** The version's medium must be the document's: bytes for an electronic one, a location for a paper original. */
export function versionBody(medium: DocumentMedium, content: StoredContent | null, location: PaperLocation | null): { content: StoredContent | null; location: PaperLocation | null } {
  if (medium === 'electronic') {
    if (location !== null) throw DocumentErrors.mediumMismatch(medium);
    if (content === null) throw DocumentErrors.contentRequired();
    return { content: checkContent(content), location: null };
  }
  if (content !== null) throw DocumentErrors.mediumMismatch(medium);
  if (location === null) throw DocumentErrors.locationRequired();
  return { content: null, location: checkLocation(location) };
}

/** Each reference once, to something that exists, other than the document itself. */
export function checkReferences(documentId: string, references: readonly CheckedReference[], alreadyMade: ReadonlySet<string> = new Set()): DocumentReference[] {
  const seen = new Set(alreadyMade);
  const accepted: DocumentReference[] = [];
  for (const { targetType, targetId, relation, targetExists } of references) {
    if (targetType === 'document' && targetId === documentId) throw DocumentErrors.selfReference();
    if (!targetExists) throw DocumentErrors.referenceTargetUnknown(targetType, targetId);
    const key = referenceKey({ targetType, targetId, relation });
    if (seen.has(key)) continue;
    seen.add(key);
    accepted.push({ targetType, targetId, relation });
  }
  return accepted;
}

export const crossReferenced = (documentId: string, reference: DocumentReference, actorId: string, at: string): DocumentCrossReferenced => ({
  type: 'DocumentCrossReferenced',
  data: { documentId, targetType: reference.targetType, targetId: reference.targetId, relation: reference.relation, referencedBy: actorId, referencedAt: at },
});

export function fileDocument(command: FileDocument, state: DocumentState, { now, actor }: DecisionContext): Array<DocumentFiled | DocumentCrossReferenced> {
  if (state.status !== 'none') throw DocumentErrors.alreadyFiled(command.documentId);
  if (command.documentClass === 'change_request_record') throw DocumentErrors.classReserved(command.documentClass);
  const title = command.title.trim();
  if (title === '') throw DocumentErrors.titleRequired();
  const author = command.author.trim();
  if (author === '') throw DocumentErrors.authorRequired();
  if (command.documentDate !== null && !isCalendarDate(command.documentDate)) throw DocumentErrors.invalidDocumentDate(command.documentDate);
  const tags = normalizeTags(command.tags);
  const { content, location } = versionBody(command.medium, command.content, command.location);
  const references = checkReferences(command.documentId, command.references);
  const filedAt = now.toISOString();
  return [
    {
      type: 'DocumentFiled',
      data: {
        documentId: command.documentId,
        medium: command.medium,
        documentClass: command.documentClass,
        title,
        author,
        documentDate: command.documentDate ?? filedAt.slice(0, 10),
        tags,
        content,
        location,
        retainUntil: retentionEnd(filedAt, command.retentionPeriod),
        recordOf: null,
        filedBy: actor.id,
        filedAt,
      },
    },
    ...references.map((reference) => crossReferenced(command.documentId, reference, actor.id, filedAt)),
  ];
}

/** Filed once per change request: a replayed process finds the record there and files nothing. */
export function fileChangeRequestRecord(
  command: FileChangeRequestRecord,
  state: DocumentState,
  { now, actor }: DecisionContext,
): Array<DocumentFiled | DocumentCrossReferenced> {
  if (state.status !== 'none') {
    if (state.recordOf?.changeRequestId === command.recordOf.changeRequestId) return [];
    throw DocumentErrors.alreadyFiled(command.documentId);
  }
  const filedAt = now.toISOString();
  const { changeRequestId, productId, closedAs } = command.recordOf;
  return [
    {
      type: 'DocumentFiled',
      data: {
        documentId: command.documentId,
        medium: 'electronic',
        documentClass: 'change_request_record',
        title: command.title.trim() || `Change request ${changeRequestId}`,
        author: AUTOMATIC_FILING_AUTHOR,
        documentDate: command.documentDate,
        tags: [CHANGE_REQUEST_RECORD_TAG, closedAs],
        content: checkContent(command.content),
        location: null,
        retainUntil: retentionEnd(filedAt, command.retentionPeriod),
        recordOf: command.recordOf,
        filedBy: actor.id,
        filedAt,
      },
    },
    crossReferenced(command.documentId, { targetType: 'change_request', targetId: changeRequestId, relation: 'refers_to' }, actor.id, filedAt),
    crossReferenced(command.documentId, { targetType: 'product', targetId: productId, relation: 'refers_to' }, actor.id, filedAt),
  ];
}
