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
    for (let n = 0; n < queries; n++) {
      entity.push(await timed(() => audit.list(query({ entityId: entityIds[(n * 7919) % entityIds.length] }))));
      actor.push(await timed(() => audit.list(query({ actorId: actorIds[n % actorIds.length] }))));
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
      asOfP50Ms: percentile(asOfTimes, 50),
      asOfP99Ms: percentile(asOfTimes, 99),
      asOfEvents,
    };
  } finally {
    await readStore.close();
    await eventStore.close();
  }
}
