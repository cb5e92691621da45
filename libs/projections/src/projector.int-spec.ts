import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import type { EventStore } from '@pc/event-store';
import type { Document, ReadStore } from '@pc/read-store';
import { SqliteEventStore } from '../../event-store/src/sqlite/sqlite-event-store';
import { SqliteReadStore } from '../../read-store/src/sqlite/sqlite-read-store';
import { ALL_PROJECTIONS } from './all-projections';
import { AUDIT_ENTRIES_COLLECTION, type AuditEntry } from './audit-entries/audit-entries.projection';
import { CHANGE_REQUESTS_COLLECTION, type ChangeRequestDetails } from './change-request-details/change-request-details.projection';
import { CHANGE_REQUEST_SUMMARIES_COLLECTION } from './change-request-list/change-request-list.projection';
import { PRODUCTS_COLLECTION, type ProductDetails } from './product-details/product-details.projection';
import type { Projection } from './projection';
import { Projector } from './projector';
import {
  COORDINATOR_ID,
  PRODUCT_MANAGER_ID,
  REQUESTER_ID,
  applicantNotified,
  changeRequestApproved,
  changeRequestAssessed,
  changeRequestImplemented,
  changeRequestPresented,
  changeRequestRejected,
  changeRequestStream,
  changeRequestSubmitted,
  changeRequestWithdrawn,
  notificationStream,
  productRegistered,
  productSpecificationAmended,
  productStageAdvanced,
  productStream,
} from './testing/domain-events';
import { minutesAfterEpoch, projectEvents, toNewEvent } from './testing/recorded';
import { NOTIFICATIONS_COLLECTION } from './user-notifications/user-notifications.projection';

const DRILL = randomUUID();
const JIGSAW = randomUUID();
const RED_DRILL = randomUUID();
const LIGHT_JIGSAW = randomUUID();
const BLUE_DRILL = randomUUID();
const FILED_DOCUMENT = randomUUID();
const PROCESS_ID = 'process-change-request-implementation';

interface Step {
  readonly streamId: string;
  readonly event: { readonly type: string; readonly data: unknown };
  readonly actorId: string;
}

const step = (streamId: string, event: Step['event'], actorId = COORDINATOR_ID): Step => ({ streamId, event, actorId });

/** Two products, a request taken all the way to implementation, one withdrawn, and an event type no projection knows. */
const FIRST_WAVE: readonly Step[] = [
  step(productStream(DRILL), productRegistered({ productId: DRILL, sku: 'PC-1000' })),
  step(productStream(DRILL), productStageAdvanced({ productId: DRILL, from: 'concept', to: 'development' })),
  step(productStream(JIGSAW), productRegistered({ productId: JIGSAW, sku: 'PC-2000', name: 'Jigsaw' })),
  step(changeRequestStream(RED_DRILL), changeRequestSubmitted({ changeRequestId: RED_DRILL, productId: DRILL }), REQUESTER_ID),
  step(changeRequestStream(RED_DRILL), changeRequestAssessed({ changeRequestId: RED_DRILL })),
  step(changeRequestStream(RED_DRILL), changeRequestPresented({ changeRequestId: RED_DRILL })),
  step(changeRequestStream(RED_DRILL), changeRequestApproved({ changeRequestId: RED_DRILL, productId: DRILL }), PRODUCT_MANAGER_ID),
  step(notificationStream(REQUESTER_ID), applicantNotified({ notificationId: randomUUID(), changeRequestId: RED_DRILL }), PROCESS_ID),
  step(productStream(DRILL), productSpecificationAmended({ productId: DRILL, changeRequestId: RED_DRILL, specificationVersion: 2 })),
  step(changeRequestStream(RED_DRILL), changeRequestImplemented({ changeRequestId: RED_DRILL, productId: DRILL }), PROCESS_ID),
  step(changeRequestStream(LIGHT_JIGSAW), changeRequestSubmitted({ changeRequestId: LIGHT_JIGSAW, productId: JIGSAW, title: 'Lighter' }), REQUESTER_ID),
  step(changeRequestStream(LIGHT_JIGSAW), changeRequestWithdrawn({ changeRequestId: LIGHT_JIGSAW }), REQUESTER_ID),
  step(`plan-${FILED_DOCUMENT}`, { type: 'PlanDrafted', data: { title: 'Drill launch plan' } }),
];

/** Appended while no projector runs: a second request, rejected, and the jigsaw moving on. */
const SECOND_WAVE: readonly Step[] = [
  step(changeRequestStream(BLUE_DRILL), changeRequestSubmitted({ changeRequestId: BLUE_DRILL, productId: DRILL, title: 'Keep it blue' }), REQUESTER_ID),
  step(changeRequestStream(BLUE_DRILL), changeRequestAssessed({ changeRequestId: BLUE_DRILL })),
  step(changeRequestStream(BLUE_DRILL), changeRequestPresented({ changeRequestId: BLUE_DRILL })),
  step(changeRequestStream(BLUE_DRILL), changeRequestRejected({ changeRequestId: BLUE_DRILL, productId: DRILL }), PRODUCT_MANAGER_ID),
  step(notificationStream(REQUESTER_ID), applicantNotified({ notificationId: randomUUID(), changeRequestId: BLUE_DRILL, outcome: 'rejected' }), PROCESS_ID),
  step(productStream(JIGSAW), productStageAdvanced({ productId: JIGSAW, from: 'concept', to: 'development' })),
];

let minute = 0;
async function appendSteps(store: EventStore, steps: readonly Step[]): Promise<void> {
  for (const { streamId, event, actorId } of steps) {
    minute += 1;
    await store.append(streamId, [toNewEvent(event, { actorId, occurredAt: minutesAfterEpoch(minute) })], { expectedRevision: 'any' });
  }
}

async function waitUntil(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Runs a projector in the background until stopped; resolves once it has caught up with the store's head. */
async function startProjector(eventStore: EventStore, readStore: ReadStore, projections: readonly Projection[] = ALL_PROJECTIONS, batchSize = 4) {
  const projector = new Projector(eventStore, readStore, projections, { batchSize });
  await projector.prepare();
  const controller = new AbortController();
  const running = projector.run(controller.signal);
  // A failing run surfaces as itself, not as a timeout.
  let failure: { error: unknown } | null = null;
  running.catch((error: unknown) => (failure = { error }));
  const caughtUp = async () => {
    const head = await eventStore.headPosition();
    await waitUntil(() => {
      if (failure) throw failure.error;
      return projector.position === head;
    }, `the projector reaches ${head}`);
  };
  await caughtUp();
  return {
    projector,
    caughtUp,
    stop: async () => {
      controller.abort();
      await running;
    },
  };
}

async function all<T extends Document>(readStore: ReadStore, collection: string): Promise<T[]> {
  return (await readStore.find<T>(collection, { limit: 10_000 })).items;
}

async function snapshot(readStore: ReadStore, projections: readonly Projection[] = ALL_PROJECTIONS) {
  const entries = await Promise.all(
    projections.map(async ({ name, collection }) => [name, { documents: await all(readStore, collection.name), checkpoint: await readStore.getCheckpoint(name) }] as const),
  );
  return Object.fromEntries(entries);
}

const byId = (documents: Iterable<Document>) => [...documents].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

describe('Projector on the SQLite stores', () => {
  let directory: string;
  let eventsFile: string;
  let readFile: string;
  const opened: Array<{ close(): Promise<void> }> = [];

  const openEventStore = () => {
    const store = SqliteEventStore.open({ file: eventsFile, pollIntervalMs: 5 });
    opened.push(store);
    return store;
  };
  const openReadStore = () => {
    const store = SqliteReadStore.open({ file: readFile });
    opened.push(store);
    return store;
  };

  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'pc-projector-'));
    eventsFile = join(directory, 'events.sqlite');
    readFile = join(directory, 'read.sqlite');
  });

  afterEach(async () => {
    await Promise.all(opened.splice(0).map((store) => store.close()));
    rmSync(directory, { recursive: true, force: true });
  });

  it('builds every read model from the log, then resumes from its checkpoint after a restart without doubling or skipping', async () => {
    let eventStore = openEventStore();
    let readStore = openReadStore();
    await appendSteps(eventStore, FIRST_WAVE);

    const first = await startProjector(eventStore, readStore);
    await first.stop();

    const drill = await readStore.get<ProductDetails>(PRODUCTS_COLLECTION, DRILL);
    expect(drill).toMatchObject({ sku: 'PC-1000', stage: 'development', specification: { voltage: 18, colour: 'red' }, specificationVersion: 2, revision: 2 });
    const redDrill = await readStore.get<ChangeRequestDetails>(CHANGE_REQUESTS_COLLECTION, RED_DRILL);
    expect(redDrill?.status).toBe('implemented');
    expect(redDrill?.timeline.map(({ type, actorId }) => [type, actorId])).toEqual([
      ['ChangeRequestSubmitted', REQUESTER_ID],
      ['ChangeRequestAssessed', COORDINATOR_ID],
      ['ChangeRequestPresented', COORDINATOR_ID],
      ['ChangeRequestApproved', PRODUCT_MANAGER_ID],
      ['ChangeRequestImplemented', PROCESS_ID],
    ]);
    expect((await readStore.find(CHANGE_REQUEST_SUMMARIES_COLLECTION, { filter: { status: 'withdrawn' }, limit: 10 })).items.map(({ id }) => id)).toEqual([
      LIGHT_JIGSAW,
    ]);
    expect(await readStore.count(NOTIFICATIONS_COLLECTION, { recipientId: REQUESTER_ID })).toBe(1);
    expect(await readStore.count(AUDIT_ENTRIES_COLLECTION)).toBe(FIRST_WAVE.length);
    expect(await readStore.count(AUDIT_ENTRIES_COLLECTION, { entityId: FILED_DOCUMENT })).toBe(1);
    const firstHead = await eventStore.headPosition();
    for (const { name } of ALL_PROJECTIONS) expect(await readStore.getCheckpoint(name)).toBe(firstHead);

    // Stopped: the log moves on, and both files are closed and opened again as a new process would.
    await appendSteps(eventStore, SECOND_WAVE);
    await Promise.all(opened.splice(0).map((store) => store.close()));
    eventStore = openEventStore();
    readStore = openReadStore();
    const readAll = jest.spyOn(eventStore, 'readAll');
    const subscribeAll = jest.spyOn(eventStore, 'subscribeAll');

    const second = await startProjector(eventStore, readStore);
    // It catches up by pages from its checkpoint, then follows the subscription from where the pages ended.
    expect(readAll.mock.calls[0]?.[0]).toMatchObject({ after: firstHead });
    // Six events behind, pages of four: a full page, then a short one that ends the catch-up.
    expect(readAll.mock.calls.map(([options]) => options?.limit)).toEqual([4, 4]);
    expect(subscribeAll).toHaveBeenCalledWith(expect.objectContaining({ after: await eventStore.headPosition() }));

    // Live while running: appended now, projected without a restart.
    await appendSteps(eventStore, [step(productStream(JIGSAW), productStageAdvanced({ productId: JIGSAW, from: 'development', to: 'launch' }))]);
    await second.caughtUp();
    await second.stop();

    const stored = await eventStore.readAll();
    expect(stored).toHaveLength(FIRST_WAVE.length + SECOND_WAVE.length + 1);
    const audit = await all<AuditEntry>(readStore, AUDIT_ENTRIES_COLLECTION);
    expect(audit.map(({ id }) => id)).toEqual(stored.map(({ position }) => position));
    expect((await readStore.get<ChangeRequestDetails>(CHANGE_REQUESTS_COLLECTION, RED_DRILL))?.timeline).toHaveLength(5);
    expect(await readStore.get<ChangeRequestDetails>(CHANGE_REQUESTS_COLLECTION, BLUE_DRILL)).toMatchObject({
      status: 'rejected',
      decision: { outcome: 'rejected' },
      revision: 3,
    });
    expect((await readStore.get<ChangeRequestDetails>(CHANGE_REQUESTS_COLLECTION, BLUE_DRILL))?.timeline).toHaveLength(4);
    expect(await readStore.get<ProductDetails>(PRODUCTS_COLLECTION, JIGSAW)).toMatchObject({ stage: 'launch', revision: 2 });
    expect(await readStore.count(CHANGE_REQUEST_SUMMARIES_COLLECTION)).toBe(3);
    expect(await readStore.count(NOTIFICATIONS_COLLECTION, { recipientId: REQUESTER_ID })).toBe(2);

    // Whatever was restarted, the read models are exactly the fold of the whole log.
    for (const projection of ALL_PROJECTIONS) {
      expect(await all(readStore, projection.collection.name)).toEqual(byId(projectEvents(projection, stored).values()));
    }
  });

  it('treats a batch it has already applied as a no-op, leaving documents and checkpoints as they are', async () => {
    const eventStore = openEventStore();
    const readStore = openReadStore();
    await appendSteps(eventStore, FIRST_WAVE);
    const running = await startProjector(eventStore, readStore);
    await running.stop();
    const stored = await eventStore.readAll();
    const before = await snapshot(readStore);

    await running.projector.apply(stored.slice(0, 5));
    await running.projector.apply(stored);
    expect(await snapshot(readStore)).toEqual(before);

    // A new instance reads its checkpoints from the store and skips the same way.
    const restarted = new Projector(eventStore, readStore, ALL_PROJECTIONS);
    await restarted.prepare();
    await restarted.apply(stored.slice(3, 9));
    expect(await snapshot(readStore)).toEqual(before);
    expect(restarted.position).toBe(await eventStore.headPosition());
  });

  it('brings a newly added projection up from the start without replaying the others', async () => {
    const eventStore = openEventStore();
    const readStore = openReadStore();
    await appendSteps(eventStore, [...FIRST_WAVE, ...SECOND_WAVE]);
    await (await startProjector(eventStore, readStore)).stop();
    const before = await snapshot(readStore);
    const head = await eventStore.headPosition();

    const eventCounter = (name: string): Projection => ({
      name,
      collection: { name: name.replace(/-/g, '_'), indexes: [] },
      documentIds: () => ['all'],
      evolve: (document, event) => ({ id: 'all', count: ((document?.count as number | undefined) ?? 0) + 1, last: event.position }),
    });
    // The newcomer starts at the beginning while the others are at the head; several batch sizes put the
    // batch boundaries inside different change requests' histories.
    const commit = jest.spyOn(readStore, 'commit');
    for (const batchSize of [2, 3, 5, 7]) {
      commit.mockClear();
      const newcomer = eventCounter(`event-count-${batchSize}`);
      await (await startProjector(eventStore, readStore, [...ALL_PROJECTIONS, newcomer], batchSize)).stop();

      const units = commit.mock.calls.map(([unit]) => unit);
      expect(units.length).toBeGreaterThan(1);
      for (const unit of units) {
        expect(Object.keys(unit.checkpoints)).toEqual([newcomer.name]);
        for (const change of unit.changes) expect(change.collection).toBe(newcomer.collection.name);
      }
      expect(await snapshot(readStore)).toEqual(before);
      expect(await readStore.get(newcomer.collection.name, 'all')).toEqual({ id: 'all', count: FIRST_WAVE.length + SECOND_WAVE.length, last: head });
    }
  });

  it('catches up a batch of many pages in one commit, reading each page after the last', async () => {
    const eventStore = openEventStore();
    const readStore = openReadStore();
    const events = 1_234;
    await eventStore.append(
      `plan-${randomUUID()}`,
      Array.from({ length: events }, (_, index) => toNewEvent({ type: 'PlanRevised', data: { index } })),
      { expectedRevision: 'no_stream' },
    );
    const counter: Projection = {
      name: 'event-count',
      collection: { name: 'event_count', indexes: [] },
      documentIds: () => ['all'],
      evolve: (document, event) => ({ id: 'all', count: ((document?.count as number | undefined) ?? 0) + 1, last: event.position }),
    };
    const readAll = jest.spyOn(eventStore, 'readAll');
    const commit = jest.spyOn(readStore, 'commit');

    const running = await startProjector(eventStore, readStore, [counter], 20_000);
    await running.stop();

    // Pages smaller than the batch: several reads, each after the previous page's last event, and one commit.
    const reads = readAll.mock.calls.map(([options]) => options!);
    const pageSize = reads[0]!.limit!;
    expect(pageSize).toBeLessThan(events);
    expect(reads).toHaveLength(Math.floor(events / pageSize) + 1);
    const stored = await eventStore.readAll({ limit: events });
    reads.forEach((options, index) => expect(options.after).toBe(index === 0 ? null : stored[index * pageSize - 1]!.position));
    expect(commit).toHaveBeenCalledTimes(1);
    expect(await readStore.get(counter.collection.name, 'all')).toEqual({ id: 'all', count: events, last: stored[events - 1]!.position });
  });

  it('builds the same read models however the log is split into batches', async () => {
    const eventStore = openEventStore();
    await appendSteps(eventStore, [...FIRST_WAVE, ...SECOND_WAVE]);
    const stored = await eventStore.readAll();
    const expected = Object.fromEntries(ALL_PROJECTIONS.map((projection) => [projection.name, byId(projectEvents(projection, stored).values())]));
    const cuts = fc.uniqueArray(fc.integer({ min: 1, max: stored.length - 1 }), { maxLength: stored.length - 1 }).map((points) => [...points].sort((a, b) => a - b));

    await fc.assert(
      fc.asyncProperty(cuts, async (points) => {
        const readStore = SqliteReadStore.open({ file: ':memory:' });
        try {
          const projector = new Projector(eventStore, readStore, ALL_PROJECTIONS);
          await projector.prepare();
          const bounds = [0, ...points, stored.length];
          for (let index = 1; index < bounds.length; index += 1) await projector.apply(stored.slice(bounds[index - 1], bounds[index]));

          for (const { name, collection } of ALL_PROJECTIONS) {
            expect(await all(readStore, collection.name)).toEqual(expected[name]);
            expect(await readStore.getCheckpoint(name)).toBe(stored.at(-1)!.position);
          }
        } finally {
          await readStore.close();
        }
      }),
      { numRuns: 40 },
    );
  });
});
