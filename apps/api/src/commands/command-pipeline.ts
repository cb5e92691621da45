import { Inject, Injectable, Optional } from '@nestjs/common';
import { v5 as uuidv5, v7 as uuidv7 } from 'uuid';
import { DomainError, EVENT_SCHEMA_VERSIONS, type Decider, type DomainEvent, type DomainEventType, type Principal } from '@pc/domain';
import { DuplicateEventIdError, EVENT_STORE, WrongExpectedRevisionError, type EventStore, type NewEvent, type RecordedEvent } from '@pc/event-store';
import type { IdempotencyRequest } from '../http/request-headers';
import { CLOCK, type Clock } from './clock';
import { StreamStateCache, emptyStream, type StreamSnapshot } from './stream-state-cache';

export interface CommandContext {
  readonly principal: Principal;
  readonly correlationId: string;
  readonly causationId: string | null;
  /** From If-Match: the revision the client last saw. A mismatch is a 412 and is not retried. */
  readonly ifMatch?: number;
  readonly idempotency?: IdempotencyRequest;
  /**
   * Set by processes: event ids derived from the causing event, so that a process replayed from
   * an older checkpoint appends nothing new.
   */
  readonly deterministicIdSeed?: string;
}

export interface CommandOutcome<State> {
  readonly streamId: string;
  /** Revision of the stream's last event after the command; -1 if the stream is still empty. */
  readonly revision: number;
  /** Position of the last event this command wrote, or of the stream's last event if it wrote none. */
  readonly position: string | null;
  readonly state: State;
  readonly written: readonly DomainEvent[];
  /** True when the answer is the first one given to this Idempotency-Key. */
  readonly replayed: boolean;
}

/**
 * A stream's folded state as of one revision, with the idempotency answers its events hold. It has
 * no event list: `CommandPipeline.readEvents` reads one where the events themselves are needed.
 */
export type LoadedStream<State> = StreamSnapshot<State>;

const EVENT_ID_NAMESPACE = '3b0f8c4e-5d1a-4f5e-9a43-6c2d8e7f1a90';
const MAX_ATTEMPTS = 8;

/** A stale If-Match is a 412. If-Match on a missing entity (revision -1) is left to the decision, which answers 404. */
export function assertIfMatch({ ifMatch }: CommandContext, revision: number): void {
  if (ifMatch !== undefined && revision >= 0 && ifMatch !== revision) throw PreconditionFailed(ifMatch, revision);
}

export const PreconditionFailed = (expected: number, actual: number) =>
  new DomainError('REQUEST.STALE_REVISION', 'precondition', `If-Match names revision ${expected}, but the entity is at revision ${actual}; read it again`, {
    expected,
    actual,
  });

const IdempotencyKeyReused = () =>
  new DomainError('REQUEST.IDEMPOTENCY_KEY_REUSED', 'rule', 'This Idempotency-Key was already used for a different request; use a new key for a new request');

/**
 * The one write path: load the stream, fold it, decide, append with the revision it was decided
 * on. A concurrent write makes the append fail; the command is then decided again on the new
 * state, a bounded number of times, unless the client pinned a revision with If-Match.
 */
@Injectable()
export class CommandPipeline {
  constructor(
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    /** Folded state per stream and decider, brought up to date by reading only the tail. */
    @Optional() private readonly cache: StreamStateCache = new StreamStateCache(),
  ) {}

  /**
   * The stream's state as folded by `decider`, from the cache brought up to date with the events
   * after its revision (streams are append-only, so this is exact even when another process
   * appended meanwhile). A given stream id must always be folded by the same decider object for a
   * given purpose; another decider gets its own entry.
   */
  async load<State, Event extends DomainEvent>(streamId: string, decider: Pick<Decider<State, never, Event>, 'initialState' | 'evolve'>): Promise<LoadedStream<State>> {
    return this.cache.load(streamId, decider, (from) => this.eventStore.readStream(streamId, from === 0 ? {} : { from }));
  }

  /** Every event of the stream, read from the store: for the few callers that need the events themselves. */
  async readEvents(streamId: string): Promise<RecordedEvent[]> {
    return this.eventStore.readStream(streamId);
  }

  /**
   * `newStream`: the stream id was issued for this command (a fresh `newId`), so the stream cannot hold events yet
   * and is not read; should it exist after all, the append's `no_stream` fails and the retry reads it.
   */
  async execute<State, Command, Event extends DomainEvent>(
    streamId: string,
    decider: Decider<State, Command, Event>,
    command: Command,
    context: CommandContext,
    { newStream = false }: { readonly newStream?: boolean } = {},
  ): Promise<CommandOutcome<State>> {
    for (let attempt = 1; ; attempt++) {
      const loaded = newStream && attempt === 1 ? emptyStream(decider) : await this.load(streamId, decider);
      const { state, revision, lastPosition } = loaded;
      const replay = this.idempotentReplay(streamId, loaded, context);
      if (replay) return replay;
      assertIfMatch(context, revision);
      const now = this.clock();
      const decided = decider.decide(command, state, { now, actor: context.principal });
      if (decided.length === 0) return { streamId, revision, position: lastPosition, state, written: [], replayed: false };
      try {
        const result = await this.eventStore.append(streamId, this.toNewEvents(streamId, decided, context, now), {
          expectedRevision: revision < 0 ? 'no_stream' : revision,
        });
        const after = decided.reduce(decider.evolve, state);
        return { streamId, revision: result.nextRevision, position: result.position, state: after, written: decided, replayed: false };
      } catch (error) {
        // The key's event ids are already stored in another stream: the key was used for another request.
        if (error instanceof DuplicateEventIdError && context.idempotency) throw IdempotencyKeyReused();
        if (!(error instanceof WrongExpectedRevisionError)) throw error;
        if (context.ifMatch !== undefined) throw PreconditionFailed(context.ifMatch, typeof error.actual === 'number' ? error.actual : -1);
        if (attempt >= MAX_ATTEMPTS) throw error;
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * attempt));
      }
    }
  }

  /**
   * The first answer to this request if the loaded stream holds what it wrote (the last event that
   * request wrote, up to the loaded revision); refuses the key if it holds another request's.
   */
  idempotentReplay<State>(streamId: string, loaded: LoadedStream<State>, { idempotency, principal }: CommandContext): CommandOutcome<State> | null {
    if (!idempotency) return null;
    const answered = loaded.answerFor(principal.id, idempotency.key);
    if (!answered) return null;
    if (answered.requestHash !== idempotency.requestHash) throw IdempotencyKeyReused();
    return { streamId, revision: answered.revision, position: answered.position, state: loaded.state, written: [], replayed: true };
  }

  /**
   * Event ids are new time-ordered ids (see `newId`), except where a repeat must be recognised by the store: a process's
   * (derived from the causing event and the stream) and a request's under an Idempotency-Key
   * (derived from the principal and the key alone, so that the key used again for a request that
   * writes to another stream, such as a registration with another SKU, meets its own ids there).
   */
  private eventIdOf(streamId: string, index: number, { deterministicIdSeed, idempotency, principal }: CommandContext): string {
    if (deterministicIdSeed) return uuidv5(`${deterministicIdSeed}:${streamId}:${index}`, EVENT_ID_NAMESPACE);
    if (idempotency) return uuidv5(`idempotency:${principal.id}\u0000${idempotency.key}:${index}`, EVENT_ID_NAMESPACE);
    return newId();
  }

  private toNewEvents(streamId: string, decided: readonly DomainEvent[], context: CommandContext, now: Date): NewEvent[] {
    return decided.map((event, index) => ({
      eventId: this.eventIdOf(streamId, index, context),
      type: event.type,
      schemaVersion: EVENT_SCHEMA_VERSIONS[event.type as DomainEventType] ?? 1,
      data: event.data,
      metadata: {
        actor: { id: context.principal.id, roles: [...context.principal.roles] },
        correlationId: context.correlationId,
        causationId: context.causationId,
        occurredAt: now.toISOString(),
        ...(context.idempotency ? { idempotencyKey: context.idempotency.key, requestHash: context.idempotency.requestHash } : {}),
      },
    }));
  }
}

/**
 * A new id for an event or an entity: a UUIDv7, which begins with its creation time, so that the indexes keyed by
 * event and entity ids (the event store's idempotency index, the read models' documents) grow at their end
 * instead of dirtying a random page for every new row. Random ids made group commits write ~60 % more pages.
 */
export const newId = (): string => uuidv7();

/** Ids derived from something stable (an Idempotency-Key, a SKU), so that the same request names the same entity. */
export const deterministicId = (...parts: string[]): string => uuidv5(parts.join('\u0000'), EVENT_ID_NAMESPACE);
