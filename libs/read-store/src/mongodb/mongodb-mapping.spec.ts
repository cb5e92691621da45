import { type DocumentChange, type Scalar } from '../read-store.port';
import {
  cursorKeyOf,
  fromStoredDocument,
  keysetFilter,
  lastChangePerDocument,
  olderThan,
  queriedFields,
  toGuardedWrites,
  toIndexDescription,
  toMongoFilter,
  toMongoSort,
  toStoredDocument,
} from './mongodb-mapping';

describe('filter to MongoDB query', () => {
  it('maps equality, membership and ranges, and id to _id', () => {
    expect(
      toMongoFilter({
        status: 'open',
        score: null,
        active: false,
        id: { in: ['a', 'b'] },
        name: { gte: 'charlie', lt: 'echo' },
        batch: { gt: 1, lte: 3 },
      }),
    ).toEqual({
      status: 'open',
      score: null,
      active: false,
      _id: { $in: ['a', 'b'] },
      name: { $gte: 'charlie', $lt: 'echo' },
      batch: { $gt: 1, $lte: 3 },
    });
  });

  it('keeps null among `in` values, which MongoDB matches against missing fields too', () => {
    expect(toMongoFilter({ score: { in: [null, 1] } })).toEqual({ score: { $in: [null, 1] } });
    expect(toMongoFilter({ status: { in: [] } })).toEqual({ status: { $in: [] } });
  });

  it('is empty without a filter and skips undefined conditions', () => {
    expect(toMongoFilter(undefined)).toEqual({});
    expect(toMongoFilter({ status: undefined as unknown as Scalar })).toEqual({});
  });

  it('refuses operators and values it does not know', () => {
    expect(() => toMongoFilter({ score: { ne: 1 } as never })).toThrow(/Unknown condition ne/);
    expect(() => toMongoFilter({ score: Number.NaN })).toThrow(TypeError);
    expect(() => toMongoFilter({ score: { in: 'abc' } as never })).toThrow(TypeError);
    expect(() => toMongoFilter({ score: { gt: { $where: 'x' } } as never })).toThrow(TypeError);
  });

  it('lists the fields a query names', () => {
    expect(queriedFields({ status: 'open', id: 'x' }, { field: 'score', direction: 'asc' })).toEqual(['status', 'id', 'score']);
    expect(queriedFields(undefined)).toEqual([]);
  });
});

describe('sort', () => {
  it('sorts by id ascending by default', () => {
    expect(toMongoSort(undefined)).toEqual({ _id: 1 });
  });

  it('breaks ties by _id in the same direction, keeping the field first', () => {
    expect(Object.entries(toMongoSort({ field: 'score', direction: 'asc' }))).toEqual([
      ['score', 1],
      ['_id', 1],
    ]);
    expect(Object.entries(toMongoSort({ field: 'score', direction: 'desc' }))).toEqual([
      ['score', -1],
      ['_id', -1],
    ]);
    expect(toMongoSort({ field: 'id', direction: 'desc' })).toEqual({ _id: -1 });
  });

  it('refuses an unknown direction', () => {
    expect(() => toMongoSort({ field: 'score', direction: 'up' as never })).toThrow(TypeError);
  });
});

describe('cursor keys', () => {
  it('take the sort value of the last document, null when the field is missing', () => {
    expect(cursorKeyOf({ _id: 'a', score: 3 }, 'score')).toEqual([3, 'a']);
    expect(cursorKeyOf({ _id: 'a' }, 'score')).toEqual([null, 'a']);
    expect(cursorKeyOf({ _id: 'a', score: 3 }, 'id')).toEqual(['a', 'a']);
  });
});

describe('keyset filter', () => {
  it('pages by _id alone when sorting by id', () => {
    expect(keysetFilter(undefined, ['c', 'c'])).toEqual({ _id: { $gt: 'c' } });
    expect(keysetFilter({ field: 'id', direction: 'desc' }, ['c', 'c'])).toEqual({ _id: { $lt: 'c' } });
  });

  it('after a number ascending: equal values with a greater id, greater numbers, then the types that sort after numbers', () => {
    expect(keysetFilter({ field: 'score', direction: 'asc' }, [3, 'a'])).toEqual({
      $or: [{ score: 3, _id: { $gt: 'a' } }, { score: { $gt: 3 } }, { score: { $type: ['string', 'bool'] } }],
    });
  });

  it('after null ascending: other nulls (and missing) with a greater id, then every non-null type', () => {
    expect(keysetFilter({ field: 'score', direction: 'asc' }, [null, 'd'])).toEqual({
      $or: [{ score: null, _id: { $gt: 'd' } }, { score: { $type: ['number', 'string', 'bool'] } }],
    });
  });

  it('after a number descending: smaller numbers, then nulls, which sort last', () => {
    expect(keysetFilter({ field: 'score', direction: 'desc' }, [3, 'c'])).toEqual({
      $or: [{ score: 3, _id: { $lt: 'c' } }, { score: { $lt: 3 } }, { score: null }],
    });
  });

  it('after a string descending: smaller strings, numbers, then nulls', () => {
    expect(keysetFilter({ field: 'name', direction: 'desc' }, ['m', 'x'])).toEqual({
      $or: [{ name: 'm', _id: { $lt: 'x' } }, { name: { $lt: 'm' } }, { name: { $type: ['number'] } }, { name: null }],
    });
  });

  it('after null descending: only other nulls with a smaller id', () => {
    expect(keysetFilter({ field: 'score', direction: 'desc' }, [null, 'd'])).toEqual({ $or: [{ score: null, _id: { $lt: 'd' } }] });
  });
});

describe('stored documents', () => {
  it('move id to _id and mark the document live, with the position of the commit that wrote it', () => {
    expect(toStoredDocument({ id: 'a', status: 'open', nested: { x: [1, null] } }, '0005')).toEqual({
      _id: 'a',
      status: 'open',
      nested: { x: [1, null] },
      _deleted: false,
      _position: '0005',
    });
    expect(toStoredDocument({ id: 'a', status: 'open' })).toEqual({ _id: 'a', status: 'open', _deleted: false });
  });

  it('come back without the adapter fields', () => {
    expect(fromStoredDocument({ _id: 'a', status: 'open', _deleted: false, _position: '0005' })).toEqual({ id: 'a', status: 'open' });
  });

  it('refuse documents without an id or with a reserved field', () => {
    expect(() => toStoredDocument({ id: '' })).toThrow(TypeError);
    expect(() => toStoredDocument({ id: 'a', _position: 'x' })).toThrow(/reserved field _position/);
    expect(() => toStoredDocument({ id: 'a', _id: 'b' })).toThrow(/reserved/);
  });
});

describe('indexes', () => {
  it('end non-unique indexes with _id, for sorting and tiebreaks', () => {
    expect(toIndexDescription({ fields: ['status', 'score'] })).toEqual({ key: { status: 1, score: 1, _id: 1 } });
  });

  it('constrain unique indexes to their fields and to live documents', () => {
    expect(toIndexDescription({ fields: ['code'], unique: true })).toEqual({
      key: { code: 1 },
      unique: true,
      partialFilterExpression: { _deleted: false },
    });
  });

  it('skip an index on id alone, which MongoDB already has', () => {
    expect(toIndexDescription({ fields: ['id'] })).toBeNull();
    expect(toIndexDescription({ fields: ['status', 'id'] })).toEqual({ key: { status: 1, _id: 1 } });
  });

  it('refuse field names that are paths, operators or adapter fields', () => {
    for (const field of ['a.b', '$where', '_position', '_deleted', '', '1abc']) {
      expect(() => toIndexDescription({ fields: [field] })).toThrow(TypeError);
    }
    expect(() => toIndexDescription({ fields: ['a', 'a'] })).toThrow(/repeats/);
  });
});

describe('guarded commit writes', () => {
  it('keep only the last change to each document of a unit', () => {
    const changes: DocumentChange[] = [
      { op: 'upsert', collection: 'c', document: { id: 'x1', v: 1 } },
      { op: 'upsert', collection: 'c', document: { id: 'x2', v: 1 } },
      { op: 'delete', collection: 'c', id: 'x1' },
      { op: 'upsert', collection: 'd', document: { id: 'x1', v: 9 } },
      { op: 'upsert', collection: 'c', document: { id: 'x2', v: 2 } },
    ];

    expect(lastChangePerDocument(changes)).toEqual([changes[2], changes[3], changes[4]]);
  });

  it('replace only documents no commit at or after the position has written, upserting otherwise', () => {
    const writes = toGuardedWrites(
      [
        { op: 'upsert', collection: 'c', document: { id: 'a', v: 1 } },
        { op: 'delete', collection: 'c', id: 'b' },
        { op: 'upsert', collection: 'd', document: { id: 'a', v: 2 } },
      ],
      '0007',
    );

    expect([...writes.keys()]).toEqual(['c', 'd']);
    expect(writes.get('c')).toEqual([
      { replaceOne: { filter: olderThan('a', '0007'), replacement: { v: 1, _deleted: false, _position: '0007' }, upsert: true } },
      { replaceOne: { filter: olderThan('b', '0007'), replacement: { _deleted: true, _position: '0007' }, upsert: true } },
    ]);
    expect(olderThan('a', '0007')).toEqual({ _id: 'a', $or: [{ _position: { $lt: '0007' } }, { _position: { $exists: false } }] });
  });

  it('refuse changes without an id', () => {
    expect(() => lastChangePerDocument([{ op: 'delete', collection: 'c', id: '' }])).toThrow(TypeError);
    expect(() => lastChangePerDocument([{ op: 'rename', collection: 'c' } as never])).toThrow(/Unknown change/);
  });
});
