import { SqliteEventStore } from '@pc/event-store';
import { SqliteReadStore } from '@pc/read-store';
import { AuditController, AuditQueryDto } from '../apps/api/src/audit/audit.controller';
import { GetProductAsOfHandler, GetProductAsOfQuery } from '../apps/api/src/products/product-queries';
import { nowMs, percentile } from './support/stats';

export interface AuditResult {
  readonly entityP50Ms: number;
  readonly entityP99Ms: number;
  readonly actorP50Ms: number;
  readonly actorP99Ms: number;
  /** Actor histories asked again (the actor's first query is not among them): what the page cache does for a busy auditor. */
  readonly actorRepeatP99Ms: number;
  /** Each actor's first query: its pages of both files are read from disk when the page cache does not hold them. */
  readonly actorFirstP50Ms: number;
  readonly actorFirstMaxMs: number;
  readonly asOfP50Ms: number;
  readonly asOfP99Ms: number;
  readonly asOfEvents: number;
}

/**
 * e. The auditor's questions, asked of the API's own query code (the audit controller and the asOf query
 * handler, without the HTTP stack around them) over the read store and event store the server uses:
 * an entity's history, an actor's history (first page, as the API serves it) and a product as of a moment.
 */
export async function benchAudit(
  eventStoreFile: string,
  readStoreFile: string,
  entityIds: readonly string[],
  actorIds: readonly string[],
  queries: number,
  longHistoryProductId: string,
  asOfQueries: number,
): Promise<AuditResult> {
  const eventStore = SqliteEventStore.open({ file: eventStoreFile });
  const readStore = SqliteReadStore.open({ file: readStoreFile });
  try {
    const audit = new AuditController(readStore, eventStore);
    const timed = async (run: () => Promise<unknown>): Promise<number> => {
      const started = nowMs();
      await run();
      return nowMs() - started;
    };
    const query = (filter: Partial<AuditQueryDto>) => Object.assign(new AuditQueryDto(), filter);
    // A few unmeasured queries first: statement preparation is a one-off, not what an auditor waits for.
    for (let n = 0; n < 5; n++) {
      await audit.list(query({ entityId: entityIds[n % entityIds.length] }));
      await audit.list(query({ actorId: actorIds[n % actorIds.length] }));
    }
    const entity: number[] = [];
    const actor: number[] = [];
    const actorFirst: number[] = [];
    const actorRepeat: number[] = [];
    const actorsAsked = new Set<string>();
    for (let n = 0; n < queries; n++) {
      entity.push(await timed(() => audit.list(query({ entityId: entityIds[(n * 7919) % entityIds.length] }))));
      const actorId = actorIds[n % actorIds.length]!;
      const took = await timed(() => audit.list(query({ actorId })));
      actor.push(took);
      (actorsAsked.has(actorId) ? actorRepeat : actorFirst).push(took);
      actorsAsked.add(actorId);
    }
    const asOf = new GetProductAsOfHandler(eventStore);
    const moment = new Date();
    let asOfEvents = 0;
    const asOfTimes: number[] = [];
    for (let n = 0; n < asOfQueries + 2; n++) {
      const started = nowMs();
      const product = await asOf.execute(new GetProductAsOfQuery(longHistoryProductId, moment));
      if (n >= 2) asOfTimes.push(nowMs() - started);
      asOfEvents = product.revision + 1;
    }
    return {
      entityP50Ms: percentile(entity, 50),
      entityP99Ms: percentile(entity, 99),
      actorP50Ms: percentile(actor, 50),
      actorP99Ms: percentile(actor, 99),
      actorRepeatP99Ms: actorRepeat.length > 0 ? percentile(actorRepeat, 99) : NaN,
      actorFirstP50Ms: percentile(actorFirst, 50),
      actorFirstMaxMs: Math.max(...actorFirst),
      asOfP50Ms: percentile(asOfTimes, 50),
      asOfP99Ms: percentile(asOfTimes, 99),
      asOfEvents,
    };
  } finally {
    await readStore.close();
    await eventStore.close();
  }
}
