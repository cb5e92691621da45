import * as fc from 'fast-check';
import { decodeCursor, encodeCursor, type CursorKey } from './cursor';
import { InvalidCursorError } from './read-store.port';

const base64url = (text: string) => Buffer.from(text, 'utf8').toString('base64url');

describe('cursors', () => {
  const scalar = fc.oneof(fc.constant(null), fc.string(), fc.boolean(), fc.double({ noNaN: true, noDefaultInfinity: true }));

  it('round-trip any scalar sort value and id', () => {
    fc.assert(
      fc.property(scalar, fc.string(), (sortValue, id) => {
        const key: CursorKey = [sortValue, id];
        const decoded = decodeCursor(encodeCursor(key));
        // JSON has no negative zero.
        expect(decoded).toEqual([Object.is(sortValue, -0) ? 0 : sortValue, id]);
      }),
    );
  });

  it('are base64url JSON of [sortValue, id]', () => {
    expect(encodeCursor([3, 'a'])).toBe(base64url('[3,"a"]'));
  });

  it.each([
    ['text that is not base64url', 'not a cursor!'],
    ['an empty string', ''],
    ['base64url of text that is not JSON', base64url('not json')],
    ['a JSON object', base64url('{"sortValue":1,"id":"a"}')],
    ['a one-element array', base64url('[1]')],
    ['a three-element array', base64url('[1,"a","b"]')],
    ['a non-string id', base64url('[1,2]')],
    ['an object as sort value', base64url('[{"x":1},"a"]')],
    ['an array as sort value', base64url('[[1],"a"]')],
  ])('refuse %s', (_label, cursor) => {
    expect(() => decodeCursor(cursor)).toThrow(InvalidCursorError);
  });

  it('property: refuse arbitrary text that is not a cursor', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        try {
          const [sortValue, id] = decodeCursor(text);
          // Whatever decodes must be a well-formed key.
          expect(typeof id).toBe('string');
          expect(sortValue === null || ['string', 'number', 'boolean'].includes(typeof sortValue)).toBe(true);
        } catch (error) {
          expect(error).toBeInstanceOf(InvalidCursorError);
        }
      }),
    );
  });

  it('accept a boolean sort value unless told to refuse it', () => {
    expect(decodeCursor(base64url('[true,"a"]'))).toEqual([true, 'a']);
    expect(() => decodeCursor(base64url('[true,"a"]'), { refuseBooleans: true })).toThrow(InvalidCursorError);
    expect(decodeCursor(base64url('[3,"a"]'), { refuseBooleans: true })).toEqual([3, 'a']);
  });
});
