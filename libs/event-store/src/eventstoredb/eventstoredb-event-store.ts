import {
  BACKWARDS,
  END,
  EventStoreDBClient,
  FORWARDS,
  NO_STREAM,
  START,
  excludeSystemEvents,
  type AllStreamResolvedEvent,
  type AppendExpectedRevision,
  type Position,
  type ReadPosition,
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
import { computeEventHash } from '../integrity';
import {
  fromEventStoreDbPosition,
  isStreamNotFoundError,
  isSystemEvent,
  isWrongExpectedVersionError,
  normalizeEventId,
  toEventData,
  toEventStoreDbPosition,
  toPortAppendError,
  toRecordedEvent,
} from './eventstoredb-mapping';

export * from './eventstoredb-mapping';

export interface EventStoreDbEventStoreOptions {
  /** The store's clock for `recordedAt`. */
  readonly clock?: () => Date;
  /** Delays between resubscription attempts after a subscription fails: doubled each time up to the cap. */
  readonly resubscribeDelayMs?: { readonly initial: number; readonly max: number };
  /** How long `health` waits for the server. */
  readonly healthTimeoutMs?: number;
}

const ENGINE = 'eventstoredb';
/** Attempts for an `any` append, which re-reads the stream head when another writer got in first. */
const ANY_APPEND_ATTEMPTS = 5;
/** Page size for $all reads, which filter system events on the client. */
const ALL_PAGE_SIZE = 500;

/**
 * The event store port on EventStoreDB. Each event's metadata carries the port's fields and the
 * hash chain; appends state the stream revision they read, so a concurrent writer makes the
 * append fail instead of forking the chain.
 */
export class EventStoreDbEventStore implements EventStore {
  private closed = false;
  private readonly clock: () => Date;
  private readonly resubscribeDelayMs: { readonly initial: number; readonly max: number };
  private readonly healthTimeoutMs: number;

  constructor(
    private readonly client: EventStoreDBClient,
    options: EventStoreDbEventStoreOptions = {},
  ) {
    this.clock = options.clock ?? (() => new Date());
    this.resubscribeDelayMs = options.resubscribeDelayMs ?? { initial: 200, max: 10_000 };
    this.healthTimeoutMs = options.healthTimeoutMs ?? 5_000;
  }

  /** `connectionString` as EventStoreDB documents it, e.g. `esdb://localhost:2113?tls=false`. The client connects lazily. */
  static async connect(connectionString: string, options: EventStoreDbEventStoreOptions = {}): Promise<EventStoreDbEventStore> {
    return new EventStoreDbEventStore(EventStoreDBClient.connectionString(connectionString), options);
  }

  async append(streamId: string, events: readonly NewEvent[], options: { expectedRevision: ExpectedRevision }): Promise<AppendResult> {
    const { expectedRevision } = options;
    if (events.length === 0) {
      throw new RangeError(`Append to ${streamId} needs at least one event`);
    }
    const normalized = events.map((event) => ({ ...event, eventId: normalizeEventId(event.eventId) }));
    const attempts = expectedRevision === 'any' ? ANY_APPEND_ATTEMPTS : 1;
    for (let attempt = 1; ; attempt++) {
      const head = await this.readHead(streamId);
      const earlier = await this.findEarlierAppend(streamId, normalized, expectedRevision, head);
      if (earlier) return earlier;
      const actual = head === null ? 'no_stream' : head.revision;
      if (expectedRevision !== 'any' && expectedRevision !== (head === null ? 'no_stream' : head.revision)) {
        throw new WrongExpectedRevisionError(streamId, expectedRevision, actual);
      }
      // The revision just read, not the caller's 'any': the chain is computed on top of that head.
      const readRevision: AppendExpectedRevision = head === null ? NO_STREAM : BigInt(head.revision);
      try {
        const result = await this.client.appendToStream(streamId, this.chain(streamId, normalized, head), { expectedRevision: readRevision });
        return {
          nextRevision: Number(result.nextExpectedRevision),
          position: result.position ? toEventStoreDbPosition(result.position) : await this.positionOf(streamId, Number(result.nextExpectedRevision)),
        };
      } catch (error) {
        if (!isWrongExpectedVersionError(error)) throw error;
        // Lost a race: either to a retry of this same append, or to another writer.
        const afterRace = await this.findEarlierAppend(streamId, normalized, expectedRevision, await this.readHead(streamId));
        if (afterRace) return afterRace;
        if (attempt >= attempts) throw toPortAppendError(error, streamId, expectedRevision);
      }
    }
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const direction = options.direction ?? 'forwards';
    if (options.limit !== undefined && options.limit <= 0) return [];
    let fromRevision: bigint | typeof START | typeof END;
    if (direction === 'forwards') {
      fromRevision = BigInt(Math.max(0, options.from ?? 0));
    } else if (options.from === undefined) {
      fromRevision = END;
    } else if (options.from < 0) {
      return [];
    } else {
      fromRevision = BigInt(options.from);
    }
    const read = this.client.readStream(streamId, {
      direction: direction === 'forwards' ? FORWARDS : BACKWARDS,
      fromRevision,
      ...(options.limit !== undefined ? { maxCount: options.limit } : {}),
    });
    return this.collectStream(read);
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    const limit = options.limit ?? Number.POSITIVE_INFINITY;
    const events: RecordedEvent[] = [];
    if (limit <= 0) return events;
    // Reads from a position include the event at it, and system events are skipped here,
    // so pages restart from the last position seen and drop what is not after it.
    let cursor = options.after ?? null;
    for (;;) {
      const page = await this.readAllPage(cursor === null ? START : fromEventStoreDbPosition(cursor), FORWARDS);
      for (const resolved of page) {
        const position = toEventStoreDbPosition(resolved.event!.position);
        if (cursor !== null && position <= cursor) continue;
        cursor = position;
        if (isSystemEvent(resolved)) continue;
        events.push(toRecordedEvent(resolved));
        if (events.length >= limit) return events;
      }
      if (page.length < ALL_PAGE_SIZE) return events;
    }
  }

  async *subscribeAll(options: SubscribeAllOptions = {}): AsyncGenerator<RecordedEvent> {
    const { signal } = options;
    let lastDelivered = options.after ?? null;
    let failures = 0;
    while (!signal?.aborted && !this.closed) {
      // Catch-up subscriptions start after the given position; system events are filtered by the server.
      const subscription = this.client.subscribeToAll({
        fromPosition: lastDelivered === null ? START : fromEventStoreDbPosition(lastDelivered),
        filter: excludeSystemEvents(),
      });
      const unsubscribe = () => void subscription.unsubscribe().catch(() => undefined);
      signal?.addEventListener('abort', unsubscribe, { once: true });
      const iterator = subscription[Symbol.asyncIterator]();
      try {
        for (;;) {
          let next: IteratorResult<AllStreamResolvedEvent>;
          try {
            next = await iterator.next();
          } catch {
            if (signal?.aborted || this.closed) return;
            failures++;
            break;
          }
          if (next.done) break;
          const resolved = next.value;
          if (isSystemEvent(resolved)) continue;
          // Mapping failures are not connection trouble: they end the iteration instead of resubscribing.
          const recorded = toRecordedEvent(resolved);
          if (lastDelivered !== null && recorded.position <= lastDelivered) continue;
          lastDelivered = recorded.position;
          failures = 0;
          yield recorded;
          if (signal?.aborted) return;
        }
      } finally {
        signal?.removeEventListener('abort', unsubscribe);
        await iterator.return?.().catch(() => undefined);
        await subscription.unsubscribe().catch(() => undefined);
      }
      if (signal?.aborted || this.closed) return;
      // The server ended or dropped the subscription: wait, then catch up from the last event delivered.
      await sleep(this.resubscribeDelay(Math.max(failures, 1)), signal);
    }
  }

  async headPosition(): Promise<string | null> {
    // Reading backwards from a position returns what lies before it, so the next page starts at the oldest event seen.
    let from: ReadPosition = END;
    let oldestSeen: string | null = null;
    for (;;) {
      const page = await this.readAllPage(from, BACKWARDS);
      for (const resolved of page) {
        const position = toEventStoreDbPosition(resolved.event!.position);
        if (oldestSeen !== null && position >= oldestSeen) continue;
        oldestSeen = position;
        if (!isSystemEvent(resolved)) return position;
      }
      if (page.length < ALL_PAGE_SIZE || oldestSeen === null) return null;
      from = fromEventStoreDbPosition(oldestSeen);
    }
  }

  async health(): Promise<EngineHealth> {
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

  /** The stream's last event, or null when the stream does not exist. */
  private async readHead(streamId: string): Promise<RecordedEvent | null> {
    const [head] = await this.collectStream(this.client.readStream(streamId, { direction: BACKWARDS, fromRevision: END, maxCount: 1 }));
    return head ?? null;
  }

  /**
   * An append whose first event is already in the stream is a retry: it returns the first
   * answer if all its events are there in order, and is refused if only some are.
   */
  private async findEarlierAppend(
    streamId: string,
    events: readonly NewEvent[],
    expectedRevision: ExpectedRevision,
    head: RecordedEvent | null,
  ): Promise<AppendResult | null> {
    if (head === null) return null;
    let firstRevision: number | null;
    if (expectedRevision === 'any') {
      firstRevision = await this.findRevisionOf(streamId, events[0].eventId, head);
    } else {
      // A retry with a stated revision put its first event right after that revision.
      const candidate = expectedRevision === 'no_stream' ? 0 : expectedRevision + 1;
      firstRevision = candidate <= head.revision ? candidate : null;
    }
    if (firstRevision === null) return null;
    const stored = await this.readStream(streamId, { from: firstRevision, limit: events.length });
    if (stored.length === 0 || stored[0].eventId !== events[0].eventId) return null;
    const mismatch = events.findIndex((event, index) => stored[index]?.eventId !== event.eventId);
    if (mismatch !== -1) {
      throw new DuplicateEventIdError(events[0].eventId, streamId);
    }
    const last = stored[stored.length - 1];
    return { nextRevision: last.revision, position: last.position };
  }

  /** Scans the stream from its end for an event id; an `any` append has no revision to look at. */
  private async findRevisionOf(streamId: string, eventId: string, head: RecordedEvent): Promise<number | null> {
    if (head.eventId === eventId) return head.revision;
    const read = this.client.readStream(streamId, { direction: BACKWARDS, fromRevision: END });
    try {
      for await (const resolved of read) {
        if (resolved.event?.id === eventId) return Number(resolved.event.revision);
      }
      return null;
    } catch (error) {
      if (isStreamNotFoundError(error)) return null;
      throw error;
    } finally {
      await read.cancel().catch(() => undefined);
    }
  }

  /** Hashes each event over the one before it, starting from the stream's current head. */
  private chain(streamId: string, events: readonly NewEvent[], head: RecordedEvent | null) {
    const recordedAt = this.clock().toISOString();
    let previousHash = head?.hash ?? null;
    let revision = head === null ? 0 : head.revision + 1;
    return events.map((event) => {
      const hash = computeEventHash(event, { streamId, revision, recordedAt, previousHash });
      const data = toEventData(event, { recordedAt, hash, previousHash });
      previousHash = hash;
      revision++;
      return data;
    });
  }

  /** Servers that leave the position out of the append answer still report it on reads. */
  private async positionOf(streamId: string, revision: number): Promise<string> {
    const [event] = await this.readStream(streamId, { from: revision, limit: 1 });
    if (!event) throw new Error(`Event ${revision} of ${streamId} was appended but cannot be read back`);
    return event.position;
  }

  private async collectStream(read: StreamingRead<ResolvedEvent>): Promise<RecordedEvent[]> {
    const events: RecordedEvent[] = [];
    try {
      for await (const resolved of read) {
        events.push(toRecordedEvent(resolved));
      }
      return events;
    } catch (error) {
      if (isStreamNotFoundError(error)) return [];
      throw error;
    }
  }

  private async readAllPage(fromPosition: ReadPosition, direction: typeof FORWARDS | typeof BACKWARDS): Promise<Array<AllStreamResolvedEvent & { event: { position: Position } }>> {
    const page: Array<AllStreamResolvedEvent & { event: { position: Position } }> = [];
    for await (const resolved of this.client.readAll({ fromPosition, direction, maxCount: ALL_PAGE_SIZE })) {
      // With links unresolved every entry of $all carries its event and position.
      if (resolved.event) page.push(resolved as AllStreamResolvedEvent & { event: { position: Position } });
    }
    return page;
  }

  private resubscribeDelay(failures: number): number {
    const { initial, max } = this.resubscribeDelayMs;
    return Math.min(max, initial * 2 ** Math.min(failures - 1, 30));
  }
}

async function drain(read: AsyncIterable<unknown>): Promise<void> {
  for await (const _ of read) {
    // Only the server's answer matters.
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
  });
}
