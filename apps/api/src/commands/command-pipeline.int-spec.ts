import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DomainError, type Decider, type DomainEvent, type Principal } from '@pc/domain';
import { SqliteEventStore } from '@pc/event-store';
import { CommandPipeline, type CommandContext } from './command-pipeline';
import { StreamStateCache } from './stream-state-cache';

type Counted = DomainEvent<'Counted', { readonly to: number; readonly by: number }>;
interface CounterState {
  readonly count: number;
  readonly history: readonly number[];
}
type CounterCommand = { readonly type: 'Count'; readonly by: number; readonly times?: number };

/** Each event names the count it reaches, so a decision taken on a stale state shows in the log. */
const counterDecider: Decider<CounterState, CounterCommand, Counted> = {
  initialState: () => ({ count: 0, history: [] }),
  evolve: (state, event) => ({ count: event.data.to, history: [...state.history, event.data.to] }),
  decide: (command, state) => {
    const events: Counted[] = [];
    let count = state.count;
    for (let i = 0; i < (command.times ?? 1); i++) {
      count += command.by;
      events.push({ type: 'Counted', data: { to: count, by: command.by } });
    }
    return events;
  },
};

/** Another fold of the same stream: how many events, whatever they say. */
const tallyDecider: Pick<Decider<number, never, Counted>, 'initialState' | 'evolve'> = {
  initialState: () => 0,
  evolve: (tally) => tally + 1,
};

/** The command pipeline's cache of folded stream state, against a real SQLite store. */
describe('CommandPipeline (stream state cache)', () => {
  let dir: string;
  let file: string;
  let eventStore: SqliteEventStore;
  const others: SqliteEventStore[] = [];
  const clock = () => new Date('2026-06-01T00:00:00.000Z');
  const alice: Principal = { id: 'alice', roles: ['coordinator'] };
  const bob: Principal = { id: 'bob', roles: ['coordinator'] };
  const contextOf = (principal: Principal, idempotency?: { key: string; requestHash: string }): CommandContext => ({
    principal,
    correlationId: 'correlation',
    causationId: null,
    ...(idempotency ? { idempotency } : {}),
  });
  const count = (by: number, times?: number): CounterCommand => ({ type: 'Count', by, ...(times ? { times } : {}) });
  const openOther = () => {
    const store = SqliteEventStore.open({ file });
    others.push(store);
    return store;
  };
  const fromsOf = (spy: jest.SpyInstance) => spy.mock.calls.map(([, options]) => (options as { from?: number } | undefined)?.from ?? 0);

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'pc-command-pipeline-'));
    file = join(dir, 'events.sqlite');
    eventStore = SqliteEventStore.open({ file });
  });
  afterEach(async () => {
    jest.restoreAllMocks();
    for (const store of others.splice(0)) await store.close();
    await eventStore.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads only the tail of a stream it has loaded before', async () => {
    const pipeline = new CommandPipeline(eventStore, clock);
    await pipeline.execute('counter-1', counterDecider, count(1, 3), contextOf(alice));
    const readStream = jest.spyOn(eventStore, 'readStream');

    const first = await pipeline.load('counter-1', counterDecider);
    expect(first).toMatchObject({ state: { count: 3 }, revision: 2 });
    // execute loaded the stream while it was still empty, and does not fold what it appends into the cache.
    expect(fromsOf(readStream)).toEqual([0]);

    await pipeline.execute('counter-1', counterDecider, count(2), contextOf(alice));
    const second = await pipeline.load('counter-1', counterDecider);
    expect(second).toMatchObject({ state: { count: 5, history: [1, 2, 3, 5] }, revision: 3 });
    // execute's load read from 3 (nothing new); the next load from 3 again, as what execute appended is read back, not assumed.
    expect(fromsOf(readStream)).toEqual([0, 3, 3]);
    expect(second.lastPosition).toBe((await eventStore.readStream('counter-1')).at(-1)!.position);
    const third = await pipeline.load('counter-1', counterDecider);
    expect(third).toMatchObject({ revision: 3, lastPosition: second.lastPosition });
    expect(fromsOf(readStream).at(-1)).toBe(4);
  });

  it('does not read a stream named by a newly issued id, nor cache it', async () => {
    const cache = new StreamStateCache();
    const pipeline = new CommandPipeline(eventStore, clock, cache);
    const readStream = jest.spyOn(eventStore, 'readStream');

    const outcome = await pipeline.execute('counter-new', counterDecider, count(1, 2), contextOf(alice), { newStream: true });

    expect(outcome).toMatchObject({ revision: 1, state: { count: 2 }, replayed: false });
    expect(readStream).not.toHaveBeenCalled();
    expect(cache.size).toBe(0);
    expect((await eventStore.readStream('counter-new')).map((event) => event.revision)).toEqual([0, 1]);
  });

  it('reads the stream and decides again when a stream taken for new holds events after all', async () => {
    const pipeline = new CommandPipeline(eventStore, clock);
    await pipeline.execute('counter-taken', counterDecider, count(1, 2), contextOf(alice));

    const outcome = await pipeline.execute('counter-taken', counterDecider, count(3), contextOf(bob), { newStream: true });

    expect(outcome).toMatchObject({ revision: 2, state: { count: 5 } });
    expect((await eventStore.readStream('counter-taken')).map((event) => event.revision)).toEqual([0, 1, 2]);
  });

  it('folds a cold stream from the start', async () => {
    await new CommandPipeline(eventStore, clock).execute('counter-1', counterDecider, count(1, 2), contextOf(alice));
    const cold = new CommandPipeline(eventStore, clock);
    const readStream = jest.spyOn(eventStore, 'readStream');
    expect(await cold.load('counter-1', counterDecider)).toMatchObject({ state: { count: 2 }, revision: 1 });
    expect(await cold.load('counter-empty', counterDecider)).toMatchObject({ state: { count: 0 }, revision: -1, lastPosition: null });
    expect(fromsOf(readStream)).toEqual([0, 0]);
  });

  it('sees what another store instance on the same file appended meanwhile, and decides on it', async () => {
    const pipeline = new CommandPipeline(eventStore, clock);
    const elsewhere = new CommandPipeline(openOther(), clock);
    await pipeline.execute('counter-1', counterDecider, count(1), contextOf(alice));
    expect((await pipeline.load('counter-1', counterDecider)).state.count).toBe(1);

    await elsewhere.execute('counter-1', counterDecider, count(10), contextOf(bob));
    const readStream = jest.spyOn(eventStore, 'readStream');
    expect(await pipeline.load('counter-1', counterDecider)).toMatchObject({ state: { count: 11 }, revision: 1 });
    expect(fromsOf(readStream)).toEqual([1]);

    await elsewhere.execute('counter-1', counterDecider, count(100), contextOf(bob));
    // Decided on the cached state (revision 1): the append is refused, and the retry reads the tail.
    const outcome = await pipeline.execute('counter-1', counterDecider, count(1000), contextOf(alice));
    expect(outcome).toMatchObject({ revision: 3, state: { count: 1111 } });
    expect((await eventStore.readStream('counter-1')).map((event) => (event.data as Counted['data']).to)).toEqual([1, 11, 111, 1111]);
  });

  it('keeps a separate state for each decider folding the same stream', async () => {
    const pipeline = new CommandPipeline(eventStore, clock);
    await pipeline.execute('counter-1', counterDecider, count(5, 2), contextOf(alice));
    expect((await pipeline.load('counter-1', tallyDecider)).state).toBe(2);
    expect((await pipeline.load('counter-1', counterDecider)).state.count).toBe(10);
    await pipeline.execute('counter-1', counterDecider, count(5), contextOf(alice));
    expect((await pipeline.load('counter-1', tallyDecider)).state).toBe(3);
    expect((await pipeline.load('counter-1', counterDecider)).state.count).toBe(15);
  });

  describe('idempotent replay', () => {
    const request = { key: 'key-1', requestHash: 'hash-1' };

    it('answers a retry from the cached answers with the last event that request wrote, reading only the tail', async () => {
      const pipeline = new CommandPipeline(eventStore, clock);
      const first = await pipeline.execute('counter-1', counterDecider, count(1, 3), contextOf(alice, request));
      await pipeline.execute('counter-1', counterDecider, count(7), contextOf(alice));
      const readStream = jest.spyOn(eventStore, 'readStream');

      const retry = await pipeline.execute('counter-1', counterDecider, count(1, 3), contextOf(alice, request));
      expect(retry).toMatchObject({ replayed: true, written: [], revision: 2, position: first.position, state: { count: 10 } });
      expect(first.revision).toBe(2);
      expect(fromsOf(readStream)).toEqual([3]);
      expect(await eventStore.readStream('counter-1')).toHaveLength(4);
    });

    it('answers after a cold start, and from another instance of the store', async () => {
      const first = await new CommandPipeline(eventStore, clock).execute('counter-1', counterDecider, count(1, 2), contextOf(alice, request));
      const cold = new CommandPipeline(eventStore, clock);
      expect(await cold.execute('counter-1', counterDecider, count(1, 2), contextOf(alice, request))).toMatchObject({ replayed: true, revision: 1, position: first.position });

      const elsewhere = new CommandPipeline(openOther(), clock);
      const other = await elsewhere.execute('counter-1', counterDecider, count(3), contextOf(alice, { key: 'key-2', requestHash: 'hash-2' }));
      // `cold` has the stream cached at revision 1: the tail read brings key-2's answer.
      expect(await cold.execute('counter-1', counterDecider, count(3), contextOf(alice, { key: 'key-2', requestHash: 'hash-2' }))).toMatchObject({
        replayed: true,
        revision: 2,
        position: other.position,
      });
    });

    it('refuses the same key on a different request, and treats the same key of another actor as a new request', async () => {
      const pipeline = new CommandPipeline(eventStore, clock);
      await pipeline.execute('counter-1', counterDecider, count(1), contextOf(alice, request));
      const refusal = await pipeline.execute('counter-1', counterDecider, count(2), contextOf(alice, { key: 'key-1', requestHash: 'other' })).catch((error: unknown) => error);
      expect(refusal).toBeInstanceOf(DomainError);
      expect((refusal as DomainError).code).toBe('REQUEST.IDEMPOTENCY_KEY_REUSED');

      const bobs = await pipeline.execute('counter-2', counterDecider, count(1), contextOf(bob, request));
      expect(bobs).toMatchObject({ replayed: false, revision: 0 });
      // Bob's key meets Alice's answer nowhere: it is his own on another stream.
      expect(await pipeline.execute('counter-2', counterDecider, count(1), contextOf(bob, request))).toMatchObject({ replayed: true, position: bobs.position });
    });

    it('answers from what a snapshot holds, not from answers the cache gained after it', async () => {
      const pipeline = new CommandPipeline(eventStore, clock);
      await pipeline.execute('counter-1', counterDecider, count(1), contextOf(alice));
      const before = await pipeline.load('counter-1', counterDecider);
      await pipeline.execute('counter-1', counterDecider, count(1), contextOf(alice, request));
      const after = await pipeline.load('counter-1', counterDecider);
      expect(pipeline.idempotentReplay('counter-1', before, contextOf(alice, request))).toBeNull();
      expect(pipeline.idempotentReplay('counter-1', after, contextOf(alice, request))).toMatchObject({ replayed: true, revision: 1 });
    });
  });

  it('holds at most its bound of streams, evicting the least recently used', async () => {
    const cache = new StreamStateCache(2);
    const pipeline = new CommandPipeline(eventStore, clock, cache);
    for (const id of ['a', 'b', 'c']) {
      await pipeline.execute(`counter-${id}`, counterDecider, count(1), contextOf(alice));
      await pipeline.load(`counter-${id}`, counterDecider);
    }
    expect(cache.size).toBe(2);

    const readStream = jest.spyOn(eventStore, 'readStream');
    await pipeline.load('counter-b', counterDecider); // cached: tail
    await pipeline.load('counter-a', counterDecider); // evicted: from the start; evicts c
    await pipeline.load('counter-b', counterDecider); // still cached
    await pipeline.load('counter-c', counterDecider); // evicted: from the start
    expect(fromsOf(readStream)).toEqual([1, 0, 1, 0]);
    expect(cache.size).toBe(2);
    expect((await pipeline.load('counter-a', counterDecider)).state.count).toBe(1);
  });

  it('stays correct under concurrent conflicting commands from two processes', async () => {
    const here = new CommandPipeline(eventStore, clock);
    const elsewhere = new CommandPipeline(openOther(), clock);
    await here.load('counter-1', counterDecider);
    await elsewhere.load('counter-1', counterDecider);
    const outcomes = await Promise.all(
      Array.from({ length: 8 }, (_, index) => (index % 2 === 0 ? here : elsewhere).execute('counter-1', counterDecider, count(1), contextOf(alice))),
    );
    expect(outcomes.map((outcome) => outcome.revision).sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect((await eventStore.readStream('counter-1')).map((event) => (event.data as Counted['data']).to)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect((await here.load('counter-1', counterDecider)).state).toEqual({ count: 8, history: [1, 2, 3, 4, 5, 6, 7, 8] });
    expect((await elsewhere.load('counter-1', counterDecider)).state.count).toBe(8);
  });

  it('stays exact when loads of one stream overlap', async () => {
    const pipeline = new CommandPipeline(eventStore, clock);
    await pipeline.execute('counter-1', counterDecider, count(1), contextOf(alice));
    const writes = Array.from({ length: 5 }, () => pipeline.execute('counter-1', counterDecider, count(1), contextOf(alice)));
    const loads = Array.from({ length: 10 }, () => pipeline.load('counter-1', counterDecider));
    await Promise.all([...writes, ...loads]);
    for (const loaded of await Promise.all(loads)) expect(loaded.state.history).toEqual(Array.from({ length: loaded.revision + 1 }, (_, i) => i + 1));
    expect((await pipeline.load('counter-1', counterDecider)).state.count).toBe(6);
  });
});
