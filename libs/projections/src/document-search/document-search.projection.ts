import type { RecordedEvent } from '@pc/event-store';
import { asDomainEvent, type Projection } from '../projection';
import { titleWords } from './title-words';

/**
 * One index entry per (document, term), because the read store indexes top-level scalars only:
 * `word:<title word>`, `tag:<tag>`, `product:<id>`, `change_request:<id>`. A search reads the
 * entries of each term it names, intersects the document ids, and pages over `documents`.
 */
export interface DocumentSearchTerm {
  readonly id: string;
  readonly documentId: string;
  readonly term: string;
  [key: string]: unknown;
}

export const DOCUMENT_SEARCH_TERMS_COLLECTION = 'document_search_terms';

export const searchTerm = {
  word: (word: string) => `word:${word}`,
  tag: (tag: string) => `tag:${tag}`,
  product: (productId: string) => `product:${productId}`,
  changeRequest: (changeRequestId: string) => `change_request:${changeRequestId}`,
};

const SEPARATOR = '|';
export const searchTermId = (documentId: string, term: string): string => `${documentId}${SEPARATOR}${term}`;

function termsOf(recorded: RecordedEvent): { documentId: string; terms: string[] } | null {
  const event = asDomainEvent(recorded);
  if (event?.type === 'DocumentFiled') {
    const { documentId, title, tags } = event.data;
    return { documentId, terms: [...titleWords(title).map(searchTerm.word), ...tags.map(searchTerm.tag)] };
  }
  if (event?.type === 'DocumentCrossReferenced') {
    const { documentId, targetType, targetId } = event.data;
    if (targetType === 'product') return { documentId, terms: [searchTerm.product(targetId)] };
    if (targetType === 'change_request') return { documentId, terms: [searchTerm.changeRequest(targetId)] };
  }
  return null;
}

export const documentSearchProjection: Projection<DocumentSearchTerm> = {
  name: 'document-search',
  collection: { name: DOCUMENT_SEARCH_TERMS_COLLECTION, indexes: [{ fields: ['term', 'documentId'] }, { fields: ['documentId'] }] },
  documentIds: (event) => {
    const found = termsOf(event);
    return found ? found.terms.map((term) => searchTermId(found.documentId, term)) : [];
  },
  // An entry only ever comes into being: the record of a disposed document stays searchable.
  evolve: (document, _event, id) => {
    if (document) return document;
    if (id === undefined) throw new TypeError('document-search builds an entry from the id documentIds named');
    const split = id.indexOf(SEPARATOR);
    return { id, documentId: id.slice(0, split), term: id.slice(split + 1) };
  },
};
