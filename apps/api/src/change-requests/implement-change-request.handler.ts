import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import {
  amendmentFor,
  ChangeRequestErrors,
  changeRequestDecider,
  productDecider,
  toChangeRequestStreamId,
  toProductStreamId,
  type ProductSpecificationAmended,
} from '@pc/domain';
import { maxPosition, type RecordedEvent } from '@pc/event-store';
import { CommandPipeline, PreconditionFailed, type CommandContext } from '../commands/command-pipeline';
import { toWriteResult, type WriteResult } from '../commands/write-result';
import { ProcessTracker } from '../processes/process-tracker';

export class ImplementChangeRequestCommand {
  constructor(
    readonly changeRequestId: string,
    readonly context: CommandContext,
  ) {}
}

/** Also issued by the implementation process, to complete a record whose product amendment is already stored. */
export class RecordChangeRequestImplementationCommand {
  constructor(
    readonly changeRequestId: string,
    readonly specificationVersion: number,
    readonly implementedBy: string,
    readonly context: CommandContext,
  ) {}
}

/**
 * Amends the product first, with the request's id (and the Idempotency-Key, if any) on the
 * amendment, then records the request as implemented. Only an approved request gets that far; if
 * the product changed under it, the amendment is refused and the request stays approved.
 */
@CommandHandler(ImplementChangeRequestCommand)
export class ImplementChangeRequestHandler implements ICommandHandler<ImplementChangeRequestCommand, WriteResult> {
  constructor(private readonly pipeline: CommandPipeline) {}

  async execute({ changeRequestId, context }: ImplementChangeRequestCommand): Promise<WriteResult> {
    const streamId = toChangeRequestStreamId(changeRequestId);
    const loaded = await this.pipeline.load(streamId, changeRequestDecider);
    const { state: changeRequest, revision, lastPosition } = loaded;
    if (changeRequest.status === 'none') throw ChangeRequestErrors.notFound(changeRequestId);
    // A retry, or a key used for another request, is answered before the product is touched.
    const replay = this.pipeline.idempotentReplay(streamId, loaded, context);
    if (replay) return toWriteResult(changeRequestId, replay);
    // If-Match names the request's revision: checked before the product is touched.
    if (context.ifMatch !== undefined && context.ifMatch !== revision) throw PreconditionFailed(context.ifMatch, revision);
    if (changeRequest.status === 'implemented') {
      // The implementation process may have recorded it first; the amendment still carries the request that made it.
      const amendment = await this.amendmentMadeBy(changeRequest.productId, changeRequestId, context);
      if (!amendment) throw ChangeRequestErrors.notApproved(changeRequest.status);
      return { id: changeRequestId, revision, position: maxPosition(lastPosition, amendment.position) };
    }
    const amended = await this.pipeline.execute(toProductStreamId(changeRequest.productId), productDecider, amendmentFor(changeRequest, changeRequestId), {
      ...context,
      ifMatch: undefined,
      deterministicIdSeed: `implement:${changeRequestId}`,
    });
    const specificationVersion = amended.state.status === 'registered' ? (amended.state.implementedChangeRequests[changeRequestId] ?? 0) : 0;
    const recorded = await this.pipeline.execute(
      streamId,
      changeRequestDecider,
      { type: 'RecordChangeRequestImplementation', changeRequestId, specificationVersion, implementedBy: context.principal.id },
      { ...context, ifMatch: undefined },
    );
    return { id: changeRequestId, revision: recorded.revision, position: maxPosition(recorded.position, amended.position) };
  }

  /** The product amendment this very request (same Idempotency-Key and body) wrote, if any. */
  private async amendmentMadeBy(productId: string, changeRequestId: string, { idempotency, principal }: CommandContext): Promise<RecordedEvent | null> {
    if (!idempotency) return null;
    const events = await this.pipeline.readEvents(toProductStreamId(productId));
    return (
      events.find(
        (event) =>
          event.type === 'ProductSpecificationAmended' &&
          (event.data as ProductSpecificationAmended['data']).changeRequestId === changeRequestId &&
          event.metadata.idempotencyKey === idempotency.key &&
          event.metadata.requestHash === idempotency.requestHash &&
          event.metadata.actor.id === principal.id,
      ) ?? null
    );
  }
}

@CommandHandler(RecordChangeRequestImplementationCommand)
export class RecordChangeRequestImplementationHandler implements ICommandHandler<RecordChangeRequestImplementationCommand, WriteResult> {
  constructor(
    private readonly pipeline: CommandPipeline,
    private readonly tracker: ProcessTracker,
  ) {}

  async execute({ changeRequestId, specificationVersion, implementedBy, context }: RecordChangeRequestImplementationCommand): Promise<WriteResult> {
    const outcome = await this.tracker.track(
      this.pipeline.execute(
        toChangeRequestStreamId(changeRequestId),
        changeRequestDecider,
        { type: 'RecordChangeRequestImplementation', changeRequestId, specificationVersion, implementedBy },
        context,
      ),
    );
    return toWriteResult(changeRequestId, outcome);
  }
}
