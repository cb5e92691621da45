import fc from 'fast-check';
import { EVENT_SCHEMA_VERSIONS, type DomainEventType } from '@pc/domain';
import { asDomainEvent, entityIdsIn, oneDocumentPerStream, parseStreamId } from './projection';
import { productRegistered } from './testing/domain-events';
import { recorded } from './testing/recorded';

describe('parseStreamId', () => {
  it.each([
    ['change-request-9b2d7c14-5e6f-4a3b-8c1d-0e9f8a7b6c52', 'change-request', '9b2d7c14-5e6f-4a3b-8c1d-0e9f8a7b6c52'],
    ['product-3f1c9a52-8a1e-4c55-9d0e-2b7f4b1a6e01', 'product', '3f1c9a52-8a1e-4c55-9d0e-2b7f4b1a6e01'],
    ['notification-user-requester', 'notification', 'user-requester'],
    ['document-5c1e', 'document', '5c1e'],
    ['plan-2025-q1', 'plan', '2025-q1'],
  ])('splits %s into its known category and the whole id after it', (streamId, category, entityId) => {
    expect(parseStreamId(streamId)).toEqual({ category, entityId });
  });

  it('splits a stream of an unknown category at its first dash', () => {
    expect(parseStreamId('legacy-import-42')).toEqual({ category: 'legacy', entityId: 'import-42' });
  });

  it('uses the whole stream id as both category and entity when there is no dash', () => {
    expect(parseStreamId('settings')).toEqual({ category: 'settings', entityId: 'settings' });
  });

  it('keeps every id intact after a known category, whatever it contains', () => {
    const category = fc.constantFrom('change-request', 'notification', 'document', 'product', 'plan');
    fc.assert(
      fc.property(category, fc.string(), (knownCategory, id) => {
        expect(parseStreamId(`${knownCategory}-${id}`)).toEqual({ category: knownCategory, entityId: id });
      }),
    );
  });
});

describe('entityIdsIn', () => {
  it('names the entity of a stream in the category', () => {
    expect(entityIdsIn('product', 'product-3f1c')).toEqual(['3f1c']);
    expect(entityIdsIn('change-request', 'change-request-9b2d')).toEqual(['9b2d']);
  });

  it('names nothing for a stream of another category', () => {
    expect(entityIdsIn('product', 'change-request-9b2d')).toEqual([]);
    expect(entityIdsIn('document', 'notification-document-5c1e')).toEqual([]);
    expect(entityIdsIn('product', 'settings')).toEqual([]);
  });

  it('reads a stream id without a dash as parseStreamId does: its own category and entity', () => {
    expect(entityIdsIn('plan', 'plan')).toEqual(['plan']);
    expect(entityIdsIn('plan', 'planning')).toEqual([]);
    // 'change-request' has a dash: parseStreamId reads it as category 'change'.
    expect(entityIdsIn('change-request', 'change-request')).toEqual([]);
  });

  it('agrees with parseStreamId for any stream id, of a known category or not', () => {
    const category = fc.constantFrom('change-request', 'notification', 'document', 'product', 'plan' as const);
    const streamId = fc.oneof(
      fc.string(),
      fc.tuple(fc.constantFrom('change-request', 'change', 'notification', 'document', 'product', 'plan', 'planning', 'legacy'), fc.constantFrom('-', ''), fc.constantFrom('', 'x', '-', 'plan')).map((parts) => parts.join('')),
      fc.tuple(fc.constantFrom('change-request', 'change', 'notification', 'document', 'product', 'plan', 'planning', 'legacy'), fc.constantFrom('-', ''), fc.string()).map((parts) => parts.join('')),
    );
    fc.assert(
      fc.property(category, streamId, (wanted, id) => {
        const parsed = parseStreamId(id);
        expect(entityIdsIn(wanted, id)).toEqual(parsed.category === wanted ? [parsed.entityId] : []);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('asDomainEvent', () => {
  const storedAs = (type: string) => recorded({ type, data: productRegistered().data }, { streamId: 'product-x', revision: 0, position: 1 });

  it.each(Object.keys(EVENT_SCHEMA_VERSIONS) as DomainEventType[])('returns a stored %s as the same event, typed', (type) => {
    const event = storedAs(type);
    expect(asDomainEvent(event)).toBe(event);
  });

  it('returns null for a type the domain does not declare', () => {
    expect(asDomainEvent(storedAs('PlanDrafted'))).toBeNull();
  });

  it.each(['toString', 'constructor', '__proto__', 'hasOwnProperty'])('returns null for %s, which every object inherits but no event is', (type) => {
    expect(asDomainEvent(storedAs(type))).toBeNull();
  });
});

describe('oneDocumentPerStream', () => {
  it("declares the stream scope with documentIds naming the entity of the category's streams only", () => {
    const declared = oneDocumentPerStream('document');
    expect(declared.documentScope).toBe('stream');
    expect(declared.documentIds(recorded(productRegistered(), { streamId: 'document-7a2e', revision: 0, position: 1 }))).toEqual(['7a2e']);
    expect(declared.documentIds(recorded(productRegistered(), { streamId: 'product-7a2e', revision: 0, position: 1 }))).toEqual([]);
  });
});
