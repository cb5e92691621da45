/**
 * The read-store port: collections of JSON documents keyed by id. Adapters: sqlite (embedded
 * default) and MongoDB. Projections write through `commit`, which applies their document
 * changes and advances their checkpoints as one unit, so a replay never doubles anything.
 */
export type Scalar = string | number | boolean | null;

export interface IndexDefinition {
  /** Top-level document fields, in index order. */
  readonly fields: readonly string[];
  readonly unique?: boolean;
}

export interface CollectionDefinition {
  readonly name: string;
  /** Every field a query may filter or sort on must appear in one of these. */
  readonly indexes: readonly IndexDefinition[];
}

export type FieldCondition =
  | Scalar
  | { readonly in: readonly Scalar[] }
  | { readonly gt?: Scalar; readonly gte?: Scalar; readonly lt?: Scalar; readonly lte?: Scalar };

export type Filter = Readonly<Record<string, FieldCondition>>;

export interface FindQuery {
  readonly filter?: Filter;
  /** Ties are broken by id, so pages are stable. Default: id ascending. */
  readonly sort?: { readonly field: string; readonly direction: 'asc' | 'desc' };
  readonly limit: number;
  /** Opaque, from a previous page's nextCursor. */
  readonly cursor?: string | null;
}

export interface Page<T> {
  readonly items: T[];
  readonly nextCursor: string | null;
}

export type Document = Record<string, unknown> & { readonly id: string };

/** A document with the JSON text it is stored as (or, on an engine that stores no text, serializes to). */
export interface DocumentWithJson<T extends Document> {
  readonly document: T;
  readonly json: string;
}

export type DocumentChange =
  | { readonly op: 'upsert'; readonly collection: string; readonly document: Document }
  | { readonly op: 'delete'; readonly collection: string; readonly id: string };

export interface CommitUnit {
  readonly changes: readonly DocumentChange[];
  /** Checkpoints to advance with these changes: projection name → position of the last event applied. */
  readonly checkpoints: Readonly<Record<string, string>>;
  /** Position of the last event the changes derive from; adapters without transactions guard each write with it. */
  readonly position: string;
}

export interface ReadStore {
  ensureCollections(definitions: readonly CollectionDefinition[]): Promise<void>;
  get<T extends Document>(collection: string, id: string): Promise<T | null>;
  /**
   * As `get`, with the document's JSON text: a reader that answers with the document unchanged sends the text as
   * it is instead of serializing the document again (docs/performance.md, c).
   */
  getWithJson<T extends Document>(collection: string, id: string): Promise<DocumentWithJson<T> | null>;
  find<T extends Document>(collection: string, query: FindQuery): Promise<Page<T>>;
  count(collection: string, filter?: Filter): Promise<number>;
  upsert(collection: string, document: Document): Promise<void>;
  delete(collection: string, id: string): Promise<void>;
  commit(unit: CommitUnit): Promise<void>;
  getCheckpoint(name: string): Promise<string | null>;
  /**
   * Takes the named lease for `holder`, or renews it, if it is free, expired or already theirs.
   * True when `holder` now holds it for `ttlMs`. Keeps two projector replicas from both writing.
   */
  acquireLease(name: string, holder: string, ttlMs: number): Promise<boolean>;
  releaseLease(name: string, holder: string): Promise<void>;
  health(): Promise<{ engine: string; status: 'up' | 'down'; detail?: string }>;
  close(): Promise<void>;
}

export const READ_STORE = Symbol('ReadStore');

/** A query on a field no index declares: refused, so that no dashboard query scans a collection. */
export class UnindexedQueryError extends Error {
  override readonly name = 'UnindexedQueryError';
  constructor(readonly collection: string, readonly field: string) {
    super(`Collection ${collection} has no index on ${field}`);
  }
}

export class InvalidCursorError extends Error {
  override readonly name = 'InvalidCursorError';
  constructor() {
    super('The cursor is not one this collection issued');
  }
}

/** A write that would give two documents the same value of a unique index. */
export class UniqueIndexViolationError extends Error {
  override readonly name = 'UniqueIndexViolationError';
}
