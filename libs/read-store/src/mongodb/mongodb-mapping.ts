import type { AnyBulkWriteOperation, Document as MongoDocument, IndexDescription } from 'mongodb';
import {
  type Document,
  type DocumentChange,
  type FieldCondition,
  type Filter,
  type FindQuery,
  type IndexDefinition,
  type Scalar,
} from '../read-store.port';
import type { CursorKey } from '../cursor';

/**
 * Pure translations between the read-store port and MongoDB queries and documents, kept apart
 * from the adapter so they are testable without a server.
 *
 * A stored document is the port's document with `id` moved to `_id`, plus `_position` (the event
 * position of the last commit that wrote it) and `_deleted` (true for a tombstone, which keeps a
 * replayed older upsert from bringing a deleted document back).
 */
export interface StoredDocument extends MongoDocument {
  _id: string;
  _position?: string;
  _deleted: boolean;
}

export type SortDirection = 'asc' | 'desc';

const RESERVED_FIELDS = new Set(['_id', '_position', '_deleted']);
const FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const RANGE_OPERATORS = { gt: '$gt', gte: '$gte', lt: '$lt', lte: '$lte' } as const;

/** The port names the key `id`; MongoDB keeps it in `_id`. */
export function toMongoField(field: string): string {
  return field === 'id' ? '_id' : field;
}

/** Index fields must be plain top-level names: no paths, no operators, none of the adapter's own fields. */
export function assertPlainFieldName(field: string): void {
  if (typeof field !== 'string' || !FIELD_NAME.test(field) || RESERVED_FIELDS.has(field)) {
    throw new TypeError(`Field ${JSON.stringify(field)} is not a plain top-level field name`);
  }
}

export function toStoredDocument(document: Document, position?: string): StoredDocument {
  if (typeof document?.id !== 'string' || document.id === '') throw new TypeError('A document needs a non-empty string id');
  const { id, ...fields } = document;
  for (const field of Object.keys(fields)) {
    if (RESERVED_FIELDS.has(field)) throw new TypeError(`Document ${id} uses the reserved field ${field}`);
  }
  return { ...fields, _id: id, _deleted: false, ...(position !== undefined ? { _position: position } : {}) };
}

export function toTombstone(position: string): Omit<StoredDocument, '_id'> {
  return { _deleted: true, _position: position };
}

export function fromStoredDocument<T extends Document>(stored: MongoDocument): T {
  const { _id, _position, _deleted, ...fields } = stored;
  return { id: _id as string, ...fields } as T;
}

/** The port's filter as a MongoDB query. Equality with null, and `in` with null, also match a missing field, as in SQL. */
export function toMongoFilter(filter: Filter | undefined): MongoDocument {
  const query: MongoDocument = {};
  for (const [field, condition] of Object.entries(filter ?? {})) {
    if (condition === undefined) continue;
    query[toMongoField(field)] = toMongoCondition(field, condition);
  }
  return query;
}

function toMongoCondition(field: string, condition: FieldCondition): unknown {
  if (condition === null || typeof condition !== 'object') return checkScalar(field, condition);
  if ('in' in condition) {
    if (!Array.isArray(condition.in)) throw new TypeError(`Condition "in" on ${field} must be an array`);
    return { $in: condition.in.map((value) => checkScalar(field, value)) };
  }
  const range: MongoDocument = {};
  for (const [operator, bound] of Object.entries(condition)) {
    if (!(operator in RANGE_OPERATORS)) throw new TypeError(`Unknown condition ${operator} on ${field}`);
    if (bound === undefined) continue;
    // MongoDB compares only within a type, so a range never matches null, as in SQL.
    range[RANGE_OPERATORS[operator as keyof typeof RANGE_OPERATORS]] = checkScalar(field, bound as Scalar);
  }
  return range;
}

function checkScalar(field: string, value: unknown): Scalar {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  throw new TypeError(`Unsupported value for ${field}: ${String(value)}`);
}

/** Sort on the field, then on `_id` in the same direction, so that pages are stable. */
export function toMongoSort(sort: FindQuery['sort']): Record<string, 1 | -1> {
  const field = toMongoField(sort?.field ?? 'id');
  const direction = toDirection(sort?.direction ?? 'asc');
  return field === '_id' ? { _id: direction } : { [field]: direction, _id: direction };
}

function toDirection(direction: SortDirection): 1 | -1 {
  if (direction === 'asc') return 1;
  if (direction === 'desc') return -1;
  throw new TypeError(`Unknown sort direction ${String(direction)}`);
}

/** The cursor key of a stored document under a sort: its sort value (null when missing) and its id. */
export function cursorKeyOf(stored: MongoDocument, sortField: string): CursorKey {
  const id = stored._id as string;
  if (sortField === 'id') return [id, id];
  const value = stored[sortField];
  return [value === undefined ? null : (value as Scalar), id];
}

type ScalarType = 'null' | 'number' | 'string' | 'bool';
/** MongoDB's sort order across the scalar types: null (and missing) < numbers < strings < booleans. */
const SCALAR_TYPE_ORDER: readonly ScalarType[] = ['null', 'number', 'string', 'bool'];

function scalarTypeOf(value: Scalar): ScalarType {
  if (value === null) return 'null';
  if (typeof value === 'number') return 'number';
  if (typeof value === 'string') return 'string';
  return 'bool';
}

/**
 * Documents that come after the cursor key in `toMongoSort` order. Comparisons in MongoDB only
 * match values of the same type, so values of the types that sort after (or before) the key's
 * type are added explicitly; null stands for missing too.
 */
export function keysetFilter(sort: FindQuery['sort'], key: CursorKey): MongoDocument {
  const direction = sort?.direction ?? 'asc';
  const field = toMongoField(sort?.field ?? 'id');
  const [sortValue, id] = key;
  const beyond = direction === 'asc' ? '$gt' : '$lt';
  if (field === '_id') return { _id: { [beyond]: id } };

  const keyType = scalarTypeOf(sortValue);
  const keyRank = SCALAR_TYPE_ORDER.indexOf(keyType);
  const laterTypes = SCALAR_TYPE_ORDER.filter((_, rank) => (direction === 'asc' ? rank > keyRank : rank < keyRank));
  const alternatives: MongoDocument[] = [{ [field]: sortValue, _id: { [beyond]: id } }];
  if (sortValue !== null) alternatives.push({ [field]: { [beyond]: sortValue } });
  const laterNonNull = laterTypes.filter((type) => type !== 'null');
  if (laterNonNull.length > 0) alternatives.push({ [field]: { $type: laterNonNull } });
  if (laterTypes.includes('null')) alternatives.push({ [field]: null });
  return { $or: alternatives };
}

/** Non-unique indexes end with `_id` so a sort and its tiebreak use them; unique ones constrain their fields alone. */
export function toIndexDescription(index: IndexDefinition): IndexDescription | null {
  const fields = index.fields.map((field) => {
    if (field !== 'id') assertPlainFieldName(field);
    return toMongoField(field);
  });
  if (new Set(fields).size !== fields.length) throw new TypeError(`Index [${index.fields.join(', ')}] repeats a field`);
  if (!index.unique && !fields.includes('_id')) fields.push('_id');
  // `_id` alone is already indexed, and unique, by MongoDB.
  if (fields.length === 1 && fields[0] === '_id') return null;
  const key = Object.fromEntries(fields.map((field) => [field, 1 as const]));
  // Tombstones have none of the fields: a unique index only covers live documents.
  return index.unique ? { key, unique: true, partialFilterExpression: { _deleted: false } } : { key };
}

/** Within one unit only the last change to a document matters: they all carry the unit's position. */
export function lastChangePerDocument(changes: readonly DocumentChange[]): DocumentChange[] {
  const last = new Map<string, DocumentChange>();
  for (const change of changes) {
    if (change.op !== 'upsert' && change.op !== 'delete') throw new TypeError(`Unknown change ${String((change as { op: unknown }).op)}`);
    const id = change.op === 'upsert' ? change.document?.id : change.id;
    if (typeof id !== 'string' || id === '') throw new TypeError(`A ${change.op} in ${change.collection} needs a non-empty string id`);
    const key = JSON.stringify([change.collection, id]);
    last.delete(key);
    last.set(key, change);
  }
  return [...last.values()];
}

/** Matches a document that no commit at or after `position` has written yet. */
export function olderThan(id: string, position: string): MongoDocument {
  return { _id: id, $or: [{ _position: { $lt: position } }, { _position: { $exists: false } }] };
}

/**
 * Replacements guarded by position, per collection. A document already written by this or a later
 * unit does not match the filter; the upsert then collides on `_id`, which the caller reads as
 * "already newer".
 */
export function toGuardedWrites(changes: readonly DocumentChange[], position: string): Map<string, AnyBulkWriteOperation<StoredDocument>[]> {
  const writes = new Map<string, AnyBulkWriteOperation<StoredDocument>[]>();
  for (const change of lastChangePerDocument(changes)) {
    const id = change.op === 'upsert' ? change.document.id : change.id;
    const { _id, ...replacement } = change.op === 'upsert' ? toStoredDocument(change.document, position) : { _id: id, ...toTombstone(position) };
    const operation: AnyBulkWriteOperation<StoredDocument> = { replaceOne: { filter: olderThan(_id, position), replacement, upsert: true } };
    const collectionWrites = writes.get(change.collection) ?? [];
    collectionWrites.push(operation);
    writes.set(change.collection, collectionWrites);
  }
  return writes;
}

/** Every field a filter or sort names, as the port names them. */
export function queriedFields(filter: Filter | undefined, sort?: FindQuery['sort']): string[] {
  const fields = Object.keys(filter ?? {}).filter((field) => filter?.[field] !== undefined);
  if (sort) fields.push(sort.field);
  return [...new Set(fields)];
}
