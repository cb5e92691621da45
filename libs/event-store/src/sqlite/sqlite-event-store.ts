import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { EventEmitter } from 'node:events';
import Database from 'better-sqlite3';
import {
  DuplicateEventIdError,
  WrongExpectedRevisionError,
  type AppendResult,
  type EngineHealth,
  type EventMetadata,
  type EventStore,
  type ExpectedRevision,
  type NewEvent,
  type ReadAllOptions,
  type ReadStreamOptions,
  type RecordedEvent,
  type SubscribeAllOptions,
} from '../event-store.port';
import { assertNonNegativeInteger, assertPositionCount, assertStreamPrefix, refuseNonFiniteNumbers } from '../adapter-checks';
import { canonicalJsonOfParsed, canonicalJsonOfPlain, chainedEventHash, type HashableEvent } from './sqlite-hashing';
import { fromSqlitePosition, toSqlitePosition } from './sqlite-positions';
import { StreamHeadCache, type StreamHead } from './sqlite-stream-heads';

export { fromSqlitePosition, toSqlitePosition } from './sqlite-positions';

export interface SqliteEventStoreOptions {
  /** Path of the database file; created (with its directory) when missing. */
  readonly file: string;
  /** Source of `recordedAt`; injectable so tests and replays are deterministic. */
  readonly clock?: () => Date;
  /** How often a caught-up subscription re-reads the file, to see appends made by other processes. */
  readonly pollIntervalMs?: number;
}

export interface SqliteConnectionSettings {
  readonly journalMode: string;
  /** 0 OFF, 1 NORMAL, 2 FULL, 3 EXTRA. */
  readonly synchronous: number;
  readonly busyTimeoutMs: number;
  /** Pages of WAL after which a commit copies them back into the database file. */
  readonly walAutocheckpointPages: number;
}

export const DEFAULT_READ_ALL_LIMIT = 1000;
export const DEFAULT_POLL_INTERVAL_MS = 25;
/** Long enough to ride out another process's commit (a projector, a backup), short enough to surface a stuck lock. */
const BUSY_TIMEOUT_MS = 5000;
const SCHEMA_VERSION = 1;
const SUBSCRIPTION_BATCH_SIZE = DEFAULT_READ_ALL_LIMIT;
const CHANGE = 'change';
/**
 * Most appends one group commit takes: enough to amortize the fsync over a burst of concurrent writers,
 * few enough that the first of them is not kept waiting behind an unbounded transaction.
 */
const MAX_APPENDS_PER_COMMIT = 1000;
/**
 * Performance only (docs/performance.md, b): the commit that passes this many pages of WAL copies them back into the
 * file and fsyncs it. SQLite's default, 1000, meant a copy and an extra fsync every ~12 group commits of 64 events,
 * each copying again the index pages every commit rewrites; 4000 (~16 MB of WAL) copies each of them once per ~47,
 * and stays within the first 4096 frames, which the WAL index looks up in one hash table.
 */
const WAL_AUTOCHECKPOINT_PAGES = 4000;
/** How long commits may follow one another without a turn of the event loop (see `followUp`). */
const FOLLOW_UP_BUDGET_MS = 2;

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS events (
    -- AUTOINCREMENT so a position is never reused, even if the newest row were ever removed.
    position       INTEGER PRIMARY KEY AUTOINCREMENT,
    stream_id      TEXT    NOT NULL,
    revision       INTEGER NOT NULL,
    event_id       TEXT    NOT NULL UNIQUE,
    type           TEXT    NOT NULL,
    schema_version INTEGER NOT NULL,
    data           TEXT    NOT NULL,
    metadata       TEXT    NOT NULL,
    recorded_at    TEXT    NOT NULL,
    hash           TEXT    NOT NULL,
    previous_hash  TEXT,
    UNIQUE (stream_id, revision)
  );
  CREATE TABLE IF NOT EXISTS streams (
    stream_id     TEXT    PRIMARY KEY,
    last_revision INTEGER NOT NULL,
    last_position INTEGER NOT NULL,
    last_hash     TEXT    NOT NULL
  ) WITHOUT ROWID;
  -- The log is the system of record: rows are never changed or removed once committed.
  CREATE TRIGGER IF NOT EXISTS events_are_immutable BEFORE UPDATE ON events
    BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
  CREATE TRIGGER IF NOT EXISTS events_are_never_deleted BEFORE DELETE ON events
    BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
`;

/** The columns of an EventRow, in its order, qualified: json_each, joined in readPositions, has a `type` column too. */
const EVENT_COLUMNS = `
  events.position, events.stream_id, events.revision, events.event_id, events.type, events.schema_version,
  events.data, events.metadata, events.recorded_at, events.hash, events.previous_hash`;

/**
 * An event as its statements return it: raw, an array rather than an object per row (docs/performance.md, d: reading
 * a page of the log ~4.5 µs → ~3 µs per event).
 */
type EventRow = readonly [position: number, ...InsertEventParams];

/** The columns an append writes, in the order of EventRow after the position. */
type InsertEventParams = [
  streamId: string,
  revision: number,
  eventId: string,
  type: string,
  schemaVersion: number,
  data: string,
  metadata: string,
  recordedAt: string,
  hash: string,
  previousHash: string | null,
];

const LAST_REVISION = 0;
const LAST_POSITION = 1;
const LAST_HASH = 2;

interface EventLocationRow {
  readonly streamId: string;
  readonly revision: number;
}

interface StoredIdRow {
  readonly eventId: string;
  readonly position: number;
}

/** An event checked and serialized before it joins a group commit; a value JSON cannot hold waits as `error`. */
interface PreparedEvent extends HashableEvent {
  readonly source: NewEvent;
  /**
   * What the store keeps for data and metadata is their canonical JSON (keys sorted): the text the hash covers,
   * made once, and what a reader parses back (the same values as the event's own JSON).
   */
  readonly canonicalData: string;
  readonly canonicalMetadata: string;
  /** Thrown, inside the transaction, where serializing used to fail: after the revision and idempotency checks. */
  readonly error: unknown;
}

interface PendingAppend {
  readonly streamId: string;
  readonly events: readonly PreparedEvent[];
  readonly expectedRevision: ExpectedRevision;
  readonly resolve: (result: AppendResult) => void;
  readonly reject: (error: unknown) => void;
}

type AppendOutcome = { readonly ok: true; readonly result: AppendResult; readonly appended: boolean } | { readonly ok: false; readonly error: unknown };

function prepareStatements(db: Database.Database) {
  return {
    selectStream: db.prepare<[string], StreamHead>('SELECT last_revision, last_position, last_hash FROM streams WHERE stream_id = ?').raw(true),
    upsertStream: db.prepare<[string, number, number, string]>(
      `INSERT INTO streams (stream_id, last_revision, last_position, last_hash) VALUES (?, ?, ?, ?)
       ON CONFLICT (stream_id) DO UPDATE SET
         last_revision = excluded.last_revision, last_position = excluded.last_position, last_hash = excluded.last_hash`,
    ),
    selectEventLocation: db.prepare<[string], EventLocationRow>('SELECT stream_id AS streamId, revision FROM events WHERE event_id = ?'),
    selectStoredIds: new LimitedStatements<[string, number], StoredIdRow>(
      db,
      'SELECT event_id AS eventId, position FROM events WHERE stream_id = ? AND revision >= ? ORDER BY revision',
    ),
    insertEvent: db.prepare<InsertEventParams>(
      `INSERT INTO events (stream_id, revision, event_id, type, schema_version, data, metadata, recorded_at, hash, previous_hash)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    readStreamForwards: new LimitedStatements<[string, number], EventRow>(
      db,
      `SELECT ${EVENT_COLUMNS} FROM events WHERE stream_id = ? AND revision >= ? ORDER BY revision ASC`,
      { raw: true },
    ),
    readStreamBackwards: new LimitedStatements<[string, number], EventRow>(
      db,
      `SELECT ${EVENT_COLUMNS} FROM events WHERE stream_id = ? AND revision <= ? ORDER BY revision DESC`,
      { raw: true },
    ),
    // The wanted positions as a JSON array; each is one lookup of the table's own key, one leaf page per event.
    readPositions: db
      .prepare<[string], [...EventRow, wanted: number]>(`SELECT ${EVENT_COLUMNS}, wanted.key FROM json_each(?) AS wanted JOIN events ON events.position = wanted.value`)
      .raw(true),
    readAllAfter: new LimitedStatements<[number], EventRow>(db, `SELECT ${EVENT_COLUMNS} FROM events WHERE position > ? ORDER BY position ASC`, { raw: true }),
    // The prefix twice: compared by SQLite's own character count, in the scan of the table's key, so that the other
    // streams' rows are skipped in C and never reach JavaScript (docs/performance.md: a disposal's look at the log).
    readAllAfterInStreams: new LimitedStatements<[number, string, string], EventRow>(
      db,
      `SELECT ${EVENT_COLUMNS} FROM events WHERE position > ? AND substr(stream_id, 1, length(?)) = ? ORDER BY position ASC`,
      { raw: true },
    ),
    selectHead: db.prepare<[], number | null>('SELECT MAX(position) FROM events').pluck(),
    // Run inside the write transaction (~0.2 µs there); `db.pragma()` would prepare it again on every call.
    dataVersion: db.prepare<[], number>('PRAGMA data_version').pluck(),
    ping: db.prepare<[], number>('SELECT 1').pluck(),
  };
}

type Statements = ReturnType<typeof prepareStatements>;

const EVENT_ROW_LENGTH = 11;

/** Limits in use at once are few (page sizes, batch sizes); past this many, the cache starts over. */
const MAX_CACHED_LIMITS = 64;

/**
 * One query with its LIMIT written into the SQL: a LIMIT bound as a parameter made every run of these statements
 * ~9 µs slower with this SQLite build (measured: 11 µs against 2 µs for a read that finds nothing, the usual case
 * of a command's stream read), more than the read itself. One prepared statement per limit in use; none for no limit.
 */
class LimitedStatements<Params extends unknown[], Row> {
  private readonly byLimit = new Map<number | undefined, Database.Statement<Params, Row>>();

  constructor(
    private readonly db: Database.Database,
    private readonly sql: string,
    private readonly options: { readonly raw?: boolean } = {},
  ) {}

  /** `limit` is a checked non-negative integer, or undefined for every row. */
  with(limit: number | undefined): Database.Statement<Params, Row> {
    let statement = this.byLimit.get(limit);
    if (statement === undefined) {
      if (this.byLimit.size >= MAX_CACHED_LIMITS) this.byLimit.clear();
      statement = this.db.prepare<Params, Row>(limit === undefined ? this.sql : `${this.sql} LIMIT ${limit}`);
      if (this.options.raw) statement.raw(true);
      this.byLimit.set(limit, statement);
    }
    return statement;
  }
}

/**
 * The embedded event store: one SQLite file in WAL mode, fsync on every commit, safe to read
 * (and write) from other processes such as a separate projector.
 */
export class SqliteEventStore implements EventStore {
  private readonly statements: Statements;
  /** One append of several events inside `groupTransaction`, where better-sqlite3 runs it as a savepoint. */
  private readonly appendTransaction: Database.Transaction<(append: PendingAppend) => AppendResult>;
  /** Several appends in one transaction, one fsync: each succeeds or fails alone, all become durable together. */
  private readonly groupTransaction: Database.Transaction<(appends: readonly PendingAppend[]) => AppendOutcome[]>;
  /** One append alone in its transaction; like `groupTransaction`, it first checks what the stream-head cache may trust. */
  private readonly soloTransaction: Database.Transaction<(append: PendingAppend) => AppendResult>;
  private readonly streamHeads = new StreamHeadCache();
  /** Appends waiting for the next group commit, in arrival order: the order they get their positions in. */
  private pending: PendingAppend[] = [];
  private flushScheduled = false;
  /** A follow-up check is queued behind the promises the last commit settled (see `followUp`). */
  private followUpQueued = false;
  /** When the event loop last gave the store its turn: follow-up commits stop FOLLOW_UP_BUDGET_MS after it. */
  private turnStartedMs = 0;
  private commitCount = 0;
  /** Whether the append running now has written a row yet: until it has, a refusal leaves nothing to undo. */
  private appendWroteRows = false;
  private committedAppendCount = 0;
  /** Wakes caught-up subscriptions of this instance; other processes are seen by polling. */
  private readonly changes = new EventEmitter().setMaxListeners(0);
  /** Bumped on every local append, so a subscription can tell it missed a wake-up while yielding. */
  private appendCount = 0;
  private closed = false;

  /**
   * Opens (creating when needed) the store synchronously: better-sqlite3 is synchronous, so there
   * is nothing to await. Throws if the file cannot be opened or was written by a newer schema.
   */
  static open(options: SqliteEventStoreOptions): SqliteEventStore {
    const pollIntervalMs = options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS;
    if (!Number.isFinite(pollIntervalMs) || pollIntervalMs <= 0) {
      throw new RangeError(`pollIntervalMs must be a positive number, got ${String(pollIntervalMs)}`);
    }
    if (options.file !== ':memory:' && options.file !== '') mkdirSync(dirname(options.file), { recursive: true });
    const db = new Database(options.file, { timeout: BUSY_TIMEOUT_MS });
    try {
      // busy_timeout first: switching to WAL and creating the schema may wait on another process.
      db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = FULL');
      db.pragma(`wal_autocheckpoint = ${WAL_AUTOCHECKPOINT_PAGES}`);
      migrate(db);
      return new SqliteEventStore(db, options.file, options.clock ?? (() => new Date()), pollIntervalMs);
    } catch (error) {
      db.close();
      throw error;
    }
  }

  private constructor(
    private readonly db: Database.Database,
    readonly file: string,
    private readonly clock: () => Date,
    private readonly pollIntervalMs: number,
  ) {
    this.statements = prepareStatements(db);
    this.appendTransaction = db.transaction((append: PendingAppend) =>
      this.appendWithinTransaction(append.streamId, append.events, append.expectedRevision),
    );
    this.soloTransaction = db.transaction((append: PendingAppend) => {
      this.trustCachedHeadsIfUnchanged();
      return this.appendWithinTransaction(append.streamId, append.events, append.expectedRevision);
    });
    this.groupTransaction = db.transaction((appends: readonly PendingAppend[]) => {
      this.trustCachedHeadsIfUnchanged();
      return appends.map((append): AppendOutcome => {
        // Several events: nested in this transaction, better-sqlite3 runs the append as a SAVEPOINT, so a
        // failure after some of its rows were written rolls back just those. One event needs no savepoint:
        // every refusal (revision, duplicate id, bad data) happens before its only row is written.
        const savepoint = append.events.length > 1;
        try {
          const result = savepoint ? this.appendTransaction(append) : this.appendWithinTransaction(append.streamId, append.events, append.expectedRevision);
          return { ok: true, result, appended: append.events.length > 0 };
        } catch (error) {
          // Some errors (disk full, I/O) make SQLite roll the whole transaction back: then nothing of the group is
          // stored. An error after a single event's row was written cannot be undone alone either.
          if (!this.db.inTransaction || (!savepoint && this.appendWroteRows)) throw error;
          // Whatever this append left of its stream's head is not trusted: the next append there reads it again.
          this.streamHeads.forget(append.streamId);
          return { ok: false, error };
        }
      });
    });
  }

  /**
   * Group commit: an append joins a queue, and the appends that arrive in the same turn of the event loop
   * are committed together in one IMMEDIATE transaction, each in its own savepoint, in arrival order.
   * Each promise settles only after that COMMIT has returned (fsync done, synchronous=FULL), so an
   * acknowledged append is durable; a failed append (revision, duplicate id, bad data) is rejected alone.
   */
  append(streamId: string, events: readonly NewEvent[], options: { expectedRevision: ExpectedRevision }): Promise<AppendResult> {
    // Not an async function: every append would pay for its extra promise.
    try {
      this.assertOpen();
      assertExpectedRevision(options.expectedRevision);
    } catch (error) {
      return Promise.reject(error);
    }
    const prepared = events.map(prepareEvent);
    return new Promise<AppendResult>((resolve, reject) => {
      this.pending.push({ streamId, events: prepared, expectedRevision: options.expectedRevision, resolve, reject });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        if (!this.followUpQueued) setImmediate(this.flushInNewTurn);
      }
    });
  }

  private readonly flushInNewTurn = (): void => {
    this.turnStartedMs = performance.now();
    this.flush();
  };

  /**
   * Runs once everything the last commit's acknowledgements set off synchronously (their continuations, however deep
   * their chain of promises) is done. Appends made by those continuations (a writer that appends again as soon as it
   * hears back, as an import does) are committed at once instead of after a turn of the event loop
   * (docs/performance.md, a). Within a budget: past it, the next commit waits for the next turn, so that I/O (HTTP
   * requests, whose appends arrive from I/O callbacks and are batched there) is not starved.
   */
  private followUp(): void {
    this.followUpQueued = false;
    if (this.pending.length === 0) return;
    if (performance.now() - this.turnStartedMs < FOLLOW_UP_BUDGET_MS) this.flush();
    else setImmediate(this.flushInNewTurn);
  }

  /** Commits every queued append, at most MAX_APPENDS_PER_COMMIT per transaction, then settles their promises. */
  private flush(): void {
    this.flushScheduled = false;
    while (this.pending.length > 0) {
      const group = this.pending.length <= MAX_APPENDS_PER_COMMIT ? this.pending : this.pending.slice(0, MAX_APPENDS_PER_COMMIT);
      this.pending = this.pending.length <= MAX_APPENDS_PER_COMMIT ? [] : this.pending.slice(MAX_APPENDS_PER_COMMIT);
      let outcomes: AppendOutcome[];
      try {
        if (this.closed) throw new Error(`SqliteEventStore ${this.file} is closed`);
        // IMMEDIATE takes the write lock up front, so each revision check and its inserts see the same stream state.
        outcomes =
          group.length === 1
            ? [{ ok: true, result: this.soloTransaction.immediate(group[0]), appended: group[0].events.length > 0 }]
            : this.groupTransaction.immediate(group);
        this.streamHeads.committed();
        this.commitCount += 1;
        this.committedAppendCount += group.length;
      } catch (error) {
        this.streamHeads.rolledBack();
        outcomes = group.map(() => ({ ok: false, error }));
      }
      // COMMIT has returned: what succeeded is on disk. Only now may anyone hear of it.
      let appended = false;
      outcomes.forEach((outcome, index) => {
        if (outcome.ok) {
          appended ||= outcome.appended;
          group[index].resolve(outcome.result);
        } else {
          group[index].reject(outcome.error);
        }
      });
      if (appended) {
        this.appendCount += 1;
        this.changes.emit(CHANGE);
      }
    }
    if (!this.followUpQueued && !this.closed) {
      this.followUpQueued = true;
      // A tick queued from a microtask runs after the whole microtask queue has drained, not before it.
      queueMicrotask(() => process.nextTick(() => this.followUp()));
    }
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    const limit = checkedLimit(options.limit);
    if (options.from !== undefined) assertNonNegativeInteger('from', options.from);
    const rows =
      options.direction === 'backwards'
        ? this.statements.readStreamBackwards.with(limit).all(streamId, options.from ?? Number.MAX_SAFE_INTEGER)
        : this.statements.readStreamForwards.with(limit).all(streamId, options.from ?? 0);
    return rows.map(toRecordedEvent);
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    const after = options.after == null ? 0 : fromSqlitePosition(options.after);
    const limit = checkedLimit(options.limit ?? DEFAULT_READ_ALL_LIMIT);
    const prefix = options.streamPrefix;
    assertStreamPrefix(prefix);
    if (prefix === undefined) return this.readAllAfter(after, limit);
    return this.statements.readAllAfterInStreams.with(limit).all(after, prefix, prefix).map(toRecordedEvent);
  }

  async readEventsAt(positions: readonly string[]): Promise<(RecordedEvent | null)[]> {
    this.assertOpen();
    assertPositionCount(positions);
    const wanted = positions.map(fromSqlitePosition);
    const found: (RecordedEvent | null)[] = wanted.map(() => null);
    if (wanted.length === 0) return found;
    for (const row of this.statements.readPositions.all(JSON.stringify(wanted))) found[row[EVENT_ROW_LENGTH]] = toRecordedEvent(row);
    return found;
  }

  /**
   * Ends cleanly when the signal aborts or the store is closed. A malformed `after` throws here,
   * before iteration starts.
   */
  subscribeAll(options: SubscribeAllOptions = {}): AsyncIterable<RecordedEvent> {
    const after = options.after == null ? 0 : fromSqlitePosition(options.after);
    return this.subscription(after, options.signal);
  }

  async headPosition(): Promise<string | null> {
    this.assertOpen();
    const head = this.statements.selectHead.get();
    return head == null ? null : toSqlitePosition(head);
  }

  async health(): Promise<EngineHealth> {
    if (this.closed) return { engine: 'sqlite', status: 'down', detail: `${this.file}: closed` };
    try {
      this.statements.ping.get();
      return { engine: 'sqlite', status: 'up', detail: this.file };
    } catch (error) {
      return { engine: 'sqlite', status: 'down', detail: `${this.file}: ${(error as Error).message}` };
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    // Appends already accepted are committed, not dropped.
    this.flush();
    this.closed = true;
    this.changes.emit(CHANGE);
    this.db.close();
  }

  /** Calls `listener` after each commit that stored events through this instance (and on close); returns the unsubscribe. */
  onAppended(listener: () => void): () => void {
    this.changes.on(CHANGE, listener);
    return () => this.changes.off(CHANGE, listener);
  }

  /**
   * Wakes this instance's caught-up subscriptions at once, for events another connection stored and announced
   * (a projector thread told by the API's thread), instead of at the next poll.
   */
  wakeSubscriptions(): void {
    this.appendCount += 1;
    this.changes.emit(CHANGE);
  }

  /** How well group commit is batching: transactions committed and the appends they carried (those refused alone included). */
  groupCommitStats(): { readonly commits: number; readonly appends: number } {
    return { commits: this.commitCount, appends: this.committedAppendCount };
  }

  /** The durability settings actually in force on this connection. */
  connectionSettings(): SqliteConnectionSettings {
    this.assertOpen();
    return {
      journalMode: String(this.db.pragma('journal_mode', { simple: true })),
      synchronous: Number(this.db.pragma('synchronous', { simple: true })),
      busyTimeoutMs: Number(this.db.pragma('busy_timeout', { simple: true })),
      walAutocheckpointPages: Number(this.db.pragma('wal_autocheckpoint', { simple: true })),
    };
  }

  /** First in every write transaction, once the write lock is held: another connection's commit since voids the cache. */
  private trustCachedHeadsIfUnchanged(): void {
    this.streamHeads.begin(this.statements.dataVersion.get() as number);
  }

  /**
   * One append's reads and writes, inside a transaction (or savepoint) the caller owns. On the usual path it
   * reads the stream's head once and inserts: the event-id unique index itself tells a retry apart, so a new
   * event costs no extra lookup. Outcomes are those of checking for a retry first, then the revision.
   */
  private appendWithinTransaction(streamId: string, events: readonly PreparedEvent[], expectedRevision: ExpectedRevision): AppendResult {
    const { statements } = this;
    this.appendWroteRows = false;
    const stream = this.streamHeads.get(streamId) ?? statements.selectStream.get(streamId);
    const actual = stream ? stream[LAST_REVISION] : 'no_stream';
    if (!revisionMatches(expectedRevision, actual)) {
      // A retry of an earlier append gets its first answer even though the stream has moved on since.
      const retried = events.length > 0 ? this.findEarlierIdenticalAppend(streamId, events) : null;
      if (retried) return retried;
      throw new WrongExpectedRevisionError(streamId, expectedRevision, actual);
    }
    if (events.length === 0) {
      return stream
        ? { nextRevision: stream[LAST_REVISION], position: toSqlitePosition(stream[LAST_POSITION]) }
        : { nextRevision: -1, position: toSqlitePosition(0) };
    }

    const recordedAt = this.clock().toISOString();
    let revision = stream ? stream[LAST_REVISION] : -1;
    let previousHash: string | null = stream ? stream[LAST_HASH] : null;
    let position = 0;
    for (let index = 0; index < events.length; index++) {
      const prepared = events[index];
      const event = prepared.source;
      revision += 1;
      // Hash what a reader will get back, so that verifying a stored event reproduces the same hash.
      const hash = prepared.error === undefined ? chainedEventHash(prepared, streamId, revision, recordedAt, previousHash) : undefined;
      try {
        if (hash === undefined) throw prepared.error;
        const inserted = statements.insertEvent.run(
          streamId, revision, event.eventId, event.type, event.schemaVersion, prepared.canonicalData, prepared.canonicalMetadata, recordedAt, hash, previousHash,
        );
        this.appendWroteRows = true;
        position = Number(inserted.lastInsertRowid);
        previousHash = hash;
      } catch (error) {
        if (!isEventIdConflict(error)) throw error;
        // Nothing of this append is stored yet when its first id collides: that may be a retry of an earlier append.
        if (index === 0) {
          const retried = this.findEarlierIdenticalAppend(streamId, events);
          if (retried) return retried;
        }
        throw new DuplicateEventIdError(event.eventId, streamId);
      }
    }
    statements.upsertStream.run(streamId, revision, position, previousHash as string);
    this.streamHeads.wrote(streamId, [revision, position, previousHash as string]);
    return { nextRevision: revision, position: toSqlitePosition(position) };
  }

  /**
   * A retry of an earlier append (same ids, same stream, same order) gets the first answer back,
   * whatever the stream's revision is now. Any other reuse of a stored id is refused.
   */
  private findEarlierIdenticalAppend(streamId: string, events: readonly PreparedEvent[]): AppendResult | null {
    const firstId = events[0].source.eventId;
    const first = this.statements.selectEventLocation.get(firstId);
    if (!first) return null;
    if (first.streamId !== streamId) throw new DuplicateEventIdError(firstId, streamId);
    const stored = this.statements.selectStoredIds.with(events.length).all(streamId, first.revision);
    const identical = stored.length === events.length && stored.every((row, index) => row.eventId === events[index].source.eventId);
    if (!identical) throw new DuplicateEventIdError(firstId, streamId);
    const stream = this.statements.selectStream.get(streamId) as StreamHead;
    return { nextRevision: stream[LAST_REVISION], position: toSqlitePosition(stored[stored.length - 1].position) };
  }

  private readAllAfter(after: number, limit: number | undefined): RecordedEvent[] {
    return this.statements.readAllAfter.with(limit).all(after).map(toRecordedEvent);
  }

  private async *subscription(after: number, signal: AbortSignal | undefined): AsyncGenerator<RecordedEvent> {
    let cursor = after;
    while (!this.closed && !signal?.aborted) {
      const appendCountBeforeRead = this.appendCount;
      const batch = this.readAllAfter(cursor, SUBSCRIPTION_BATCH_SIZE);
      for (const event of batch) {
        if (this.closed || signal?.aborted) return;
        yield event;
        cursor = fromSqlitePosition(event.position);
      }
      const caughtUp = batch.length < SUBSCRIPTION_BATCH_SIZE;
      if (caughtUp && this.appendCount === appendCountBeforeRead) await this.waitForChange(signal);
    }
  }

  /** Resolves on a local append, on the poll timer (appends by other processes), on abort or on close. */
  private waitForChange(signal: AbortSignal | undefined): Promise<void> {
    return new Promise((resolve) => {
      // An abort or close that happened while the consumer held the last event would never fire again.
      if (signal?.aborted || this.closed) return resolve();
      const wake = (): void => {
        clearTimeout(timer);
        this.changes.off(CHANGE, wake);
        signal?.removeEventListener('abort', wake);
        resolve();
      };
      const timer = setTimeout(wake, this.pollIntervalMs);
      this.changes.on(CHANGE, wake);
      signal?.addEventListener('abort', wake);
    });
  }

  private assertOpen(): void {
    if (this.closed) throw new Error(`SqliteEventStore ${this.file} is closed`);
  }
}

function migrate(db: Database.Database): void {
  db.transaction(() => {
    const version = Number(db.pragma('user_version', { simple: true }));
    if (version > SCHEMA_VERSION) {
      throw new Error(`${db.name} has event store schema ${version}; this build understands up to ${SCHEMA_VERSION}`);
    }
    db.exec(SCHEMA);
    if (version < SCHEMA_VERSION) db.pragma(`user_version = ${SCHEMA_VERSION}`);
  }).immediate();
}

function revisionMatches(expected: ExpectedRevision, actual: number | 'no_stream'): boolean {
  if (expected === 'any') return true;
  return expected === actual;
}

function assertExpectedRevision(expected: ExpectedRevision): void {
  if (expected === 'any' || expected === 'no_stream') return;
  if (!Number.isSafeInteger(expected) || expected < 0) {
    throw new RangeError(`expectedRevision must be a non-negative integer, 'no_stream' or 'any', got ${String(expected)}`);
  }
}

function checkedLimit(limit: number | undefined): number | undefined {
  if (limit !== undefined) assertNonNegativeInteger('limit', limit);
  return limit;
}

/**
 * The canonical JSON to store and hash: for plain data in one pass with the engine's JSON.stringify; for anything
 * else the exact way: JSON.stringify refusing non-finite numbers, then canonicalizing what JSON.parse gives back.
 */
function canonicalStoredJson(value: unknown, field: string, eventId: string): string {
  let fast: string | null = null;
  try {
    fast = canonicalJsonOfPlain(value);
  } catch {
    // A getter that throws: the exact path throws it again, with the field named.
  }
  if (fast !== null) return fast;
  return canonicalJsonOfParsed(JSON.parse(toStoredJson(value, field, eventId)));
}

function toStoredJson(value: unknown, field: string, eventId: string): string {
  try {
    return JSON.stringify(value, refuseNonFiniteNumbers) ?? 'null';
  } catch (error) {
    throw new TypeError(`Event ${eventId}: ${field} cannot be stored as JSON: ${(error as Error).message}`);
  }
}

/**
 * Serializes an event once, before it joins a group commit, so the transaction only hashes and inserts.
 * A failure is kept, not thrown, so that it surfaces where it always did: after the revision check.
 */
function prepareEvent(source: NewEvent): PreparedEvent {
  const { eventId, type, schemaVersion } = source;
  try {
    const canonicalData = canonicalStoredJson(source.data, 'data', eventId);
    const canonicalMetadata = canonicalStoredJson(source.metadata, 'metadata', eventId);
    return { source, eventId, type, schemaVersion, canonicalData, canonicalMetadata, error: undefined };
  } catch (error) {
    return { source, eventId, type, schemaVersion, canonicalData: '', canonicalMetadata: '', error };
  }
}

/**
 * By code and message rather than instanceof: under a test runner that loads the driver's JavaScript more
 * than once, the native addon may throw an SqliteError of another copy of the class.
 */
function isEventIdConflict(error: unknown): boolean {
  const candidate = error as { code?: unknown; message?: unknown } | null;
  return (
    typeof candidate === 'object' &&
    candidate !== null &&
    candidate.code === 'SQLITE_CONSTRAINT_UNIQUE' &&
    typeof candidate.message === 'string' &&
    candidate.message.includes('events.event_id')
  );
}

function toRecordedEvent(row: EventRow | readonly [...EventRow, wanted: number]): RecordedEvent {
  const [position, streamId, revision, eventId, type, schemaVersion, data, metadata, recordedAt, hash, previousHash] = row;
  return {
    eventId,
    type,
    schemaVersion,
    data: JSON.parse(data) as unknown,
    metadata: JSON.parse(metadata) as EventMetadata,
    streamId,
    revision,
    position: toSqlitePosition(position),
    recordedAt,
    hash,
    previousHash,
  };
}
