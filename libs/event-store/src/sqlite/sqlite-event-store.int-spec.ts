import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { DuplicateEventIdError, WrongExpectedRevisionError, type NewEvent, type RecordedEvent } from '../event-store.port';
import { computeEventHash } from '../integrity';
import { describeEventStoreContract } from '../testing/event-store.contract';
import { SqliteEventStore, fromSqlitePosition, toSqlitePosition } from './sqlite-event-store';

async function temporaryDirectory(): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'pc-event-store-'));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

function newEvent(data: unknown = { n: 1 }): NewEvent {
  return {
    eventId: randomUUID(),
    type: 'SqliteChecked',
    schemaVersion: 1,
    data,
    metadata: { actor: { id: 'user-1', roles: [] }, correlationId: randomUUID(), causationId: null, occurredAt: '2024-01-01T00:00:00.000Z' },
  };
}

describeEventStoreContract('sqlite', async () => {
  const { dir, remove } = await temporaryDirectory();
  const store = SqliteEventStore.open({ file: join(dir, 'events.sqlite') });
  return {
    store,
    cleanup: async () => {
      await store.close();
      await remove();
    },
  };
});

describe('SqliteEventStore', () => {
  let dir: string;
  let removeDir: () => Promise<void>;
  const opened: SqliteEventStore[] = [];

  function open(options: { file?: string; clock?: () => Date; pollIntervalMs?: number } = {}): SqliteEventStore {
    const store = SqliteEventStore.open({ file: join(dir, 'events.sqlite'), ...options });
    opened.push(store);
    return store;
  }

  beforeEach(async () => {
    ({ dir, remove: removeDir } = await temporaryDirectory());
  });

  afterEach(async () => {
    await Promise.all(opened.splice(0).map((store) => store.close()));
    await removeDir();
  });

  it('keeps events, revisions, positions and the hash chain across close and reopen', async () => {
    const first = open();
    await first.append('part-1', [newEvent(), newEvent()], { expectedRevision: 'no_stream' });
    const before = await first.readAll();
    await first.close();

    const reopened = open();
    const appended = await reopened.append('part-1', [newEvent()], { expectedRevision: 1 });
    const events = await reopened.readStream('part-1');

    expect(events.slice(0, 2)).toEqual(before);
    expect(appended.nextRevision).toBe(2);
    expect(fromSqlitePosition(appended.position)).toBe(3);
    expect(events[2].previousHash).toBe(events[1].hash);
  });

  it('runs in WAL mode with synchronous=FULL and a busy timeout', async () => {
    const store = open();

    expect(store.connectionSettings()).toEqual({ journalMode: 'wal', synchronous: 2, busyTimeoutMs: 5000, walAutocheckpointPages: 4000 });
    const raw = new Database(join(dir, 'events.sqlite'), { readonly: true });
    try {
      expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    } finally {
      raw.close();
    }
  });

  it('creates the directory of the file', async () => {
    const store = open({ file: join(dir, 'nested', 'deeper', 'events.sqlite') });

    expect((await store.append('s', [newEvent()], { expectedRevision: 'no_stream' })).nextRevision).toBe(0);
  });

  it('stamps recordedAt from the injected clock and hashes what it stores', async () => {
    const store = open({ clock: () => new Date('2030-02-03T04:05:06.789Z') });
    const when = new Date('2020-01-01T00:00:00.000Z');
    await store.append('clocked', [newEvent({ when, missing: undefined, list: [undefined, 1] })], { expectedRevision: 'no_stream' });

    const [event] = await store.readStream('clocked');

    expect(event.recordedAt).toBe('2030-02-03T04:05:06.789Z');
    expect(event.data).toEqual({ when: '2020-01-01T00:00:00.000Z', list: [null, 1] });
    expect(event.hash).toBe(computeEventHash(event, event));
  });

  it('refuses data that JSON cannot represent, storing nothing', async () => {
    const store = open();

    await expect(store.append('nan', [newEvent({ ratio: Number.NaN })], { expectedRevision: 'any' })).rejects.toThrow(/non-finite/);
    await expect(store.append('big', [newEvent({ count: 1n })], { expectedRevision: 'any' })).rejects.toThrow(TypeError);
    expect(await store.headPosition()).toBeNull();
  });

  it('answers an empty append with the position of the stream’s last event, or -1 and position zero for no stream', async () => {
    const store = open();
    const appended = await store.append('s', [newEvent(), newEvent()], { expectedRevision: 'no_stream' });
    await store.append('other', [newEvent()], { expectedRevision: 'no_stream' });

    expect(await store.append('s', [], { expectedRevision: 1 })).toEqual(appended);
    expect(await store.append('missing', [], { expectedRevision: 'no_stream' })).toEqual({ nextRevision: -1, position: toSqlitePosition(0) });
    await expect(store.append('missing', [], { expectedRevision: 0 })).rejects.toBeInstanceOf(WrongExpectedRevisionError);
  });

  it('reads the whole log with the default limit of 1000', async () => {
    const store = open();
    await store.append('bulk', Array.from({ length: 1005 }, () => newEvent()), { expectedRevision: 'no_stream' });

    const page = await store.readAll();

    expect(page).toHaveLength(1000);
    expect(await store.readAll({ after: page[999].position })).toHaveLength(5);
    expect(await store.headPosition()).toBe(toSqlitePosition(1005));
  });

  it('refuses to change or delete a stored event', async () => {
    const store = open();
    await store.append('s', [newEvent()], { expectedRevision: 'no_stream' });
    const raw = new Database(join(dir, 'events.sqlite'));
    try {
      expect(() => raw.prepare("UPDATE events SET data = '{}'").run()).toThrow(/append-only/);
      expect(() => raw.prepare('DELETE FROM events').run()).toThrow(/append-only/);
    } finally {
      raw.close();
    }
  });

  it('refuses invalid arguments with clear errors', async () => {
    const store = open();

    await expect(store.readAll({ after: 'not-a-position' })).rejects.toThrow(/Malformed SQLite position/);
    await expect(store.readAll({ limit: -1 })).rejects.toThrow(RangeError);
    await expect(store.readStream('s', { from: 1.5 })).rejects.toThrow(RangeError);
    await expect(store.append('s', [newEvent()], { expectedRevision: -1 })).rejects.toThrow(RangeError);
    expect(() => store.subscribeAll({ after: '42' })).toThrow(/Malformed SQLite position/);
    expect(() => open({ pollIntervalMs: 0 })).toThrow(RangeError);
  });

  it('reports health and closes idempotently, ending subscriptions and refusing later calls', async () => {
    const store = open();
    expect(await store.health()).toEqual({ engine: 'sqlite', status: 'up', detail: join(dir, 'events.sqlite') });
    const iterator = store.subscribeAll()[Symbol.asyncIterator]();
    const ended = iterator.next();

    await store.close();
    await store.close();

    expect(await ended).toEqual({ done: true, value: undefined });
    expect((await store.health()).status).toBe('down');
    await expect(store.append('s', [newEvent()], { expectedRevision: 'any' })).rejects.toThrow(/closed/);
    await expect(store.readAll()).rejects.toThrow(/closed/);
  });

  it('wakes a waiting subscription on a local append without waiting for the poll', async () => {
    const store = open({ pollIntervalMs: 60_000 });
    const controller = new AbortController();
    const iterator = store.subscribeAll({ signal: controller.signal })[Symbol.asyncIterator]();
    const next = iterator.next();

    await store.append('local', [newEvent()], { expectedRevision: 'no_stream' });

    expect((await next).value).toMatchObject({ streamId: 'local', revision: 0 });
    controller.abort();
    expect(await iterator.next()).toEqual({ done: true, value: undefined });
  });

  it('reads no event at a position beyond the head', async () => {
    const store = open();
    const { position } = await store.append('s', [newEvent()], { expectedRevision: 'no_stream' });

    const found = await store.readEventsAt([toSqlitePosition(fromSqlitePosition(position) + 1), position]);

    expect(found[0]).toBeNull();
    expect(found[1]?.position).toBe(position);
  });

  it('tells listeners of its own appends, and wakes its subscriptions when told of appends made elsewhere', async () => {
    const writer = open({ pollIntervalMs: 60_000 });
    const reader = open({ pollIntervalMs: 60_000 });
    const heard: number[] = [];
    const stopListening = writer.onAppended(() => heard.push(1));
    const controller = new AbortController();
    const iterator = reader.subscribeAll({ signal: controller.signal })[Symbol.asyncIterator]();
    const next = iterator.next();

    await writer.append('elsewhere', [newEvent()], { expectedRevision: 'no_stream' });
    expect(heard).toHaveLength(1);
    reader.wakeSubscriptions();

    expect((await next).value).toMatchObject({ streamId: 'elsewhere', revision: 0 });
    stopListening();
    await writer.append('elsewhere', [newEvent()], { expectedRevision: 0 });
    expect(heard).toHaveLength(1);
    controller.abort();
  });

  it('stops at the abort even with events left in the batch it read', async () => {
    const store = open();
    await store.append('batch', [newEvent(), newEvent(), newEvent()], { expectedRevision: 'no_stream' });
    const controller = new AbortController();
    const iterator = store.subscribeAll({ signal: controller.signal })[Symbol.asyncIterator]();

    expect((await iterator.next()).value).toMatchObject({ revision: 0 });
    controller.abort();

    expect(await iterator.next()).toEqual({ done: true, value: undefined });
  });

  describe('group commit', () => {
    it('commits appends that arrive together in one transaction, in arrival order, with an unbroken chain per stream', async () => {
      const store = open();
      const before = store.groupCommitStats();

      const results = await Promise.all(
        Array.from({ length: 64 }, (_, index) => store.append(`group-${index % 4}`, [newEvent({ index })], { expectedRevision: 'any' })),
      );

      expect(store.groupCommitStats()).toEqual({ commits: before.commits + 1, appends: before.appends + 64 });
      expect(results.map((result) => fromSqlitePosition(result.position))).toEqual(Array.from({ length: 64 }, (_, index) => index + 1));
      for (let stream = 0; stream < 4; stream++) {
        const events = await store.readStream(`group-${stream}`);
        expect(events.map((event) => (event.data as { index: number }).index)).toEqual(Array.from({ length: 16 }, (_, n) => n * 4 + stream));
        events.forEach((event, index) => {
          expect(event.revision).toBe(index);
          expect(event.previousHash).toBe(index === 0 ? null : events[index - 1].hash);
          expect(event.hash).toBe(computeEventHash(event, event));
        });
      }
    });

    it('refuses a failing append alone and stores the others of its group', async () => {
      const store = open();
      await store.append('taken', [newEvent()], { expectedRevision: 'no_stream' });
      const stored = (await store.readStream('taken'))[0];
      const duplicate: NewEvent = { ...newEvent(), eventId: stored.eventId };

      const outcomes = await Promise.allSettled([
        store.append('ok-1', [newEvent()], { expectedRevision: 'no_stream' }),
        store.append('taken', [newEvent()], { expectedRevision: 'no_stream' }),
        store.append('ok-2', [newEvent(), newEvent()], { expectedRevision: 'no_stream' }),
        store.append('other', [duplicate], { expectedRevision: 'any' }),
        store.append('bad-json', [newEvent(), newEvent({ ratio: Number.NaN })], { expectedRevision: 'any' }),
        store.append('ok-1', [newEvent()], { expectedRevision: 0 }),
      ]);

      expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'rejected', 'rejected', 'fulfilled']);
      expect((outcomes[1] as PromiseRejectedResult).reason).toBeInstanceOf(WrongExpectedRevisionError);
      expect((outcomes[3] as PromiseRejectedResult).reason).toBeInstanceOf(DuplicateEventIdError);
      expect((outcomes[4] as PromiseRejectedResult).reason).toBeInstanceOf(TypeError);
      expect((await store.readStream('ok-1')).map((event) => event.revision)).toEqual([0, 1]);
      expect(await store.readStream('ok-2')).toHaveLength(2);
      expect(await store.readStream('other')).toEqual([]);
      expect(await store.readStream('bad-json')).toEqual([]);
      expect((await store.readAll()).map((event) => fromSqlitePosition(event.position))).toEqual([1, 2, 3, 4, 5]);
    });

    it('answers a retry queued behind its first attempt with the same result', async () => {
      const store = open();
      const events = [newEvent(), newEvent()];

      const [first, retry] = await Promise.all([
        store.append('retried', events, { expectedRevision: 'no_stream' }),
        store.append('retried', events, { expectedRevision: 'no_stream' }),
      ]);

      expect(retry).toEqual(first);
      expect(await store.readStream('retried')).toHaveLength(2);
    });

    it('acknowledges an append only once another connection can read it', async () => {
      const store = open();
      const raw = new Database(join(dir, 'events.sqlite'), { readonly: true });
      try {
        const count = raw.prepare('SELECT COUNT(*) FROM events WHERE stream_id = ?').pluck();
        const seenAtAck = await Promise.all(
          Array.from({ length: 10 }, (_, index) =>
            store.append(`acked-${index}`, [newEvent()], { expectedRevision: 'no_stream' }).then(() => count.get(`acked-${index}`)),
          ),
        );
        expect(seenAtAck).toEqual(Array.from({ length: 10 }, () => 1));
      } finally {
        raw.close();
      }
    });

    it('commits the next append of a writer that appends as soon as it is acknowledged without waiting for a turn of the event loop', async () => {
      // In memory: commits far shorter than the follow-up budget on any disk, so that only the follow-up decides.
      const store = open({ file: ':memory:' });
      await store.append('warm-up', [newEvent()], { expectedRevision: 'no_stream' });
      let turns = 0;
      let counting = true;
      const countTurns = (): void => {
        turns += 1;
        if (counting) setImmediate(countTurns);
      };
      setImmediate(countTurns);

      const appends = 200;
      for (let revision = 0; revision < appends; revision++) {
        await store.append('closed-loop', [newEvent({ revision })], { expectedRevision: revision === 0 ? 'no_stream' : revision - 1 });
      }
      counting = false;

      // One turn per append without the follow-up; with it, a turn only when a commit's time budget runs out.
      expect(turns).toBeLessThan(appends / 2);
      expect((await store.readStream('closed-loop')).map((event) => event.revision)).toEqual(Array.from({ length: appends }, (_, n) => n));
    });

    it('still lets the event loop turn while a writer keeps appending as soon as it is acknowledged', async () => {
      const store = open();
      const most = 3000;
      let acknowledged = 0;
      let acknowledgedWhenTimerFired: number | null = null;
      setTimeout(() => (acknowledgedWhenTimerFired = acknowledged), 10);

      for (let revision = 0; revision < most && acknowledgedWhenTimerFired === null; revision++) {
        await store.append('busy', [newEvent()], { expectedRevision: revision === 0 ? 'no_stream' : revision - 1 });
        acknowledged += 1;
      }

      // Without a bound on follow-up commits the writer would never wait for anything else: the timer would fire only
      // after its last append.
      expect(acknowledgedWhenTimerFired).not.toBeNull();
      expect(acknowledgedWhenTimerFired).toBeLessThan(most);
      expect(await store.readStream('busy')).toHaveLength(acknowledged);
    });

    it('keeps no stream head of a group that was rolled back: the next append checks against what is stored', async () => {
      const store = open();
      const raw = new Database(join(dir, 'events.sqlite'));
      try {
        // A stream whose head cannot be written makes its single-event append fail after its row was written, which
        // rolls the whole group back, the append to 'fresh' before it included.
        raw.exec(`CREATE TRIGGER poisoned BEFORE INSERT ON streams WHEN NEW.stream_id = 'poison' BEGIN SELECT RAISE(ABORT, 'poisoned'); END`);
        const outcomes = await Promise.allSettled([
          store.append('fresh', [newEvent()], { expectedRevision: 'no_stream' }),
          store.append('poison', [newEvent()], { expectedRevision: 'no_stream' }),
        ]);
        expect(outcomes.map((outcome) => outcome.status)).toEqual(['rejected', 'rejected']);
        expect(await store.readStream('fresh')).toEqual([]);

        expect((await store.append('fresh', [newEvent()], { expectedRevision: 'no_stream' })).nextRevision).toBe(0);
        await store.append('fresh', [newEvent()], { expectedRevision: 0 });
        const chain = await store.readStream('fresh');
        expect(chain.map((event) => event.revision)).toEqual([0, 1]);
        expect(chain[1].previousHash).toBe(chain[0].hash);
      } finally {
        raw.close();
      }
    });

    it('commits appends still queued when the store is closed', async () => {
      const store = open();
      const appended = store.append('closing', [newEvent()], { expectedRevision: 'no_stream' });
      await store.close();

      expect((await appended).nextRevision).toBe(0);
      const reopened = open();
      expect(await reopened.readStream('closing')).toHaveLength(1);
    });
  });

  describe('shared by two processes (two connections to one file)', () => {
    it('lets a second instance see appends through polling', async () => {
      const writer = open();
      const reader = open({ pollIntervalMs: 10 });
      await writer.append('shared', [newEvent()], { expectedRevision: 'no_stream' });
      const controller = new AbortController();
      const received: RecordedEvent[] = [];
      const consumed = (async () => {
        for await (const event of reader.subscribeAll({ signal: controller.signal })) {
          received.push(event);
          if (received.length === 3) controller.abort();
        }
      })();

      await new Promise((resolve) => setTimeout(resolve, 30));
      await writer.append('shared', [newEvent(), newEvent()], { expectedRevision: 0 });
      await consumed;

      expect(received).toEqual(await writer.readAll());
    });

    it('checks the revision against, and chains the hash from, a head another instance wrote since this one last did', async () => {
      const first = open();
      const second = open();
      await first.append('both', [newEvent()], { expectedRevision: 'no_stream' });
      await second.append('both', [newEvent()], { expectedRevision: 0 });

      await expect(first.append('both', [newEvent()], { expectedRevision: 0 })).rejects.toMatchObject({ actual: 1 });
      await Promise.all([first.append('both', [newEvent()], { expectedRevision: 1 }), first.append('elsewhere', [newEvent()], { expectedRevision: 'no_stream' })]);
      await second.append('both', [newEvent()], { expectedRevision: 2 });
      expect((await first.append('both', [newEvent()], { expectedRevision: 3 })).nextRevision).toBe(4);

      const chain = await first.readStream('both');
      expect(chain.map((event) => event.revision)).toEqual([0, 1, 2, 3, 4]);
      chain.forEach((event, index) => {
        expect(event.previousHash).toBe(index === 0 ? null : chain[index - 1].hash);
        expect(event.hash).toBe(computeEventHash(event, event));
      });
    });

    it('keeps revision checks and idempotent retries consistent across instances', async () => {
      const first = open();
      const second = open();
      const events = [newEvent(), newEvent()];
      const original = await first.append('shared', events, { expectedRevision: 'no_stream' });

      expect(await second.append('shared', events, { expectedRevision: 'no_stream' })).toEqual(original);
      await expect(second.append('shared', [newEvent()], { expectedRevision: 0 })).rejects.toMatchObject({ actual: 1 });
      await second.append('shared', [newEvent()], { expectedRevision: 1 });
      const chain = await first.readStream('shared');
      expect(chain[2].previousHash).toBe(chain[1].hash);
    });
  });
});

describe('SQLite positions', () => {
  it('zero-pads to 16 digits so that string order is numeric order', () => {
    expect(toSqlitePosition(0)).toBe('0000000000000000');
    expect(toSqlitePosition(42)).toBe('0000000000000042');
    expect(toSqlitePosition(Number.MAX_SAFE_INTEGER)).toBe('9007199254740991');
    expect(toSqlitePosition(9) < toSqlitePosition(10)).toBe(true);
  });

  it('round-trips', () => {
    for (const n of [0, 1, 999, 10 ** 12, Number.MAX_SAFE_INTEGER]) expect(fromSqlitePosition(toSqlitePosition(n))).toBe(n);
  });

  it('refuses what is not a position', () => {
    for (const bad of [-1, 1.5, Number.NaN, Number.MAX_SAFE_INTEGER + 1]) expect(() => toSqlitePosition(bad)).toThrow(RangeError);
    for (const bad of ['', '42', '00000000000000042', '-000000000000001', '000000000000004x', ' 000000000000042']) {
      expect(() => fromSqlitePosition(bad)).toThrow(/Malformed SQLite position/);
    }
    expect(() => fromSqlitePosition('9999999999999999')).toThrow(/safe integer/);
  });
});
