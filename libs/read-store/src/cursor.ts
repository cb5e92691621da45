import { InvalidCursorError, type Scalar } from './read-store.port';

/** Where a page ends: the last item's sort value, then its id as the tiebreak. */
export type CursorKey<V extends Scalar = Scalar> = readonly [sortValue: V, id: string];

export interface DecodeCursorOptions {
  /** SQLite stores booleans as integers, so a boolean sort value can only come from a forged cursor. */
  readonly refuseBooleans?: boolean;
}

const CURSOR_TEXT = /^[A-Za-z0-9_-]+$/;

/** Opaque to clients: base64url JSON of `[sortValue, id]`. */
export function encodeCursor(key: CursorKey): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

/** Cursors come from clients, so anything but a well-formed key is an InvalidCursorError. */
export function decodeCursor(cursor: string, options: DecodeCursorOptions & { refuseBooleans: true }): CursorKey<Exclude<Scalar, boolean>>;
export function decodeCursor(cursor: string, options?: DecodeCursorOptions): CursorKey;
export function decodeCursor(cursor: string, options: DecodeCursorOptions = {}): CursorKey {
  if (typeof cursor !== 'string' || !CURSOR_TEXT.test(cursor)) throw new InvalidCursorError();
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError();
  }
  if (!Array.isArray(decoded) || decoded.length !== 2) throw new InvalidCursorError();
  const [sortValue, id] = decoded as unknown[];
  const scalar =
    sortValue === null ||
    typeof sortValue === 'string' ||
    (typeof sortValue === 'boolean' && !options.refuseBooleans) ||
    (typeof sortValue === 'number' && Number.isFinite(sortValue));
  if (!scalar || typeof id !== 'string') throw new InvalidCursorError();
  return [sortValue as Scalar, id];
}
