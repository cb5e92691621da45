import { Inject } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { ChangeRequestErrors, DocumentErrors, DomainError, ProductErrors, type DocumentClass, type ReferenceTargetType } from '@pc/domain';
import {
  CHANGE_REQUESTS_COLLECTION,
  DOCUMENT_REFERENCES_COLLECTION,
  DOCUMENT_SEARCH_TERMS_COLLECTION,
  DOCUMENTS_COLLECTION,
  PRODUCTS_COLLECTION,
  searchTerm,
  titleWords,
  type ChangeRequestDetails,
  type DocumentDetails,
  type DocumentReferenceEntry,
  type DocumentSearchTerm,
  type ProductDetails,
} from '@pc/projections';
import { READ_STORE, type DocumentWithJson, type FieldCondition, type Page, type ReadStore } from '@pc/read-store';

/** A document as lists show it. */
export interface DocumentSummary {
  readonly id: string;
  readonly documentClass: DocumentClass;
  readonly medium: string;
  readonly title: string;
  readonly author: string;
  readonly documentDate: string;
  readonly tags: readonly string[];
  readonly status: string;
  readonly latestVersion: number;
  readonly filedAt: string;
  readonly productIds: readonly string[];
  readonly changeRequestIds: readonly string[];
  readonly revision: number;
}

export const summaryOf = (document: DocumentDetails): DocumentSummary => ({
  id: document.id,
  documentClass: document.documentClass,
  medium: document.medium,
  title: document.title,
  author: document.author,
  documentDate: document.documentDate,
  tags: document.tags,
  status: document.status,
  latestVersion: document.latestVersion,
  filedAt: document.filedAt,
  productIds: document.productIds,
  changeRequestIds: document.changeRequestIds,
  revision: document.revision,
});

export interface ReferenceView {
  readonly documentId: string;
  readonly targetType: ReferenceTargetType;
  readonly targetId: string;
  readonly relation: string;
  readonly referencedBy: string;
  readonly referencedAt: string;
}

/** An outgoing reference, with what it points at. */
export interface OutgoingReference extends ReferenceView {
  readonly target: { readonly title: string; readonly status: string } | null;
}

/** An incoming reference, with the document that makes it. */
export interface IncomingReference extends ReferenceView {
  readonly document: DocumentSummary | null;
}

export class GetDocumentQuery {
  constructor(readonly documentId: string) {}
}

export interface DocumentSearchCriteria {
  readonly productId?: string;
  readonly changeRequestId?: string;
  readonly documentClass?: DocumentClass;
  readonly status?: 'filed' | 'disposed';
  readonly tags: readonly string[];
  readonly words: string;
  /** YYYY-MM-DD bounds on the document's date, inclusive. */
  readonly from?: string;
  readonly to?: string;
  readonly limit: number;
  readonly cursor?: string;
}

export class SearchDocumentsQuery {
  constructor(readonly criteria: DocumentSearchCriteria) {}
}

export class ListReferencesQuery {
  constructor(
    readonly direction: 'from-document' | 'to-target',
    readonly targetType: ReferenceTargetType,
    readonly id: string,
    readonly page: { limit: number; cursor?: string },
  ) {}
}

const toView = ({ documentId, targetType, targetId, relation, referencedBy, referencedAt }: DocumentReferenceEntry): ReferenceView => ({
  documentId,
  targetType,
  targetId,
  relation,
  referencedBy,
  referencedAt,
});

@QueryHandler(GetDocumentQuery)
export class GetDocumentHandler implements IQueryHandler<GetDocumentQuery, DocumentWithJson<DocumentDetails>> {
  constructor(@Inject(READ_STORE) private readonly readStore: ReadStore) {}

  async execute({ documentId }: GetDocumentQuery): Promise<DocumentWithJson<DocumentDetails>> {
    const document = await this.readStore.getWithJson<DocumentDetails>(DOCUMENTS_COLLECTION, documentId);
    if (!document) throw DocumentErrors.notFound(documentId);
    return document;
  }
}

/** Entries of a term read at once, and the most ids one `in` list checks against another term. */
const TERM_PAGE = 1000;

/**
 * The most documents the terms of a search may match together: they go to `documents` as one
 * `in` list, so that the page can be sorted and resumed by its cursor (on MongoDB a query is one
 * BSON document of at most 16 MB; 10 000 ids take about 0.5 MB).
 */
export const MAX_SEARCH_CANDIDATES = 10_000;

export const searchTooBroad = () =>
  new DomainError(
    'DOCUMENT.SEARCH_TOO_BROAD',
    'rule',
    `More than ${MAX_SEARCH_CANDIDATES} documents carry every product, change request, tag and title word asked for; narrow the search with more of them`,
    { maxCandidates: MAX_SEARCH_CANDIDATES },
  );

/**
 * Each criterion that is a term (product, change request, tag, title word) names the documents
 * carrying it. The terms are counted first; the rarest one's entries are read page by page, and
 * each page's documents are kept if they carry every other term (checked by `in` lists of at most
 * a page). The documents left (at most MAX_SEARCH_CANDIDATES, else 422) are paged over in
 * `documents` by those ids and the indexed class, status and date, newest document date first.
 */
@QueryHandler(SearchDocumentsQuery)
export class SearchDocumentsHandler implements IQueryHandler<SearchDocumentsQuery, Page<DocumentSummary>> {
  constructor(@Inject(READ_STORE) private readonly readStore: ReadStore) {}

  async execute({ criteria }: SearchDocumentsQuery): Promise<Page<DocumentSummary>> {
    const terms = [
      ...(criteria.productId ? [searchTerm.product(criteria.productId)] : []),
      ...(criteria.changeRequestId ? [searchTerm.changeRequest(criteria.changeRequestId)] : []),
      ...criteria.tags.map((tag) => searchTerm.tag(tag.trim().toLowerCase())),
      ...titleWords(criteria.words).map(searchTerm.word),
    ];
    const ids = terms.length > 0 ? await this.documentsWithAll(terms) : null;
    if (ids?.length === 0) return { items: [], nextCursor: null };
    const filter: Record<string, FieldCondition> = {};
    if (ids) filter.id = { in: ids };
    if (criteria.documentClass) filter.documentClass = criteria.documentClass;
    if (criteria.status) filter.status = criteria.status;
    if (criteria.from || criteria.to) filter.documentDate = { ...(criteria.from ? { gte: criteria.from } : {}), ...(criteria.to ? { lte: criteria.to } : {}) };
    const page = await this.readStore.find<DocumentDetails>(DOCUMENTS_COLLECTION, {
      filter,
      sort: { field: 'documentDate', direction: 'desc' },
      limit: criteria.limit,
      cursor: criteria.cursor ?? null,
    });
    return { items: page.items.map(summaryOf), nextCursor: page.nextCursor };
  }

  /** The ids of the documents carrying every term, in id order; at most MAX_SEARCH_CANDIDATES. */
  private async documentsWithAll(terms: readonly string[]): Promise<string[]> {
    const counted = await Promise.all([...new Set(terms)].map(async (term) => ({ term, count: await this.readStore.count(DOCUMENT_SEARCH_TERMS_COLLECTION, { term }) })));
    counted.sort((a, b) => a.count - b.count);
    const [rarest, ...others] = counted as [{ term: string; count: number }, ...{ term: string; count: number }[]];
    if (rarest.count === 0) return [];
    if (others.length === 0 && rarest.count > MAX_SEARCH_CANDIDATES) throw searchTooBroad();
    const found: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Page<DocumentSearchTerm> = await this.readStore.find<DocumentSearchTerm>(DOCUMENT_SEARCH_TERMS_COLLECTION, {
        filter: { term: rarest.term },
        sort: { field: 'documentId', direction: 'asc' },
        limit: TERM_PAGE,
        cursor,
      });
      let candidates = page.items.map((entry) => entry.documentId);
      for (const { term } of others) {
        if (candidates.length === 0) break;
        candidates = await this.carrying(term, candidates);
      }
      found.push(...candidates);
      if (found.length > MAX_SEARCH_CANDIDATES) throw searchTooBroad();
      cursor = page.nextCursor;
    } while (cursor !== null);
    return found;
  }

  /** Those of `ids` (at most a page) that carry `term`, in their order. */
  private async carrying(term: string, ids: readonly string[]): Promise<string[]> {
    const carrying = new Set<string>();
    let cursor: string | null = null;
    do {
      const page: Page<DocumentSearchTerm> = await this.readStore.find<DocumentSearchTerm>(DOCUMENT_SEARCH_TERMS_COLLECTION, {
        filter: { term, documentId: { in: ids } },
        sort: { field: 'documentId', direction: 'asc' },
        limit: ids.length,
        cursor,
      });
      for (const entry of page.items) carrying.add(entry.documentId);
      cursor = page.nextCursor;
    } while (cursor !== null);
    return ids.filter((id) => carrying.has(id));
  }
}

@QueryHandler(ListReferencesQuery)
export class ListReferencesHandler implements IQueryHandler<ListReferencesQuery, Page<OutgoingReference | IncomingReference>> {
  constructor(@Inject(READ_STORE) private readonly readStore: ReadStore) {}

  async execute({ direction, targetType, id, page }: ListReferencesQuery): Promise<Page<OutgoingReference | IncomingReference>> {
    await this.assertExists(direction === 'from-document' ? 'document' : targetType, id);
    const found = await this.readStore.find<DocumentReferenceEntry>(DOCUMENT_REFERENCES_COLLECTION, {
      filter: direction === 'from-document' ? { documentId: id } : { targetType, targetId: id },
      sort: { field: 'position', direction: 'asc' },
      limit: page.limit,
      cursor: page.cursor ?? null,
    });
    const items =
      direction === 'from-document'
        ? await Promise.all(found.items.map(async (entry) => ({ ...toView(entry), target: await this.describe(entry.targetType, entry.targetId) })))
        : await Promise.all(
            found.items.map(async (entry) => {
              const document = await this.readStore.get<DocumentDetails>(DOCUMENTS_COLLECTION, entry.documentId);
              return { ...toView(entry), document: document ? summaryOf(document) : null };
            }),
          );
    return { items, nextCursor: found.nextCursor };
  }

  private async assertExists(type: ReferenceTargetType, id: string): Promise<void> {
    if ((await this.describe(type, id)) !== null) return;
    throw type === 'product' ? ProductErrors.notFound(id) : type === 'change_request' ? ChangeRequestErrors.notFound(id) : DocumentErrors.notFound(id);
  }

  private async describe(type: ReferenceTargetType, id: string): Promise<{ title: string; status: string } | null> {
    switch (type) {
      case 'product': {
        const product = await this.readStore.get<ProductDetails>(PRODUCTS_COLLECTION, id);
        return product && { title: product.name, status: product.stage };
      }
      case 'change_request': {
        const changeRequest = await this.readStore.get<ChangeRequestDetails>(CHANGE_REQUESTS_COLLECTION, id);
        return changeRequest && { title: changeRequest.title, status: changeRequest.status };
      }
      case 'document': {
        const document = await this.readStore.get<DocumentDetails>(DOCUMENTS_COLLECTION, id);
        return document && { title: document.title, status: document.status };
      }
    }
  }
}
