import { CHANGE_REQUEST_ID, PRODUCT_ID } from '../testing/domain-events';
import { DOCUMENT_ID, documentContentRetrieved, documentCrossReferenced, documentDisposed, documentFiled, documentStream, OTHER_DOCUMENT_ID, referencesChangeRequest } from '../testing/document-events';
import { EventLog, projectEvents } from '../testing/recorded';
import { documentSearchProjection, searchTermId } from './document-search.projection';
import { titleWords } from './title-words';

const stream = documentStream(DOCUMENT_ID);

describe('document search projection', () => {
  it('indexes the words of the title, the tags, and the products and change requests referenced', () => {
    const log = new EventLog();
    log.append(stream, documentFiled());
    log.append(stream, documentCrossReferenced());
    log.append(stream, referencesChangeRequest());
    log.append(stream, documentCrossReferenced({ targetType: 'document', targetId: OTHER_DOCUMENT_ID }));
    log.append(stream, documentContentRetrieved());
    log.append(stream, documentDisposed());

    const terms = [...projectEvents(documentSearchProjection, log.events).values()];
    expect(terms.map((entry) => entry.term).sort()).toEqual(
      ['word:supply', 'word:contract', 'word:prufbericht', 'word:2025', 'tag:supplier', 'tag:eu', `product:${PRODUCT_ID}`, `change_request:${CHANGE_REQUEST_ID}`].sort(),
    );
    expect(terms.every((entry) => entry.documentId === DOCUMENT_ID && entry.id === searchTermId(DOCUMENT_ID, entry.term))).toBe(true);
  });

  it('leaves an existing entry as it is', () => {
    const log = new EventLog();
    const filed = log.append(stream, documentFiled());
    const [id] = documentSearchProjection.documentIds(filed);
    const entry = documentSearchProjection.evolve(null, filed, id)!;
    expect(documentSearchProjection.evolve(entry, filed, id)).toBe(entry);
  });
});

describe('titleWords', () => {
  it('lower-cases, removes accents, splits on anything but letters and digits, drops single letters and repeats', () => {
    expect(titleWords('Prüfbericht: Pump-100 / a B test TEST 7')).toEqual(['prufbericht', 'pump', '100', 'test', '7']);
    expect(titleWords('  ')).toEqual([]);
  });
});
