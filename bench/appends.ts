import { randomBytes } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SqliteEventStore, type NewEvent } from '@pc/event-store';
import { getSQLiteEventStore } from '@event-driven-io/emmett-sqlite';
import { ACTORS, Variety, changeRequestLifecycle, productRegistration } from './support/domain-events';
import { nowMs } from './support/stats';

const STREAMS = 100;
/** Contenders take turns, so that a slow spell of the disk does not land on one of them alone. */
const ROUNDS = 10;

export interface SingleAppendResult {
  readonly ours: number;
  readonly floor: number;
  readonly peer: number;
  readonly appends: { readonly ours: number; readonly floor: number; readonly peer: number };
  /** Peer appends that failed with SQLITE_BUSY and were tried again (their time is included). */
  readonly peerRetries: number;
}

/** The event every contender stores, one per append: a realistic ChangeRequestSubmitted. */
export function sampleEvent(): NewEvent {
  const variety = new Variety(7);
  const { product } = productRegistration(variety, new Date().toISOString());
  return changeRequestLifecycle(product, variety, new Date().toISOString())[0]!.events[0]!;
}

/**
 * a. Durable single appends: one event per append, awaited before the next, over 100 streams, each with
 * its expected revision. Ours, the floor (plain better-sqlite3 writing the same rows to the same schema
 * with the same PRAGMAs, nothing else) and the peer (Emmett's SQLite event store) on their own files.
 */
export async function benchSingleAppends(dir: string, count: number, peerCount: number): Promise<SingleAppendResult> {
  const template = sampleEvent();
  const ours = SqliteEventStore.open({ file: join(dir, 'single-ours.sqlite') });
  const floor = openFloor(join(dir, 'single-floor.sqlite'));
  const peer = getSQLiteEventStore({ fileName: join(dir, 'single-peer.sqlite') });
  const oursRevisions = new Array<number>(STREAMS).fill(-1);
  const peerVersions = new Array<bigint>(STREAMS).fill(0n);
  const floorRevisions = new Array<number>(STREAMS).fill(-1);
  const elapsed = { ours: 0, floor: 0, peer: 0 };
  const done = { ours: 0, floor: 0, peer: 0 };
  let peerRetries = 0;
  try {
    // One warm-up append each: schema creation and first-page allocation are not what is compared.
    await ours.append('warm-up', [{ ...template, eventId: uuidv7() }], { expectedRevision: 'any' });
    floor.append('warm-up', -1, template);
    await peer.appendToStream('warm-up', [{ type: template.type, data: template.data as Record<string, unknown>, metadata: template.metadata as never }]);

    for (let round = 0; round < ROUNDS; round++) {
      const share = (total: number) => Math.floor(total / ROUNDS) + (round < total % ROUNDS ? 1 : 0);

      let started = nowMs();
      for (let n = 0, quota = share(count); n < quota; n++, done.floor++) {
        const stream = done.floor % STREAMS;
        floor.append(`floor-${stream}`, floorRevisions[stream]!, template);
        floorRevisions[stream]! += 1;
      }
      elapsed.floor += nowMs() - started;

      started = nowMs();
      for (let n = 0, quota = share(count); n < quota; n++, done.ours++) {
        const stream = done.ours % STREAMS;
        const expected = oursRevisions[stream]!;
        const result = await ours.append(`ours-${stream}`, [{ ...template, eventId: uuidv7() }], { expectedRevision: expected < 0 ? 'no_stream' : expected });
        oursRevisions[stream] = result.nextRevision;
      }
      elapsed.ours += nowMs() - started;

      started = nowMs();
      for (let n = 0, quota = share(peerCount); n < quota; n++, done.peer++) {
        const stream = done.peer % STREAMS;
        const append = () =>
          peer.appendToStream(`peer-${stream}`, [{ type: template.type, data: template.data as Record<string, unknown>, metadata: template.metadata as never }], {
            expectedStreamVersion: peerVersions[stream]!,
          });
        let result: Awaited<ReturnType<typeof append>> | undefined;
        // Emmett 0.38.5 on node-sqlite3 now and then fails a COMMIT with SQLITE_BUSY ("SQL statements in
        // progress") and rolls back: the append is simply tried again, and counted.
        for (let attempt = 1; result === undefined; attempt++) {
          try {
            result = await append();
          } catch (error) {
            if ((error as { code?: unknown }).code !== 'SQLITE_BUSY' || attempt >= 5) throw error;
            peerRetries += 1;
          }
        }
        peerVersions[stream] = result.nextExpectedStreamVersion;
      }
      elapsed.peer += nowMs() - started;
    }
  } finally {
    await ours.close();
    floor.close();
  }
  return {
    ours: (done.ours / elapsed.ours) * 1000,
    floor: (done.floor / elapsed.floor) * 1000,
    peer: (done.peer / elapsed.peer) * 1000,
    appends: done,
    peerRetries,
  };
}

/**
 * The floor: what SQLite itself costs for one durable append in this schema. The schema comes from the
 * adapter (opened once to create it); then a plain connection with the adapter's PRAGMAs (WAL, synchronous=FULL,
 * its WAL checkpoint interval), and per append one IMMEDIATE transaction with the event row and the stream row,
 * values prepared in advance: no revision check, no idempotency check, no hashing, no JSON.
 */
function openFloor(file: string): {
  append: (streamId: string, lastRevision: number, event: NewEvent) => void;
  appendGroup: (streamIds: readonly string[], lastRevision: number, event: NewEvent) => void;
  close: () => void;
} {
  // The adapter creates the schema; its connection's settings are then applied to the floor's own.
  const adapter = SqliteEventStore.open({ file });
  const settings = adapter.connectionSettings();
  void adapter.close();
  const db = new Database(file);
  db.pragma(`journal_mode = ${settings.journalMode}`);
  db.pragma(`synchronous = ${settings.synchronous}`);
  db.pragma(`wal_autocheckpoint = ${settings.walAutocheckpointPages}`);
  const insertEvent = db.prepare(
    `INSERT INTO events (stream_id, revision, event_id, type, schema_version, data, metadata, recorded_at, hash, previous_hash)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const upsertStream = db.prepare(
    `INSERT INTO streams (stream_id, last_revision, last_position, last_hash) VALUES (?, ?, ?, ?)
     ON CONFLICT (stream_id) DO UPDATE SET last_revision = excluded.last_revision, last_position = excluded.last_position, last_hash = excluded.last_hash`,
  );
  const hashes = Array.from({ length: 64 }, () => randomBytes(32).toString('hex'));
  let data = '';
  let metadata = '';
  let counter = 0;
  const writeRows = (streamId: string, revision: number, event: NewEvent) => {
    const hash = hashes[counter++ % hashes.length]!;
    const inserted = insertEvent.run(streamId, revision, uuidv7(), event.type, event.schemaVersion, data, metadata, new Date().toISOString(), hash, revision === 0 ? null : hashes[0]);
    upsertStream.run(streamId, revision, Number(inserted.lastInsertRowid), hash);
  };
  const write = db.transaction(writeRows);
  const writeGroup = db.transaction((streamIds: readonly string[], revision: number, event: NewEvent) => {
    for (const streamId of streamIds) writeRows(streamId, revision, event);
  });
  const serialize = (event: NewEvent) => {
    if (data === '') {
      data = JSON.stringify(event.data);
      metadata = JSON.stringify(event.metadata);
    }
  };
  return {
    append: (streamId, lastRevision, event) => {
      serialize(event);
      write.immediate(streamId, lastRevision + 1, event);
    },
    appendGroup: (streamIds, lastRevision, event) => {
      serialize(event);
      writeGroup.immediate(streamIds, lastRevision + 1, event);
    },
    close: () => db.close(),
  };
}

export interface GroupCommitResult {
  readonly eventsPerSec: number;
  /** Plain better-sqlite3 writing the same rows in transactions of `appenders` events: what SQLite itself does. */
  readonly floorEventsPerSec: number;
  readonly events: number;
  readonly commits: number;
  readonly meanAppendsPerCommit: number;
}

/**
 * b. Concurrent appends: `appenders` writers, each on its own stream, each awaiting its own
 * acknowledgement before its next append. Group commit batches what arrives while a commit runs.
 * Ours and the floor take turns, ROUNDS times, as in a.
 */
export async function benchGroupCommit(dir: string, appenders: number, total: number): Promise<GroupCommitResult> {
  const template = sampleEvent();
  const store = SqliteEventStore.open({ file: join(dir, 'group-commit.sqlite') });
  const floor = openFloor(join(dir, 'group-commit-floor.sqlite'));
  const streamIds = Array.from({ length: appenders }, (_, appender) => `appender-${appender}`);
  try {
    await store.append('warm-up', [{ ...template, eventId: uuidv7() }], { expectedRevision: 'any' });
    floor.append('warm-up', -1, template);
    const before = store.groupCommitStats();
    const perAppender = Math.ceil(total / appenders);
    const elapsed = { ours: 0, floor: 0 };
    let revision = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const until = Math.min(perAppender, Math.ceil(((round + 1) * perAppender) / ROUNDS));

      let started = nowMs();
      for (let floorRevision = revision; floorRevision < until; floorRevision++) floor.appendGroup(streamIds, floorRevision - 1, template);
      elapsed.floor += nowMs() - started;

      started = nowMs();
      await Promise.all(
        streamIds.map(async (streamId, appender) => {
          for (let next = revision; next < until; next++) {
            await store.append(streamId, [{ ...template, eventId: uuidv7(), metadata: { ...template.metadata, actor: ACTORS.requesters[appender % ACTORS.requesters.length]! } }], {
              expectedRevision: next === 0 ? 'no_stream' : next - 1,
            });
          }
        }),
      );
      elapsed.ours += nowMs() - started;
      revision = until;
    }
    const after = store.groupCommitStats();
    const events = perAppender * appenders;
    const commits = after.commits - before.commits;
    return {
      eventsPerSec: (events / elapsed.ours) * 1000,
      floorEventsPerSec: (events / elapsed.floor) * 1000,
      events,
      commits,
      meanAppendsPerCommit: (after.appends - before.appends) / commits,
    };
  } finally {
    await store.close();
    floor.close();
  }
}
