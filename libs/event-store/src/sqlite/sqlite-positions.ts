/**
 * SQLite positions are the events table's INTEGER PRIMARY KEY, exposed as 16-digit zero-padded
 * strings so that plain string comparison (`comparePositions`) matches commit order.
 * 16 digits hold every safe integer.
 */
const POSITION_DIGITS = 16;
const POSITION_PATTERN = /^\d{16}$/;

export function toSqlitePosition(n: number): string {
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new RangeError(`SQLite position must be a non-negative safe integer, got ${String(n)}`);
  }
  return String(n).padStart(POSITION_DIGITS, '0');
}

export function fromSqlitePosition(s: string): number {
  if (typeof s !== 'string' || !POSITION_PATTERN.test(s)) {
    throw new TypeError(`Malformed SQLite position ${JSON.stringify(s)}: expected exactly ${POSITION_DIGITS} digits`);
  }
  const n = Number(s);
  if (!Number.isSafeInteger(n)) {
    throw new RangeError(`Malformed SQLite position ${JSON.stringify(s)}: beyond the largest safe integer`);
  }
  return n;
}
