import { randomUUID } from 'node:crypto';
import { NO_STREAM, ANY, StreamNotFoundError, UnavailableError, WrongExpectedVersionError, type EventStoreDBClient } from '@eventstore/db-client';
import { describeEventStoreContract } from '../testing/event-store.contract';
import { EventStoreDbEventStore } from './eventstoredb-event-store';

interface Rec {
  streamId: string;
  id: string;
  revision: bigint;
  type: string;
  data: string;
  metadata: string | undefined;
  position: { commit: bigint; prepare: bigint };
}

const tick = () => new Promise((r) => setImmediate(r));

class FakeClient {
  log: Rec[] = [];
  streams = new Map<string, Rec[]>();
  nextPos = 1000n;
  subs = new Set<{ push: (r: Rec) => void }>();
  dropNextSubscriptionAfter = -1;
  constructor() {
    this.system();
  }
  private system() {
    this.write('$stats-127.0.0.1:2113', [{ id: randomUUID(), type: '$statsCollected', data: {}, metadata: undefined }]);
  }
  private write(stream: string, events: Array<{ id: string; type: string; data: unknown; metadata: unknown }>) {
    const list = this.streams.get(stream) ?? [];
    this.streams.set(stream, list);
    const out: Rec[] = [];
    for (const e of events) {
      this.nextPos += 37n;
      const rec: Rec = {
        streamId: stream,
        id: e.id,
        revision: BigInt(list.length),
        type: e.type,
        data: JSON.stringify(e.data),
        metadata: e.metadata === undefined ? undefined : JSON.stringify(e.metadata),
        position: { commit: this.nextPos, prepare: this.nextPos },
      };
      list.push(rec);
      this.log.push(rec);
      out.push(rec);
    }
    for (const sub of this.subs) out.forEach((r) => sub.push(r));
    return out;
  }
  async appendToStream(stream: string, events: any, options: { expectedRevision?: any } = {}) {
    await tick();
    const list = this.streams.get(stream);
    const current: bigint | 'no_stream' = list && list.length > 0 ? BigInt(list.length - 1) : 'no_stream';
    const expected = options.expectedRevision ?? ANY;
    const ok = expected === ANY || (expected === NO_STREAM ? current === 'no_stream' : expected === current);
    if (!ok) throw new WrongExpectedVersionError(undefined as any, { streamName: stream, current, expected });
    const batch = (Array.isArray(events) ? events : [events]).map((e: any) => ({ id: e.id, type: e.type, data: e.data, metadata: e.metadata }));
    const recs = this.write(stream, batch);
    if (Math.random() < 0.2) this.system();
    const last = recs[recs.length - 1];
    return { success: true, nextExpectedRevision: last.revision, position: { commit: last.position.commit + 5n, prepare: last.position.prepare } };
  }
  private resolved(r: Rec) {
    return {
      event: {
        streamId: r.streamId,
        id: r.id,
        revision: r.revision,
        type: r.type,
        isJson: true,
        data: JSON.parse(r.data),
        metadata: r.metadata === undefined ? undefined : JSON.parse(r.metadata),
        created: new Date(),
        position: r.position,
      },
      commitPosition: r.position.commit,
    };
  }
  private iterable(produce: () => Rec[], notFound?: string) {
    const self = this;
    return {
      async *[Symbol.asyncIterator]() {
        await tick();
        if (notFound) throw new StreamNotFoundError(undefined, notFound);
        for (const r of produce()) yield self.resolved(r);
      },
      async cancel() {},
    };
  }
  readStream(stream: string, o: any = {}) {
    const list = this.streams.get(stream);
    if (!list || list.length === 0) return this.iterable(() => [], stream);
    const max = Number(o.maxCount ?? Number.MAX_SAFE_INTEGER);
    const backwards = o.direction === 'backwards';
    return this.iterable(() => {
      if (!backwards) {
        const from = o.fromRevision === undefined || o.fromRevision === 'start' ? 0 : Number(o.fromRevision);
        return list.slice(from, from + max);
      }
      const from = o.fromRevision === undefined || o.fromRevision === 'end' ? list.length - 1 : Math.min(Number(o.fromRevision), list.length - 1);
      return list.slice(Math.max(0, from - max + 1), from + 1).reverse();
    });
  }
  readAll(o: any = {}) {
    const max = Number(o.maxCount ?? Number.MAX_SAFE_INTEGER);
    const backwards = o.direction === 'backwards';
    return this.iterable(() => {
      if (!backwards) {
        const start = o.fromPosition === undefined || o.fromPosition === 'start' ? 0n : o.fromPosition.commit;
        return this.log.filter((r) => r.position.commit >= start).slice(0, max);
      }
      const end = o.fromPosition === undefined || o.fromPosition === 'end' ? 2n ** 64n : o.fromPosition.commit;
      return this.log
        .filter((r) => r.position.commit < end)
        .reverse()
        .slice(0, max);
    });
  }
  subscribeToAll(o: any = {}) {
    const regex = o.filter?.regex ? new RegExp(o.filter.regex) : null;
    const start = o.fromPosition === undefined || o.fromPosition === 'start' ? -1n : o.fromPosition.commit;
    const queue: Rec[] = this.log.filter((r) => r.position.commit > start);
    let wake: (() => void) | null = null;
    let ended = false;
    let failAfter = this.dropNextSubscriptionAfter;
    this.dropNextSubscriptionAfter = -1;
    const sub = { push: (r: Rec) => (queue.push(r), wake?.()) };
    this.subs.add(sub);
    const self = this;
    async function* gen() {
      try {
        for (;;) {
          while (queue.length === 0 && !ended) await new Promise<void>((r) => (wake = r));
          if (ended) return;
          const r = queue.shift()!;
          if (regex && !regex.test(r.type)) continue;
          if (failAfter === 0) throw new UnavailableError();
          if (failAfter > 0) failAfter--;
          await tick();
          yield self.resolved(r);
        }
      } finally {
        self.subs.delete(sub);
      }
    }
    const it = gen();
    return {
      [Symbol.asyncIterator]: () => it,
      async unsubscribe() {
        ended = true;
        wake?.();
      },
    };
  }
  async dispose() {}
}

describeEventStoreContract('eventstoredb (in-memory fake client)', async () => {
  const fake = new FakeClient();
  const store = new EventStoreDbEventStore(fake as unknown as EventStoreDBClient, { resubscribeDelayMs: { initial: 5, max: 50 } });
  return { store, cleanup: () => store.close() };
});

describe('resubscription', () => {
  it('resumes after a drop without duplicates', async () => {
    const fake = new FakeClient();
    const store = new EventStoreDbEventStore(fake as unknown as EventStoreDBClient, { resubscribeDelayMs: { initial: 5, max: 50 } });
    const mk = () => ({ eventId: randomUUID(), type: 'T', schemaVersion: 1, data: {}, metadata: { actor: { id: 'a', roles: [] }, correlationId: 'c', causationId: null, occurredAt: 'x' } });
    for (let i = 0; i < 10; i++) await store.append('s', [mk()], { expectedRevision: 'any' });
    fake.dropNextSubscriptionAfter = 4;
    const controller = new AbortController();
    const got: number[] = [];
    for await (const e of store.subscribeAll({ signal: controller.signal })) {
      got.push(e.revision);
      if (got.length === 10) controller.abort();
    }
    expect(got).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });
});

describe('two processes', () => {
  const mk = () => ({ eventId: randomUUID(), type: 'T', schemaVersion: 1, data: {}, metadata: { actor: { id: 'a', roles: [] }, correlationId: 'c', causationId: null, occurredAt: 'x' } });
  it('racing any appends from two instances keep one chain', async () => {
    const fake = new FakeClient();
    const a = new EventStoreDbEventStore(fake as unknown as EventStoreDBClient);
    const b = new EventStoreDbEventStore(fake as unknown as EventStoreDBClient);
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => (i % 2 ? a : b).append('s', [mk()], { expectedRevision: 'any' })));
    const events = await a.readStream('s');
    expect(events.map((e) => e.revision)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    events.forEach((e, i) => expect(e.previousHash).toBe(i === 0 ? null : events[i - 1].hash));
    expect(new Set(results.map((r) => r.nextRevision)).size).toBe(8);
  });
  it('a retry racing its original from another instance stores once', async () => {
    const fake = new FakeClient();
    const a = new EventStoreDbEventStore(fake as unknown as EventStoreDBClient);
    const b = new EventStoreDbEventStore(fake as unknown as EventStoreDBClient);
    const events = [mk(), mk()];
    const [r1, r2] = await Promise.all([a.append('s', events, { expectedRevision: 'no_stream' }), b.append('s', events, { expectedRevision: 'no_stream' })]);
    expect(r1).toEqual(r2);
    expect(await a.readStream('s')).toHaveLength(2);
  });
  it('same id to two streams at once from two instances: one wins', async () => {
    const fake = new FakeClient();
    const a = new EventStoreDbEventStore(fake as unknown as EventStoreDBClient);
    const b = new EventStoreDbEventStore(fake as unknown as EventStoreDBClient);
    const e = mk();
    const out = await Promise.allSettled([a.append('s1', [e], { expectedRevision: 'any' }), b.append('s2', [e], { expectedRevision: 'any' })]);
    expect(out.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
  });
});
