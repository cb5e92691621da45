import { randomUUID } from 'node:crypto';
import { BACKWARDS, END, EventStoreDBClient } from '@eventstore/db-client';
import type { NewEvent } from '../event-store.port';
import { describeEventStoreContract } from '../testing/event-store.contract';
import { EventStoreDbEventStore } from './eventstoredb-event-store';

/** e.g. `esdb://localhost:2113?tls=false`; the suite only writes streams with random names, so a shared server will do. */
const connectionString = process.env.EVENTSTORE_CONNECTION_STRING;

function newEvent(): NewEvent {
  return {
    eventId: randomUUID(),
    type: 'ServerChecked',
    schemaVersion: 1,
    data: { checked: true },
    metadata: { actor: { id: 'user-1', roles: [] }, correlationId: randomUUID(), causationId: randomUUID(), occurredAt: '2024-01-01T00:00:00.000Z' },
  };
}

if (connectionString) {
  describeEventStoreContract(
    'eventstoredb',
    async () => {
      const store = await EventStoreDbEventStore.connect(connectionString);
      return { store, cleanup: () => store.close() };
    },
    { uniqueEventIdsAcrossStreams: false },
  );

  describe('EventStoreDbEventStore on a server', () => {
    let first: EventStoreDbEventStore;
    let second: EventStoreDbEventStore;
    let raw: EventStoreDBClient;

    beforeAll(async () => {
      first = await EventStoreDbEventStore.connect(connectionString);
      second = await EventStoreDbEventStore.connect(connectionString);
      raw = EventStoreDBClient.connectionString(connectionString);
    });

    afterAll(async () => {
      await Promise.all([first.close(), second.close(), raw.dispose()]);
    });

    it("stores correlation and causation under EventStoreDB's metadata names", async () => {
      const stream = `server-metadata-${randomUUID()}`;
      const event = newEvent();
      await first.append(stream, [event], { expectedRevision: 'no_stream' });

      const [resolved] = await collect(raw.readStream(stream, { direction: BACKWARDS, fromRevision: END, maxCount: 1 }));

      expect(resolved.event?.id).toBe(event.eventId);
      expect(resolved.event?.metadata).toMatchObject({
        $correlationId: event.metadata.correlationId,
        $causationId: event.metadata.causationId,
        schemaVersion: 1,
      });
    });

    it('keeps event ids unique per stream only, as the server does', async () => {
      const streams = [`server-id-a-${randomUUID()}`, `server-id-b-${randomUUID()}`];
      const event = newEvent();

      await first.append(streams[0], [event], { expectedRevision: 'no_stream' });
      await first.append(streams[1], [event], { expectedRevision: 'no_stream' });

      for (const stream of streams) expect((await first.readStream(stream)).map((recorded) => recorded.eventId)).toEqual([event.eventId]);
    });

    it('keeps one hash chain when two instances race appends to one stream', async () => {
      const stream = `server-two-writers-${randomUUID()}`;

      const results = await Promise.all(
        Array.from({ length: 10 }, (_, index) => (index % 2 === 0 ? first : second).append(stream, [newEvent()], { expectedRevision: 'any' })),
      );

      const events = await first.readStream(stream);
      expect(new Set(results.map((result) => result.nextRevision)).size).toBe(10);
      expect(events.map((event) => event.revision)).toEqual(Array.from({ length: 10 }, (_, index) => index));
      events.forEach((event, index) => expect(event.previousHash).toBe(index === 0 ? null : events[index - 1].hash));
    });

    it('stores a retry racing its original from another instance once, and answers both the same', async () => {
      const stream = `server-racing-retry-${randomUUID()}`;
      const events = [newEvent(), newEvent()];

      const [original, retry] = await Promise.all([
        first.append(stream, events, { expectedRevision: 'no_stream' }),
        second.append(stream, events, { expectedRevision: 'no_stream' }),
      ]);

      expect(retry).toEqual(original);
      expect(await first.readStream(stream)).toHaveLength(2);
    });

    it('reports its health, and down once closed', async () => {
      const store = await EventStoreDbEventStore.connect(connectionString);
      expect(await store.health()).toEqual({ engine: 'eventstoredb', status: 'up' });
      await store.close();
      expect((await store.health()).status).toBe('down');
    });
  });
} else {
  test.todo('EventStoreDB contract: skipped because EVENTSTORE_CONNECTION_STRING is not set');
}

async function collect<T>(read: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of read) items.push(item);
  return items;
}
