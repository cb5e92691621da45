import {
  MongoBulkWriteError,
  MongoClient,
  MongoServerError,
  type AnyBulkWriteOperation,
  type Collection,
  type Db,
  type Document as MongoDocument,
} from 'mongodb';
import {
  UnindexedQueryError,
  UniqueIndexViolationError,
  type CollectionDefinition,
  type CommitUnit,
  type Document,
  type DocumentWithJson,
  type Filter,
  type FindQuery,
  type IndexDefinition,
  type Page,
  type ReadStore,
} from '../read-store.port';
import { decodeCursor, encodeCursor } from '../cursor';
import {
  cursorKeyOf,
  fromStoredDocument,
  keysetFilter,
  queriedFields,
  toGuardedWrites,
  toIndexDescription,
  toMongoFilter,
  toMongoSort,
  toStoredDocument,
  type StoredDocument,
} from './mongodb-mapping';

export * from './mongodb-mapping';

export interface MongoDbReadStoreOptions {
  /** Defaults to the database named in the URI (MongoDB's own default is `test`). */
  readonly databaseName?: string;
  /** Milliseconds since the epoch; decides lease expiry. */
  readonly clock?: () => number;
}

interface CheckpointDocument {
  _id: string;
  position: string;
}

interface LeaseDocument {
  _id: string;
  holder: string;
  expiresAt: number;
}

const ENGINE = 'mongodb';
const DUPLICATE_KEY = 11000;
const CHECKPOINTS = 'checkpoints';
const LEASES = 'leases';
/** Only live documents are read: tombstones stay behind to guard against replays. */
const LIVE = { _deleted: false } as const;

/**
 * The read-store port on MongoDB, without transactions, so it also runs on a standalone server.
 * A commit writes its documents first, each guarded by the unit's position, then moves the
 * checkpoints forward: after a crash in between, replaying the unit rewrites nothing newer.
 */
export class MongoDbReadStore implements ReadStore {
  /** Fields an index covers, per collection; refreshed from the server on a miss, as another process may have added an index. */
  private readonly indexedFields = new Map<string, Set<string>>();
  private closed = false;

  constructor(
    private readonly client: MongoClient,
    private readonly db: Db,
    private readonly clock: () => number = Date.now,
  ) {}

  static async connect(uri: string, options: MongoDbReadStoreOptions = {}): Promise<MongoDbReadStore> {
    // No eager connect: an unreachable server at start is reported by health() and retried by each
    // operation, instead of a process that exits and restarts in a loop.
    const client = new MongoClient(uri, { serverSelectionTimeoutMS: 5000 });
    return new MongoDbReadStore(client, client.db(options.databaseName), options.clock);
  }

  async ensureCollections(definitions: readonly CollectionDefinition[]): Promise<void> {
    this.assertOpen();
    for (const definition of definitions) {
      if (typeof definition?.name !== 'string' || definition.name === '') throw new TypeError('A collection needs a non-empty name');
      if (!Array.isArray(definition.indexes)) throw new TypeError(`Collection ${definition.name} needs indexes`);
      const indexes = definition.indexes.map(toIndexDescription).filter((index) => index !== null);
      if (indexes.length > 0) await this.documents(definition.name).createIndexes(indexes);
      const known = this.indexedFields.get(definition.name) ?? new Set<string>();
      for (const index of definition.indexes as readonly IndexDefinition[]) index.fields.forEach((field) => known.add(field));
      this.indexedFields.set(definition.name, known);
    }
  }

  async get<T extends Document>(collection: string, id: string): Promise<T | null> {
    this.assertOpen();
    const stored = await this.documents(collection).findOne({ _id: id, ...LIVE });
    return stored === null ? null : fromStoredDocument<T>(stored);
  }

  async getWithJson<T extends Document>(collection: string, id: string): Promise<DocumentWithJson<T> | null> {
    const document = await this.get<T>(collection, id);
    return document === null ? null : { document, json: JSON.stringify(document) };
  }

  async find<T extends Document>(collection: string, query: FindQuery): Promise<Page<T>> {
    this.assertOpen();
    const { limit } = query;
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`limit must be a positive integer, got ${limit}`);
    await this.assertIndexed(collection, queriedFields(query.filter, query.sort));
    const sortField = query.sort?.field ?? 'id';
    const sort = toMongoSort(query.sort);
    const matching = { ...toMongoFilter(query.filter), ...LIVE };
    const filter = query.cursor == null ? matching : { $and: [matching, keysetFilter(query.sort, decodeCursor(query.cursor))] };

    const stored = await this.documents(collection).find(filter, { sort, limit: limit + 1 }).toArray();

    const page = stored.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map((document) => fromStoredDocument<T>(document)),
      nextCursor: stored.length > limit && last ? encodeCursor(cursorKeyOf(last, sortField)) : null,
    };
  }

  async count(collection: string, filter?: Filter): Promise<number> {
    this.assertOpen();
    await this.assertIndexed(collection, queriedFields(filter));
    return this.documents(collection).countDocuments({ ...toMongoFilter(filter), ...LIVE });
  }

  /** An unguarded write: it also drops the position a commit left, so the next commit to this document applies. */
  async upsert(collection: string, document: Document): Promise<void> {
    this.assertOpen();
    const { _id, ...replacement } = toStoredDocument(document);
    try {
      await this.documents(collection).replaceOne({ _id }, replacement, { upsert: true });
    } catch (error) {
      if (isDuplicateKeyError(error)) throw new UniqueIndexViolationError((error as Error).message);
      throw error;
    }
  }

  async delete(collection: string, id: string): Promise<void> {
    this.assertOpen();
    await this.documents(collection).deleteOne({ _id: id });
  }

  async commit(unit: CommitUnit): Promise<void> {
    this.assertOpen();
    if (typeof unit.position !== 'string' || unit.position === '') throw new TypeError('A commit needs the position of its last event');
    const checkpoints = Object.entries(unit.checkpoints);
    for (const [name, position] of checkpoints) {
      if (typeof position !== 'string') throw new TypeError(`Checkpoint ${name} must be a string position`);
    }
    const writes = toGuardedWrites(unit.changes, unit.position);
    await Promise.all([...writes].map(([collection, operations]) => this.applyGuardedWrites(collection, operations, unit.position)));
    if (checkpoints.length > 0) await this.advanceCheckpoints(checkpoints);
  }

  async getCheckpoint(name: string): Promise<string | null> {
    this.assertOpen();
    const checkpoint = await this.db.collection<CheckpointDocument>(CHECKPOINTS).findOne({ _id: name });
    return checkpoint?.position ?? null;
  }

  async acquireLease(name: string, holder: string, ttlMs: number): Promise<boolean> {
    this.assertOpen();
    if (!Number.isFinite(ttlMs) || ttlMs <= 0) throw new RangeError(`ttlMs must be a positive number, got ${ttlMs}`);
    const now = this.clock();
    try {
      const lease = await this.db.collection<LeaseDocument>(LEASES).findOneAndUpdate(
        { _id: name, $or: [{ holder }, { expiresAt: { $lte: now } }] },
        { $set: { holder, expiresAt: Math.ceil(now + ttlMs) } },
        { upsert: true, returnDocument: 'after' },
      );
      return lease?.holder === holder;
    } catch (error) {
      // The lease exists, held by someone else and not expired: the upsert's insert collided with it.
      if (isDuplicateKeyError(error)) return false;
      throw error;
    }
  }

  async releaseLease(name: string, holder: string): Promise<void> {
    this.assertOpen();
    await this.db.collection<LeaseDocument>(LEASES).deleteOne({ _id: name, holder });
  }

  async health(): Promise<{ engine: string; status: 'up' | 'down'; detail?: string }> {
    if (this.closed) return { engine: ENGINE, status: 'down', detail: 'closed' };
    try {
      await this.db.command({ ping: 1 });
      return { engine: ENGINE, status: 'up' };
    } catch (error) {
      return { engine: ENGINE, status: 'down', detail: error instanceof Error ? error.message : String(error) };
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.client.close();
  }

  private documents(collection: string): Collection<StoredDocument> {
    return this.db.collection<StoredDocument>(collection);
  }

  /**
   * Runs the writes of one collection. A duplicate key on `_id` means the document already holds
   * this unit's changes or newer ones; it is skipped once the stored position confirms it. Any
   * other failure, such as a unique index refusing the document, is rethrown.
   */
  private async applyGuardedWrites(collection: string, operations: AnyBulkWriteOperation<StoredDocument>[], position: string): Promise<void> {
    try {
      await this.documents(collection).bulkWrite(operations, { ordered: false });
    } catch (error) {
      if (!(error instanceof MongoBulkWriteError) || error.err !== undefined) throw error;
      const writeErrors = Array.isArray(error.writeErrors) ? error.writeErrors : [error.writeErrors];
      if (writeErrors.length === 0 || writeErrors.some((writeError) => writeError.code !== DUPLICATE_KEY)) throw error;
      const collidedIds = writeErrors.map((writeError) => idOfGuardedWrite(operations[writeError.index]));
      const stored = await this.documents(collection)
        .find({ _id: { $in: collidedIds } }, { projection: { _position: 1 } })
        .toArray();
      const alreadyNewer = new Set(
        stored.filter((document) => typeof document._position === 'string' && document._position >= position).map((document) => document._id),
      );
      if (collidedIds.some((id) => !alreadyNewer.has(id))) throw new UniqueIndexViolationError(error.message);
    }
  }

  /** Checkpoints only move forward, so a replayed or late commit never moves one back. */
  private async advanceCheckpoints(checkpoints: ReadonlyArray<[string, string]>): Promise<void> {
    const operations: AnyBulkWriteOperation<CheckpointDocument>[] = checkpoints.map(([name, position]) => ({
      updateOne: { filter: { _id: name }, update: { $max: { position } }, upsert: true },
    }));
    try {
      await this.db.collection<CheckpointDocument>(CHECKPOINTS).bulkWrite(operations, { ordered: false });
    } catch (error) {
      // Two first commits of one checkpoint can race to insert it; the second attempt finds it and updates.
      if (!isDuplicateKeyError(error)) throw error;
      await this.db.collection<CheckpointDocument>(CHECKPOINTS).bulkWrite(operations, { ordered: false });
    }
  }

  private async assertIndexed(collection: string, fields: readonly string[]): Promise<void> {
    const unindexed = (known: ReadonlySet<string> | undefined) => fields.find((field) => field !== 'id' && !known?.has(field));
    if (unindexed(this.indexedFields.get(collection)) === undefined) return;
    const refreshed = await this.readIndexedFields(collection);
    this.indexedFields.set(collection, refreshed);
    const field = unindexed(refreshed);
    if (field !== undefined) throw new UnindexedQueryError(collection, field);
  }

  private async readIndexedFields(collection: string): Promise<Set<string>> {
    const fields = new Set(this.indexedFields.get(collection));
    try {
      for (const index of await this.documents(collection).listIndexes().toArray()) {
        for (const field of Object.keys(index.key as MongoDocument)) fields.add(field === '_id' ? 'id' : field);
      }
    } catch (error) {
      // Listing the indexes of a collection that does not exist yet fails with NamespaceNotFound.
      if (!(error instanceof MongoServerError && error.codeName === 'NamespaceNotFound')) throw error;
    }
    return fields;
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('MongoDbReadStore is closed');
  }
}

function idOfGuardedWrite(operation: AnyBulkWriteOperation<StoredDocument> | undefined): string {
  if (operation && 'replaceOne' in operation) return operation.replaceOne.filter._id as unknown as string;
  throw new Error('A guarded write is always a replaceOne');
}

function isDuplicateKeyError(error: unknown): boolean {
  if (error instanceof MongoBulkWriteError) {
    const writeErrors = Array.isArray(error.writeErrors) ? error.writeErrors : [error.writeErrors];
    return writeErrors.length > 0 && writeErrors.every((writeError) => writeError.code === DUPLICATE_KEY);
  }
  return error instanceof MongoServerError && error.code === DUPLICATE_KEY;
}
