import {
  BACKWARDS,
  END,
  EventStoreDBClient,
  FORWARDS,
  NO_STREAM,
  START,
  excludeSystemEvents,
  type AllStreamResolvedEvent,
  type Position,
  type ReadPosition,
  type ReadRevision,
  type ResolvedEvent,
  type StreamingRead,
} from '@eventstore/db-client';
import {
  DuplicateEventIdError,
  WrongExpectedRevisionError,
  type AppendResult,
  type EngineHealth,
  type EventStore,
  type ExpectedRevision,
  type NewEvent,
  type ReadAllOptions,
  type ReadStreamOptions,
  type RecordedEvent,
  type SubscribeAllOptions,
} from '../event-store.port';
import { assertNonNegativeInteger, assertPositionCount, assertStreamPrefix } from '../adapter-checks';
import { computeEventHash } from '../integrity';
import {
  fromEventStoreDbPosition,
  isHiddenEvent,
  isReadAllMatch,
  isStreamNotFoundError,
  isWrongExpectedVersionError,
  normalizeEventId,
  readBackForm,
  toAppendExpectedRevision,
  toEventData,
  toEventStoreDbPosition,
  toPortAppendError,
  toRecordedEvent,
} from './eventstoredb-mapping';

export * from './eventstoredb-mapping';

export interface EventStoreDbEventStoreOptions {
  /** The store's clock for `recordedAt`. */
  readonly clock?: () => Date;
  /** Delays between resubscriptions after a subscription fails: doubled each time, up to the cap. */
  readonly resubscribeDelayMs?: { readonly initial: number; readonly max: number };
  /** How long `health` waits for the server. */
  readonly healthTimeoutMs?: number;
}

export const DEFAULT_READ_ALL_LIMIT = 1000;
const ENGINE = 'eventstoredb';
/** Attempts of one append when other processes keep winning the race for the stream. */
const APPEND_ATTEMPTS = 10;
/** Page size for $all reads, which skip hidden events on the client. */
const ALL_PAGE_SIZE = 500;
const ZERO_POSITION = toEventStoreDbPosition({ commit: 0n, prepare: 0n });
/**
 * How many of a stream's last events an append searches for its own event ids. Retries come soon
 * after the first attempt, so its events are among the last ones; the bound keeps the read that
 * every append makes from growing with the stream.
 */
const RETRY_WINDOW = 1000;

type PositionedResolvedEvent = AllStreamResolvedEvent & { event: { position: Position } };

/**
 * The event store port on EventStoreDB. Each event's metadata carries the port's fields and the
 * hash chain. An append states the stream revision it read, so a concurrent writer makes it fail
 * and retry instead of forking the chain; appends to one stream from this process are queued.
 * Event ids are unique within a stream, as EventStoreDB guarantees, not across streams: the server
 * has no index from event id to stream.
 */
export class EventStoreDbEventStore implements EventStore {
  private closed = false;
  private readonly clock: () => Date;
  private readonly resubscribeDelayMs: { readonly initial: number; readonly max: number };
  private readonly healthTimeoutMs: number;
  private readonly appendQueues = new Map<string, Promise<unknown>>();

  constructor(
    private readonly client: EventStoreDBClient,
    options: EventStoreDbEventStoreOptions = {},
  ) {
    this.clock = options.clock ?? (() => new Date());
    this.resubscribeDelayMs = options.resubscribeDelayMs ?? { initial: 200, max: 10_000 };
    this.healthTimeoutMs = options.healthTimeoutMs ?? 5_000;
  }

  /** A connection string as EventStoreDB documents it, e.g. `esdb://localhost:2113?tls=false`. The client connects on first use. */
  static async connect(connectionString: string, options: EventStoreDbEventStoreOptions = {}): Promise<EventStoreDbEventStore> {
    return new EventStoreDbEventStore(EventStoreDBClient.connectionString(connectionString), options);
  }

  async append(streamId: string, events: readonly NewEvent[], options: { expectedRevision: ExpectedRevision }): Promise<AppendResult> {
    this.assertOpen();
    const { expectedRevision } = options;
    toAppendExpectedRevision(expectedRevision);
    const normalized = events.map((event) => ({ ...event, eventId: normalizeEventId(event.eventId) }));
    const seen = new Set<string>();
    for (const event of normalized) {
      if (seen.has(event.eventId)) throw new DuplicateEventIdError(event.eventId, streamId);
      seen.add(event.eventId);
    }
    return this.inAppendQueue(streamId, () => this.appendInTurn(streamId, normalized, expectedRevision));
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    if (options.from !== undefined) assertNonNegativeInteger('from', options.from);
    if (options.limit !== undefined) assertNonNegativeInteger('limit', options.limit);
    if (options.limit === 0) return [];
    const backwards = options.direction === 'backwards';
    const fromRevision: ReadRevision = options.from !== undefined ? BigInt(options.from) : backwards ? END : START;
    return this.collectStream(
      this.client.readStream(streamId, {
        direction: backwards ? BACKWARDS : FORWARDS,
        fromRevision,
        ...(options.limit !== undefined ? { maxCount: options.limit } : {}),
      }),
    );
  }

  /**
   * One one-event read of $all per position, all in flight at once (the gRPC API reads no list of positions). A read
   * from a position includes the event there; whatever else comes back (no event at that exact position, a system
   * event) is none.
   */
  async readEventsAt(positions: readonly string[]): Promise<(RecordedEvent | null)[]> {
    this.assertOpen();
    assertPositionCount(positions);
    const wanted = positions.map((position) => ({ position, from: fromEventStoreDbPosition(position) }));
    return Promise.all(
      wanted.map(async ({ position, from }) => {
        for await (const resolved of this.client.readAll({ fromPosition: from, direction: FORWARDS, maxCount: 1 })) {
          if (!resolved.event || isHiddenEvent(resolved as PositionedResolvedEvent)) return null;
          const found = resolved as PositionedResolvedEvent;
          return toEventStoreDbPosition(found.event.position) === position ? toRecordedEvent(found) : null;
        }
        return null;
      }),
    );
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    const limit = options.limit ?? DEFAULT_READ_ALL_LIMIT;
    assertNonNegativeInteger('limit', limit);
    const prefix = options.streamPrefix;
    assertStreamPrefix(prefix);
    let cursor = options.after ?? null;
    const fromPosition: ReadPosition = cursor === null ? START : fromEventStoreDbPosition(cursor);
    const events: RecordedEvent[] = [];
    if (limit === 0) return events;
    // A read from a position includes the event there, and hidden events are skipped here, so each
    // page starts at the last position seen and drops what is not after it.
    for (let from = fromPosition; ; from = fromEventStoreDbPosition(cursor as string)) {
      const page = await this.readAllPage(from, FORWARDS);
      for (const resolved of page) {
        const position = toEventStoreDbPosition(resolved.event.position);
        if (cursor !== null && position <= cursor) continue;
        cursor = position;
        if (!isReadAllMatch(resolved, prefix)) continue;
        events.push(toRecordedEvent(resolved));
        if (events.length === limit) return events;
      }
      if (page.length < ALL_PAGE_SIZE || cursor === null) return events;
    }
  }

  /** A malformed `after` throws here, before iteration starts. */
  subscribeAll(options: SubscribeAllOptions = {}): AsyncIterable<RecordedEvent> {
    const after = options.after ?? null;
    if (after !== null) fromEventStoreDbPosition(after);
    return this.subscription(after, options.signal);
  }

  async headPosition(): Promise<string | null> {
    this.assertOpen();
    // Reading backwards from a position gives what lies before it, so each page starts at the oldest event seen.
    let from: ReadPosition = END;
    let oldestSeen: string | null = null;
    for (;;) {
      const page = await this.readAllPage(from, BACKWARDS);
      for (const resolved of page) {
        const position = toEventStoreDbPosition(resolved.event.position);
        if (oldestSeen !== null && position >= oldestSeen) continue;
        oldestSeen = position;
        if (!isHiddenEvent(resolved)) return position;
      }
      if (page.length < ALL_PAGE_SIZE || oldestSeen === null) return null;
      from = fromEventStoreDbPosition(oldestSeen);
    }
  }

  async health(): Promise<EngineHealth> {
    if (this.closed) return { engine: ENGINE, status: 'down', detail: 'closed' };
    const probe = this.client.readAll({ direction: BACKWARDS, fromPosition: END, maxCount: 1 });
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        drain(probe),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`No answer from EventStoreDB within ${this.healthTimeoutMs} ms`)), this.healthTimeoutMs);
        }),
      ]);
      return { engine: ENGINE, status: 'up' };
    } catch (error) {
      await probe.cancel().catch(() => undefined);
      return { engine: ENGINE, status: 'down', detail: error instanceof Error ? error.message : String(error) };
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.client.dispose();
  }

  /** Appends to one stream run one after another within this process; other processes are handled by retrying. */
  private inAppendQueue<T>(streamId: string, append: () => Promise<T>): Promise<T> {
    const previous = this.appendQueues.get(streamId) ?? Promise.resolve();
    const turn = previous.then(append, append);
    const settled = turn.then(
      () => undefined,
      () => undefined,
    );
    this.appendQueues.set(streamId, settled);
    void settled.then(() => {
      if (this.appendQueues.get(streamId) === settled) this.appendQueues.delete(streamId);
    });
    return turn;
  }

  private async appendInTurn(streamId: string, events: readonly NewEvent[], expectedRevision: ExpectedRevision): Promise<AppendResult> {
    for (let attempt = 1; ; attempt++) {
      const recent = await this.collectStream(this.client.readStream(streamId, { direction: BACKWARDS, fromRevision: END, maxCount: RETRY_WINDOW }));
      const head = recent[0] ?? null;
      const retried = answerToRetry(streamId, events, recent);
      if (retried) return retried;

      const actual = head === null ? 'no_stream' : head.revision;
      if (expectedRevision !== 'any' && expectedRevision !== actual) {
        throw new WrongExpectedRevisionError(streamId, expectedRevision, actual);
      }
      if (events.length === 0) {
        return head === null ? { nextRevision: -1, position: ZERO_POSITION } : { nextRevision: head.revision, position: head.position };
      }
      try {
        // The revision just read, whatever the caller expected: the chain is computed on top of that head.
        // Should the same ids have landed there meanwhile (a retry racing its original), the server
        // answers with the original events instead of writing them again.
        const result = await this.client.appendToStream(streamId, this.chain(streamId, events, head), {
          expectedRevision: head === null ? NO_STREAM : BigInt(head.revision),
        });
        const nextRevision = Number(result.nextExpectedRevision);
        return { nextRevision, position: await this.positionOf(streamId, nextRevision) };
      } catch (error) {
        if (!isWrongExpectedVersionError(error) || attempt >= APPEND_ATTEMPTS) throw toPortAppendError(error, streamId, expectedRevision);
        // Another process appended first, maybe this same append: the next round answers the retry or reports the conflict.
        if (expectedRevision === 'any') await backOff(attempt);
      }
    }
  }

  /** Hashes each event, as it will be read back, over the one before it, starting from the stream's head. */
  private chain(streamId: string, events: readonly NewEvent[], head: RecordedEvent | null) {
    const recordedAt = this.clock().toISOString();
    let previousHash = head?.hash ?? null;
    let revision = head === null ? 0 : head.revision + 1;
    return events.map((event) => {
      const hash = computeEventHash(readBackForm(event), { streamId, revision, recordedAt, previousHash });
      const data = toEventData(event, { recordedAt, hash, previousHash });
      previousHash = hash;
      revision++;
      return data;
    });
  }

  /**
   * The position of an appended event as reads report it. The append's own answer is not used:
   * for several events it need not be the last event's position in $all.
   */
  private async positionOf(streamId: string, revision: number): Promise<string> {
    const [event] = await this.readStream(streamId, { from: revision, limit: 1 });
    if (!event) throw new Error(`Event ${revision} of ${streamId} was appended but cannot be read back`);
    return event.position;
  }

  private async collectStream(read: StreamingRead<ResolvedEvent>): Promise<RecordedEvent[]> {
    const events: RecordedEvent[] = [];
    try {
      for await (const resolved of read) events.push(toRecordedEvent(resolved));
      return events;
    } catch (error) {
      if (isStreamNotFoundError(error)) return [];
      throw error;
    }
  }

  private async readAllPage(fromPosition: ReadPosition, direction: typeof FORWARDS | typeof BACKWARDS): Promise<PositionedResolvedEvent[]> {
    const page: PositionedResolvedEvent[] = [];
    for await (const resolved of this.client.readAll({ fromPosition, direction, maxCount: ALL_PAGE_SIZE })) {
      // With links left unresolved, every entry of $all carries its event and position.
      if (resolved.event) page.push(resolved as PositionedResolvedEvent);
    }
    return page;
  }

  /**
   * Catch-up then live, resubscribing after failures from the last event delivered. The server
   * filters out system events; system streams and anything at or before the last delivered
   * position are skipped here, so no event is delivered twice.
   */
  private async *subscription(after: string | null, signal: AbortSignal | undefined): AsyncGenerator<RecordedEvent> {
    let lastDelivered = after;
    let failures = 0;
    while (!signal?.aborted && !this.closed) {
      // A catch-up subscription starts after the given position.
      const subscription = this.client.subscribeToAll({
        fromPosition: lastDelivered === null ? START : fromEventStoreDbPosition(lastDelivered),
        filter: excludeSystemEvents(),
      });
      const unsubscribe = (): void => void subscription.unsubscribe().catch(() => undefined);
      signal?.addEventListener('abort', unsubscribe, { once: true });
      const received = subscription[Symbol.asyncIterator]();
      try {
        for (;;) {
          let next: IteratorResult<AllStreamResolvedEvent>;
          try {
            next = await received.next();
          } catch {
            if (signal?.aborted || this.closed) return;
            failures++;
            break;
          }
          if (next.done) break;
          if (isHiddenEvent(next.value)) continue;
          // A mapping failure is not connection trouble: it ends the iteration instead of resubscribing.
          const event = toRecordedEvent(next.value);
          if (lastDelivered !== null && event.position <= lastDelivered) continue;
          lastDelivered = event.position;
          failures = 0;
          yield event;
          if (signal?.aborted || this.closed) return;
        }
      } finally {
        signal?.removeEventListener('abort', unsubscribe);
        await received.return?.().catch(() => undefined);
        await subscription.unsubscribe().catch(() => undefined);
      }
      if (signal?.aborted || this.closed) return;
      // The server ended or dropped the subscription: wait, then catch up from the last event delivered.
      await sleep(this.resubscribeDelay(Math.max(failures, 1)), signal);
    }
  }

  private resubscribeDelay(failures: number): number {
    const { initial, max } = this.resubscribeDelayMs;
    return Math.min(max, initial * 2 ** Math.min(failures - 1, 30));
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('EventStoreDbEventStore is closed');
  }
}

/**
 * An append whose first event is among the stream's recent events is a retry: it gets the first
 * answer back (with the stream's current revision) when all its events follow in order, and is
 * refused when only some do. Any other id of the append found there refuses it too.
 */
function answerToRetry(streamId: string, events: readonly NewEvent[], recentNewestFirst: readonly RecordedEvent[]): AppendResult | null {
  if (events.length === 0) return null;
  const indexById = new Map(recentNewestFirst.map((event, index) => [event.eventId, index]));
  const start = indexById.get(events[0].eventId);
  if (start === undefined) {
    const stored = events.find((event) => indexById.has(event.eventId));
    if (stored) throw new DuplicateEventIdError(stored.eventId, streamId);
    return null;
  }
  const last = start - events.length + 1;
  const identical = last >= 0 && events.every((event, offset) => recentNewestFirst[start - offset].eventId === event.eventId);
  if (!identical) throw new DuplicateEventIdError(events[0].eventId, streamId);
  return { nextRevision: recentNewestFirst[0].revision, position: recentNewestFirst[last].position };
}

/** A random wait, growing with the attempt, so that racing processes stop colliding. */
function backOff(attempt: number): Promise<void> {
  return sleep(Math.random() * Math.min(1000, 10 * 2 ** attempt));
}

async function drain(read: AsyncIterable<unknown>): Promise<void> {
  for await (const _ of read) {
    // Only the server's answer matters.
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}
