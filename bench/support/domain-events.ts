import { randomUUID } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import {
  EVENT_SCHEMA_VERSIONS,
  toChangeRequestStreamId,
  toNotificationStreamId,
  toProductStreamId,
  type DomainEventOf,
  type DomainEventType,
  type ProductStage,
  type Role,
} from '@pc/domain';
import type { NewEvent } from '@pc/event-store';

/**
 * Realistic domain events for the bench: the payload types are the domain's own, the metadata is what the
 * command pipeline writes, the ids are of the kinds it issues (time-ordered UUIDv7 for events and change
 * requests, as `newId` in command-pipeline.ts; products' ids look random, as the UUIDv5 of their SKU does),
 * and the texts have the length people actually type. The projections do on
 * these exactly the work they do in production.
 */

type DataOf<T extends DomainEventType> = DomainEventOf<T>['data'];

export interface BenchActor {
  readonly id: string;
  readonly roles: readonly Role[];
}

export const ACTORS = {
  requesters: Array.from({ length: 40 }, (_, index): BenchActor => ({ id: `u-requester-${index}`, roles: ['requester'] })),
  coordinators: Array.from({ length: 8 }, (_, index): BenchActor => ({ id: `u-coordinator-${index}`, roles: ['coordinator'] })),
  managers: Array.from({ length: 12 }, (_, index): BenchActor => ({ id: `u-manager-${index}`, roles: ['product_manager'] })),
};

const WORDS = 'housing torque battery seal hinge motor casing thread bracket gasket sensor firmware cable clamp bearing filter coating valve spring panel'.split(' ');
const STAGES: readonly ProductStage[] = ['concept', 'development', 'launch', 'growth', 'maturity', 'decline'];

/** A deterministic source of variety, so that two runs store the same shapes of data. */
export class Variety {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0 || 1;
  }
  next(): number {
    // xorshift32
    let x = this.state;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.state = x >>> 0;
    return this.state / 0x1_0000_0000;
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }
  words(count: number): string {
    return Array.from({ length: count }, () => this.pick(WORDS)).join(' ');
  }
  sentence(minWords: number, maxWords: number): string {
    const text = this.words(minWords + Math.floor(this.next() * (maxWords - minWords + 1)));
    return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
  }
}

export function newEvent<T extends DomainEventType>(type: T, data: DataOf<T>, actor: BenchActor, occurredAt: string, correlationId: string, causationId: string | null = null): NewEvent {
  return {
    eventId: uuidv7(),
    type,
    schemaVersion: EVENT_SCHEMA_VERSIONS[type],
    data,
    metadata: { actor: { id: actor.id, roles: [...actor.roles] }, correlationId, causationId, occurredAt },
  };
}

export interface StreamAppend {
  readonly streamId: string;
  readonly events: NewEvent[];
}

export interface ProductSeed {
  readonly productId: string;
  readonly manager: BenchActor;
  readonly specification: Record<string, string | number | boolean>;
  specificationVersion: number;
  stage: ProductStage;
}

export function productRegistration(variety: Variety, at: string): { product: ProductSeed; append: StreamAppend } {
  const productId = randomUUID();
  const manager = variety.pick(ACTORS.managers);
  const coordinator = variety.pick(ACTORS.coordinators);
  const specification = {
    weightKg: Math.round(variety.next() * 5000) / 100,
    colour: variety.pick(['red', 'blue', 'graphite', 'white']),
    voltage: variety.pick([12, 18, 24, 36]),
    material: variety.pick(['aluminium', 'steel', 'polyamide']),
    ipRating: variety.pick(['IP54', 'IP65', 'IP67']),
    certified: variety.next() < 0.5,
  };
  const correlationId = randomUUID();
  const events = [
    newEvent(
      'ProductRegistered',
      {
        productId,
        sku: `PC-${productId.slice(0, 8).toUpperCase()}`,
        name: `${variety.words(2)} ${variety.pick(['drill', 'saw', 'pump', 'sander', 'grinder'])}`,
        description: variety.sentence(12, 30),
        productManagerId: manager.id,
        specification,
        stage: 'concept',
        registeredAt: at,
      },
      coordinator,
      at,
      correlationId,
    ),
  ];
  const product: ProductSeed = { productId, manager, specification, specificationVersion: 1, stage: 'concept' };
  // Most products have moved on from concept by the time anyone asks for changes.
  const advances = Math.floor(variety.next() * 3);
  for (let step = 0; step < advances; step++) events.push(stageAdvance(product, variety, coordinator, at, correlationId));
  return { product, append: { streamId: toProductStreamId(productId), events } };
}

export function stageAdvance(product: ProductSeed, variety: Variety, actor: BenchActor, at: string, correlationId: string): NewEvent {
  const from = product.stage;
  const to = STAGES[Math.min(STAGES.length - 1, STAGES.indexOf(from) + 1)]!;
  product.stage = to;
  return newEvent('ProductStageAdvanced', { productId: product.productId, from, to, reason: variety.sentence(4, 10), advancedAt: at }, actor, at, correlationId);
}

export function specificationAmendment(product: ProductSeed, changeRequestId: string, variety: Variety, actor: BenchActor, at: string, correlationId: string, causationId: string | null): NewEvent {
  const field = variety.pick(Object.keys(product.specification));
  const before = product.specification[field]!;
  const after = typeof before === 'number' ? Math.round(before * (0.8 + variety.next() * 0.4) * 100) / 100 : typeof before === 'boolean' ? !before : `${before}-${variety.pick(WORDS)}`;
  product.specification[field] = after;
  product.specificationVersion += 1;
  return newEvent(
    'ProductSpecificationAmended',
    { productId: product.productId, changeRequestId, specificationVersion: product.specificationVersion, amendments: [{ field, before, after }], amendedAt: at },
    actor,
    at,
    correlationId,
    causationId,
  );
}

/**
 * One change request's life, as the API and the processes write it: its own stream, and where it was
 * approved and implemented the product's amendment; a decision also notifies the requester.
 */
export function changeRequestLifecycle(product: ProductSeed, variety: Variety, at: string): StreamAppend[] {
  const changeRequestId = uuidv7();
  const requester = variety.pick(ACTORS.requesters);
  const coordinator = variety.pick(ACTORS.coordinators);
  const correlationId = randomUUID();
  const field = variety.pick(Object.keys(product.specification));
  const current = product.specification[field]!;
  const proposedValue = typeof current === 'number' ? Math.round(current * 1.1 * 100) / 100 : typeof current === 'boolean' ? !current : `${current}-v2`;
  const streamId = toChangeRequestStreamId(changeRequestId);
  const submitted = newEvent(
    'ChangeRequestSubmitted',
    {
      changeRequestId,
      productId: product.productId,
      title: variety.sentence(3, 8),
      description: variety.sentence(20, 45),
      changes: [{ field, proposedValue, currentValue: current }],
      justification: variety.next() < 0.7 ? variety.sentence(8, 20) : null,
      requesterId: requester.id,
      baseSpecificationVersion: product.specificationVersion,
      submittedAt: at,
    },
    requester,
    at,
    correlationId,
  );
  const events: NewEvent[] = [submitted];
  const appends: StreamAppend[] = [{ streamId, events }];
  const roll = variety.next();
  if (roll < 0.1) {
    events.push(newEvent('ChangeRequestWithdrawn', { changeRequestId, withdrawnBy: requester.id, reason: variety.sentence(4, 12), withdrawnAt: at }, requester, at, correlationId));
    return appends;
  }
  const approve = roll < 0.8;
  events.push(
    newEvent(
      'ChangeRequestAssessed',
      {
        changeRequestId,
        assessment: {
          relevance: variety.pick(['low', 'medium', 'high'] as const),
          risks: variety.sentence(8, 20),
          benefits: variety.sentence(8, 20),
          estimatedCost: { amount: Math.round(variety.next() * 50_000), currency: 'EUR' },
          recommendation: approve ? 'approve' : 'reject',
        },
        assessedBy: coordinator.id,
        assessedAt: at,
      },
      coordinator,
      at,
      correlationId,
    ),
    newEvent('ChangeRequestPresented', { changeRequestId, productManagerId: product.manager.id, presentedBy: coordinator.id, presentedAt: at }, coordinator, at, correlationId),
  );
  const decisionData = { changeRequestId, productId: product.productId, requesterId: requester.id, decidedBy: product.manager.id, reason: variety.sentence(5, 15), decidedAt: at };
  const decision = approve
    ? newEvent('ChangeRequestApproved', decisionData, product.manager, at, correlationId)
    : newEvent('ChangeRequestRejected', decisionData, product.manager, at, correlationId);
  events.push(decision);
  if (approve) {
    const amendment = specificationAmendment(product, changeRequestId, variety, coordinator, at, correlationId, decision.eventId);
    appends.push({ streamId: toProductStreamId(product.productId), events: [amendment] });
    events.push(
      newEvent(
        'ChangeRequestImplemented',
        { changeRequestId, productId: product.productId, specificationVersion: product.specificationVersion, implementedBy: coordinator.id, implementedAt: at },
        coordinator,
        at,
        correlationId,
        amendment.eventId,
      ),
    );
  }
  appends.push({
    streamId: toNotificationStreamId(requester.id),
    events: [
      newEvent(
        'ApplicantNotified',
        {
          notificationId: randomUUID(),
          recipientId: requester.id,
          kind: 'change_request_decided',
          changeRequestId,
          outcome: approve ? 'approved' : 'rejected',
          reason: decisionData.reason,
          decidedBy: product.manager.id,
          decidedAt: at,
          notifiedAt: at,
        },
        { id: 'system', roles: ['admin'] },
        at,
        correlationId,
        decision.eventId,
      ),
    ],
  });
  return appends;
}
