import { createHash } from 'node:crypto';
import Database from 'better-sqlite3';
import {
  CollectionDefinition,
  CommitUnit,
  Document,
  DocumentChange,
  DocumentWithJson,
  FieldCondition,
  Filter,
  FindQuery,
  IndexDefinition,
  Page,
  ReadStore,
  Scalar,
  UnindexedQueryError,
  UniqueIndexViolationError,
} from '../read-store.port';
import { decodeCursor, encodeCursor } from '../cursor';
import type { WriteLock } from './shared-write-lock';

export interface SqliteReadStoreOptions {
  readonly file: string;
  /** Milliseconds since the epoch; decides lease expiry. */
  readonly clock?: () => number;
  /** How long a statement waits for another connection's lock before failing. */
  readonly busyTimeoutMs?: number;
  /** Taken around every write transaction: other threads of this process writing the same file take turns through it. */
  readonly writeLock?: WriteLock;
}

/** Reading or writing a collection that no ensureCollections call (from any process) has defined. */
export class UnknownCollectionError extends Error {
  override readonly name = 'UnknownCollectionError';
  constructor(readonly collection: string) {
    super(`Collection ${collection} is not defined; ensureCollections must declare it first`);
  }
}

/** A collection or index definition the store cannot map safely onto SQL. */
export class InvalidCollectionDefinitionError extends Error {
  override readonly name = 'InvalidCollectionDefinitionError';
}

type SqlValue = string | number | null;

const FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const RANGE_OPERATORS = { gt: '>', gte: '>=', lt: '<', lte: '<=' } as const;
const DEFAULT_BUSY_TIMEOUT_MS = 5_000;
const WAL_AUTOCHECKPOINT_PAGES = 20_000;
/** Filter shapes are finite per collection, but a bound keeps a pathological caller from growing the cache forever. */
const MAX_CACHED_QUERIES_PER_COLLECTION = 256;

interface CollectionSchema {
  readonly name: string;
  readonly table: string;
  readonly indexes: readonly IndexDefinition[];
  /** Indexed fields other than id, each stored in its own column. */
  readonly indexedFields: readonly string[];
  readonly getStatement: Database.Statement;
  readonly upsertStatement: Database.Statement;
  readonly deleteStatement: Database.Statement;
  readonly queries: Map<string, Database.Statement>;
}

interface CollectionRow {
  readonly name: string;
  readonly table_name: string;
  readonly indexes: string;
}

export class SqliteReadStore implements ReadStore {
  private readonly collections = new Map<string, CollectionSchema>();
  /** The schema this connection's cached statements were built against; another process may change it. */
  private knownSchemaVersion: number;
  private readonly schemaVersionStatement: Database.Statement;
  private readonly collectionRowStatement: Database.Statement;
  private readonly checkpointGetStatement: Database.Statement;
  private readonly checkpointSetStatement: Database.Statement;
  private readonly leaseGetStatement: Database.Statement;
  private readonly leaseSetStatement: Database.Statement;
  private readonly leaseReleaseStatement: Database.Statement;
  private readonly healthStatement: Database.Statement;
  private readonly writeTransaction: Database.Transaction<(work: () => void) => void>;
  private readonly leaseTransaction: Database.Transaction<(name: string, holder: string, ttlMs: number) => boolean>;

  static open(options: SqliteReadStoreOptions): SqliteReadStore {
    const db = new Database(options.file, { timeout: options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS });
    try {
      db.pragma('journal_mode = WAL');
      // NORMAL, not FULL (docs/performance.md): in WAL mode a commit is then not fsynced; it stays atomic and the
      // file consistent, but a power cut (not a process crash) can lose the last commits. That is safe here because
      // everything in this file is derived from the event log (whose store stays synchronous=FULL) and every
      // projection's changes commit in the same transaction as its checkpoint: a lost commit takes its checkpoint
      // with it, and the projector replays those events from the older checkpoint, applying each exactly once.
      // The processes' checkpoint replays the same way (their writes are idempotent by derived event ids), and a
      // lost lease only matters to processes that the power cut stopped too. Saves an fsync, which blocks the one
      // event loop, on every projector batch.
      db.pragma('synchronous = NORMAL');
      // Performance only (docs/performance.md): a projection catch-up commits thousands of pages at a time, and
      // the default (a checkpoint every 1000 pages, so after every such commit) copies each back at once; every
      // 20000 pages (~80 MB of WAL), index pages rewritten by several commits are copied once.
      db.pragma(`wal_autocheckpoint = ${WAL_AUTOCHECKPOINT_PAGES}`);
      db.exec(`
        CREATE TABLE IF NOT EXISTS collections (name TEXT PRIMARY KEY NOT NULL, table_name TEXT NOT NULL UNIQUE, indexes TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS checkpoints (name TEXT PRIMARY KEY NOT NULL, position TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS leases (name TEXT PRIMARY KEY NOT NULL, holder TEXT NOT NULL, expires_at INTEGER NOT NULL);
      `);
      return new SqliteReadStore(db, options.clock ?? Date.now, options.writeLock ?? null);
    } catch (error) {
      db.close();
      throw error;
    }
  }

  private constructor(
    private readonly db: Database.Database,
    private readonly clock: () => number,
    private readonly writeLock: WriteLock | null,
  ) {
    this.schemaVersionStatement = db.prepare('PRAGMA schema_version').pluck();
    this.collectionRowStatement = db.prepare('SELECT name, table_name, indexes FROM collections WHERE name = ?');
    this.checkpointGetStatement = db.prepare('SELECT position FROM checkpoints WHERE name = ?').pluck();
    this.checkpointSetStatement = db.prepare(
      // Only forwards, as on MongoDB: a late commit from a replica that lost the lease cannot pull a checkpoint back.
      'INSERT INTO checkpoints (name, position) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET position = excluded.position WHERE excluded.position > checkpoints.position',
    );
    this.leaseGetStatement = db.prepare('SELECT holder, expires_at FROM leases WHERE name = ?');
    this.leaseSetStatement = db.prepare(
      'INSERT INTO leases (name, holder, expires_at) VALUES (?, ?, ?) ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at',
    );
    this.leaseReleaseStatement = db.prepare('DELETE FROM leases WHERE name = ? AND holder = ?');
    this.healthStatement = db.prepare('SELECT 1').pluck();
    this.knownSchemaVersion = this.readSchemaVersion();
    // Writes take the write lock up front and, once they hold it, make sure the cached column lists still
    // match the file: another process may have added an indexed column, which every write must fill.
    this.writeTransaction = db.transaction((work: () => void) => {
      if (this.readSchemaVersion() !== this.knownSchemaVersion) this.forgetCachedSchema();
      work();
    });
    this.leaseTransaction = db.transaction((name: string, holder: string, ttlMs: number) => {
      const now = this.clock();
      const current = this.leaseGetStatement.get(name) as { holder: string; expires_at: number } | undefined;
      if (current && current.holder !== holder && current.expires_at > now) return false;
      this.leaseSetStatement.run(name, holder, Math.ceil(now + ttlMs));
      return true;
    });
  }

  async ensureCollections(definitions: readonly CollectionDefinition[]): Promise<void> {
    definitions.forEach(validateDefinition);
    this.holdingWriteLock(() =>
      this.db
        .transaction(() => {
          for (const definition of definitions) this.migrateCollection(definition);
        })
        .immediate(),
    );
    this.forgetCachedSchema();
  }

  async get<T extends Document>(collection: string, id: string): Promise<T | null> {
    const doc = this.schemaOf(collection).getStatement.get(id) as string | undefined;
    return doc === undefined ? null : (JSON.parse(doc) as T);
  }

  async getWithJson<T extends Document>(collection: string, id: string): Promise<DocumentWithJson<T> | null> {
    const json = this.schemaOf(collection).getStatement.get(id) as string | undefined;
    return json === undefined ? null : { document: JSON.parse(json) as T, json };
  }

  async find<T extends Document>(collection: string, query: FindQuery): Promise<Page<T>> {
    const { limit } = query;
    if (!Number.isSafeInteger(limit) || limit < 1) throw new RangeError(`limit must be a positive integer, got ${limit}`);
    const schema = this.schemaOf(collection);
    const sortField = query.sort?.field ?? 'id';
    const direction = query.sort?.direction ?? 'asc';
    if (direction !== 'asc' && direction !== 'desc') throw new TypeError(`Unknown sort direction ${String(direction)}`);
    const sortColumn = this.columnFor(schema, sortField);
    const { clauses, params } = this.whereClauses(schema, query.filter);

    if (query.cursor !== undefined && query.cursor !== null) {
      const [sortValue, id] = decodeCursor(query.cursor, { refuseBooleans: true });
      const keyset = keysetClause(sortColumn, direction, sortValue);
      clauses.push(keyset.sql);
      params.push(...keyset.params, id);
    }

    const order = direction === 'asc' ? 'ASC' : 'DESC';
    const orderBy = sortColumn === 'id' ? `id ${order}` : `${sortColumn} ${order}, id ${order}`;
    const sql =
      `SELECT id, doc, ${sortColumn} FROM ${quote(schema.table)}` +
      (clauses.length > 0 ? ` WHERE ${clauses.join(' AND ')}` : '') +
      // The limit is part of the SQL: bound as a parameter it made each run ~9 µs slower (the event store's LimitedStatements).
      ` ORDER BY ${orderBy} LIMIT ${limit + 1}`;
    const rows = this.cachedQuery(schema, sql, 'rows').all(...params) as [string, string, SqlValue][];

    const pageRows = rows.length > limit ? rows.slice(0, limit) : rows;
    const last = pageRows[pageRows.length - 1];
    return {
      items: pageRows.map(([, doc]) => JSON.parse(doc) as T),
      nextCursor: rows.length > limit && last ? encodeCursor([last[2], last[0]]) : null,
    };
  }

  async count(collection: string, filter?: Filter): Promise<number> {
    const schema = this.schemaOf(collection);
    const { clauses, params } = this.whereClauses(schema, filter);
    const sql = `SELECT COUNT(*) FROM ${quote(schema.table)}` + (clauses.length > 0 ? ` WHERE ${clauses.join(' AND ')}` : '');
    return this.cachedQuery(schema, sql, 'value').get(...params) as number;
  }

  async upsert(collection: string, document: Document): Promise<void> {
    const json = serializeDocument(document);
    this.inWriteTransaction(() => this.applyUpsert(collection, document, json));
  }

  async delete(collection: string, id: string): Promise<void> {
    this.inWriteTransaction(() => this.applyDelete(collection, id));
  }

  async commit(unit: CommitUnit): Promise<void> {
    const checkpoints = Object.entries(unit.checkpoints);
    for (const [name, position] of checkpoints) {
      if (typeof position !== 'string') throw new TypeError(`Checkpoint ${name} must be a string position`);
    }
    // Each document is serialized as it is written, inside the transaction: serialized all at once before it (to hold
    // the write lock a shorter time), a catch-up batch's strings (tens of MB) outlived the young generation, and two
    // threads catching up 1,000,000 events peaked ~60 MB higher and ran ~3 % slower (docs/performance.md, d).
    this.inWriteTransaction(() => {
      for (const change of unit.changes) this.applyChange(change);
      for (const [name, position] of checkpoints) this.checkpointSetStatement.run(name, position);
    });
  }

  async getCheckpoint(name: string): Promise<string | null> {
    return (this.checkpointGetStatement.get(name) as string | undefined) ?? null;
  }

  async acquireLease(name: string, holder: string, ttlMs: number): Promise<boolean> {
    if (!Number.isFinite(ttlMs) || ttlMs <= 0) throw new RangeError(`ttlMs must be a positive number, got ${ttlMs}`);
    return this.holdingWriteLock(() => this.leaseTransaction.immediate(name, holder, ttlMs));
  }

  async releaseLease(name: string, holder: string): Promise<void> {
    this.holdingWriteLock(() => this.leaseReleaseStatement.run(name, holder));
  }

  async health(): Promise<{ engine: string; status: 'up' | 'down'; detail?: string }> {
    if (!this.db.open) return { engine: 'sqlite', status: 'down', detail: 'closed' };
    try {
      this.healthStatement.get();
      return { engine: 'sqlite', status: 'up' };
    } catch (error) {
      return { engine: 'sqlite', status: 'down', detail: error instanceof Error ? error.message : String(error) };
    }
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }

  private migrateCollection(definition: CollectionDefinition): void {
    const existing = this.collectionRowStatement.get(definition.name) as CollectionRow | undefined;
    const table = existing?.table_name ?? tableNameFor(definition.name);
    if (!existing) {
      const owner = this.db.prepare('SELECT name FROM collections WHERE table_name = ?').pluck().get(table) as string | undefined;
      if (owner !== undefined) {
        throw new InvalidCollectionDefinitionError(`Collections ${owner} and ${definition.name} would share table ${table}`);
      }
    }
    const indexes = mergeIndexes(existing ? (JSON.parse(existing.indexes) as IndexDefinition[]) : [], definition.indexes);

    this.db.exec(`CREATE TABLE IF NOT EXISTS ${quote(table)} (id TEXT PRIMARY KEY NOT NULL, doc TEXT NOT NULL)`);
    const presentColumns = new Set(
      (this.db.prepare(`PRAGMA table_info(${quote(table)})`).all() as { name: string }[]).map((column) => column.name),
    );
    for (const field of indexedFieldsOf(indexes)) {
      const column = columnNameFor(field);
      if (presentColumns.has(column)) continue;
      // No declared type: values keep the storage class they were written with (text, integer, real).
      this.db.exec(`ALTER TABLE ${quote(table)} ADD COLUMN ${quote(column)}`);
      this.db.prepare(`UPDATE ${quote(table)} SET ${quote(column)} = json_extract(doc, ?)`).run(`$.${field}`);
    }
    for (const index of indexes) {
      const columns = index.fields.map(columnNameFor);
      // A unique index must constrain the fields alone; others end with id so ties come out in keyset order.
      if (!index.unique && !columns.includes('id')) columns.push('id');
      const indexName = `ix_${table}_${index.fields.join('_')}_${shortHash(indexKey(index))}`;
      this.db.exec(
        `CREATE ${index.unique ? 'UNIQUE ' : ''}INDEX IF NOT EXISTS ${quote(indexName)} ON ${quote(table)} (${columns.map(quote).join(', ')})`,
      );
    }
    this.db
      .prepare(
        'INSERT INTO collections (name, table_name, indexes) VALUES (?, ?, ?) ON CONFLICT (name) DO UPDATE SET indexes = excluded.indexes',
      )
      .run(definition.name, table, JSON.stringify(indexes));
  }

  private applyChange(change: DocumentChange): void {
    if (change.op === 'upsert') this.applyUpsert(change.collection, change.document, serializeDocument(change.document));
    else if (change.op === 'delete') this.applyDelete(change.collection, change.id);
    else throw new TypeError(`Unknown change ${String((change as { op: unknown }).op)}`);
  }

  /** `json` is serializeDocument(document). */
  private applyUpsert(collection: string, document: Document, json: string): void {
    const schema = this.schemaOf(collection);
    const values = schema.indexedFields.map((field) => toColumnValue(document[field]));
    schema.upsertStatement.run(document.id, json, ...values);
  }

  private applyDelete(collection: string, id: string): void {
    this.schemaOf(collection).deleteStatement.run(id);
  }

  private inWriteTransaction(work: () => void): void {
    try {
      this.holdingWriteLock(() => this.writeTransaction.immediate(work));
    } catch (error) {
      // The driver's own error class is shared by every loader of the native module; ours is the port's.
      if ((error as { code?: unknown })?.code === 'SQLITE_CONSTRAINT_UNIQUE') throw new UniqueIndexViolationError((error as Error).message);
      throw error;
    }
  }

  private holdingWriteLock<T>(write: () => T): T {
    if (this.writeLock === null) return write();
    this.writeLock.acquire();
    try {
      return write();
    } finally {
      this.writeLock.release();
    }
  }

  private forgetCachedSchema(): void {
    this.collections.clear();
    this.knownSchemaVersion = this.readSchemaVersion();
  }

  private readSchemaVersion(): number {
    return this.schemaVersionStatement.get() as number;
  }

  private schemaOf(collection: string): CollectionSchema {
    const cached = this.collections.get(collection);
    if (cached) return cached;
    const loaded = this.loadSchema(collection);
    this.collections.set(collection, loaded);
    return loaded;
  }

  private loadSchema(collection: string): CollectionSchema {
    const row = this.collectionRowStatement.get(collection) as CollectionRow | undefined;
    if (!row) throw new UnknownCollectionError(collection);
    const indexes = JSON.parse(row.indexes) as IndexDefinition[];
    const indexedFields = indexedFieldsOf(indexes);
    const table = quote(row.table_name);
    const columns = indexedFields.map((field) => quote(columnNameFor(field)));
    const insertColumns = ['id', 'doc', ...columns];
    return {
      name: collection,
      table: row.table_name,
      indexes,
      indexedFields,
      getStatement: this.db.prepare(`SELECT doc FROM ${table} WHERE id = ?`).pluck(),
      // An update, not a REPLACE: REPLACE would silently delete whichever other row a unique index collides with.
      upsertStatement: this.db.prepare(
        `INSERT INTO ${table} (${insertColumns.join(', ')}) VALUES (${insertColumns.map(() => '?').join(', ')}) ` +
          `ON CONFLICT (id) DO UPDATE SET ${insertColumns
            .slice(1)
            .map((column) => `${column} = excluded.${column}`)
            .join(', ')}`,
      ),
      deleteStatement: this.db.prepare(`DELETE FROM ${table} WHERE id = ?`),
      queries: new Map(),
    };
  }

  /** Quoted column for a field a query may use; another process may have declared it since this one cached the schema. */
  private columnFor(schema: CollectionSchema, field: string): string {
    if (field === 'id') return 'id';
    if (schema.indexedFields.includes(field)) return quote(columnNameFor(field));
    this.collections.delete(schema.name);
    if (this.schemaOf(schema.name).indexedFields.includes(field)) return quote(columnNameFor(field));
    throw new UnindexedQueryError(schema.name, field);
  }

  private whereClauses(schema: CollectionSchema, filter: Filter | undefined): { clauses: string[]; params: SqlValue[] } {
    const clauses: string[] = [];
    const params: SqlValue[] = [];
    for (const [field, condition] of Object.entries(filter ?? {})) {
      if (condition === undefined) continue;
      const column = this.columnFor(schema, field);
      conditionClauses(field, column, condition, clauses, params);
    }
    return { clauses, params };
  }

  private cachedQuery(schema: CollectionSchema, sql: string, shape: 'rows' | 'value'): Database.Statement {
    const cached = schema.queries.get(sql);
    if (cached) return cached;
    if (schema.queries.size >= MAX_CACHED_QUERIES_PER_COLLECTION) {
      const oldest = schema.queries.keys().next().value;
      if (oldest !== undefined) schema.queries.delete(oldest);
    }
    const statement = this.db.prepare(sql);
    if (shape === 'rows') statement.raw(true);
    else statement.pluck(true);
    schema.queries.set(sql, statement);
    return statement;
  }
}

function conditionClauses(field: string, column: string, condition: FieldCondition, clauses: string[], params: SqlValue[]): void {
  if (condition === null) {
    clauses.push(`${column} IS NULL`);
    return;
  }
  if (typeof condition !== 'object') {
    clauses.push(`${column} = ?`);
    params.push(toScalarParam(field, condition));
    return;
  }
  if ('in' in condition) {
    if (!Array.isArray(condition.in)) throw new TypeError(`Condition "in" on ${field} must be an array`);
    const values = condition.in.filter((value) => value !== null).map((value) => toScalarParam(field, value));
    const alternatives: string[] = [];
    if (values.length > 0) {
      // One parameter whatever the list length, so the statement is prepared once per filter shape.
      alternatives.push(`${column} IN (SELECT value FROM json_each(?))`);
      params.push(JSON.stringify(values));
    }
    // Equality with null matches missing values, so a null in the list does too.
    if (values.length < condition.in.length) alternatives.push(`${column} IS NULL`);
    clauses.push(alternatives.length === 0 ? '0' : `(${alternatives.join(' OR ')})`);
    return;
  }
  for (const [operator, bound] of Object.entries(condition)) {
    if (!(operator in RANGE_OPERATORS)) throw new TypeError(`Unknown condition ${operator} on ${field}`);
    if (bound === undefined) continue;
    clauses.push(`${column} ${RANGE_OPERATORS[operator as keyof typeof RANGE_OPERATORS]} ?`);
    params.push(toScalarParam(field, bound as Scalar));
  }
}

/**
 * Rows after the cursor in `ORDER BY column, id` order. SQLite sorts NULL before every other value,
 * so NULL needs its own branch: `column > NULL` is never true.
 */
function keysetClause(column: string, direction: 'asc' | 'desc', sortValue: SqlValue): { sql: string; params: SqlValue[] } {
  if (column === 'id') return { sql: direction === 'asc' ? 'id > ?' : 'id < ?', params: [] };
  if (direction === 'asc') {
    return sortValue === null
      ? { sql: `(${column} IS NOT NULL OR id > ?)`, params: [] }
      : { sql: `(${column} > ? OR (${column} = ? AND id > ?))`, params: [sortValue, sortValue] };
  }
  return sortValue === null
    ? { sql: `(${column} IS NULL AND id < ?)`, params: [] }
    : { sql: `(${column} < ? OR ${column} IS NULL OR (${column} = ? AND id < ?))`, params: [sortValue, sortValue] };
}

/** The stored form of a document; refuses one without an id before anything is written. */
function serializeDocument(document: Document): string {
  if (typeof document?.id !== 'string' || document.id === '') throw new TypeError('A document needs a non-empty string id');
  return JSON.stringify(document);
}

/**
 * Mirrors what json_extract yields for the same JSON, so backfilled and written columns agree; whole
 * numbers go in as bigint because better-sqlite3 would otherwise store every number as a REAL.
 */
function toColumnValue(value: unknown): SqlValue | bigint {
  if (value !== null && typeof value === 'object' && typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    value = (value as { toJSON(): unknown }).toJSON();
  }
  if (value === undefined || value === null) return null;
  if (typeof value === 'boolean') return value ? 1n : 0n;
  if (typeof value === 'number') return Number.isSafeInteger(value) ? BigInt(value) : Number.isFinite(value) ? value : null;
  if (typeof value === 'string') return value;
  return JSON.stringify(value) ?? null;
}

function toScalarParam(field: string, value: Scalar): SqlValue {
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'string' || value === null) return value;
  if (typeof value === 'number' && !Number.isNaN(value)) return value;
  throw new TypeError(`Unsupported value for ${field}: ${String(value)}`);
}

function validateDefinition(definition: CollectionDefinition): void {
  if (typeof definition?.name !== 'string' || definition.name === '') {
    throw new InvalidCollectionDefinitionError('A collection needs a non-empty name');
  }
  if (!Array.isArray(definition.indexes)) throw new InvalidCollectionDefinitionError(`Collection ${definition.name} needs indexes`);
  for (const index of definition.indexes) {
    if (!Array.isArray(index?.fields) || index.fields.length === 0) {
      throw new InvalidCollectionDefinitionError(`An index of ${definition.name} declares no fields`);
    }
    for (const field of index.fields) {
      if (typeof field !== 'string' || !FIELD_NAME.test(field)) {
        throw new InvalidCollectionDefinitionError(`Field ${String(field)} of ${definition.name} is not a plain top-level field name`);
      }
    }
    if (new Set(index.fields).size !== index.fields.length) {
      throw new InvalidCollectionDefinitionError(`An index of ${definition.name} repeats a field`);
    }
  }
}

/** Union of what is stored and what is declared: another process may still query an index this caller omits. */
function mergeIndexes(existing: readonly IndexDefinition[], declared: readonly IndexDefinition[]): IndexDefinition[] {
  const merged = new Map<string, IndexDefinition>();
  for (const index of [...existing, ...declared]) {
    const normalized: IndexDefinition = { fields: [...index.fields], ...(index.unique ? { unique: true } : {}) };
    merged.set(indexKey(normalized), merged.get(indexKey(normalized)) ?? normalized);
  }
  return [...merged.values()];
}

function indexKey(index: IndexDefinition): string {
  return JSON.stringify([index.fields, index.unique === true]);
}

function indexedFieldsOf(indexes: readonly IndexDefinition[]): string[] {
  return [...new Set(indexes.flatMap((index) => index.fields))].filter((field) => field !== 'id');
}

function tableNameFor(collection: string): string {
  return `rm_${collection.replace(/[^A-Za-z0-9_]/g, '_')}`;
}

function columnNameFor(field: string): string {
  return field === 'id' ? 'id' : `f_${field}`;
}

/** Only for identifiers built from validated names and sanitized collection names. */
function quote(identifier: string): string {
  return `"${identifier.replace(/"/g, '""')}"`;
}

function shortHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 8);
}
