import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { amendmentFor, ChangeRequestErrors, changeRequestDecider, productDecider, toChangeRequestStreamId, toProductStreamId } from '@pc/domain';
import { maxPosition } from '@pc/event-store';
import { CommandPipeline, PreconditionFailed, type CommandContext } from '../commands/command-pipeline';
import type { WriteResult } from '../commands/write-result';
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
 * Amends the product first, with the request's id on the amendment, then records the request as
 * implemented. Only an approved request gets that far; if the product changed under it, the
 * amendment is refused and the request stays approved.
 */
@CommandHandler(ImplementChangeRequestCommand)
export class ImplementChangeRequestHandler implements ICommandHandler<ImplementChangeRequestCommand, WriteResult> {
  constructor(private readonly pipeline: CommandPipeline) {}

  async execute({ changeRequestId, context }: ImplementChangeRequestCommand): Promise<WriteResult> {
    const streamId = toChangeRequestStreamId(changeRequestId);
    const { state: changeRequest, revision } = await this.pipeline.load(streamId, changeRequestDecider);
    if (changeRequest.status === 'none') throw ChangeRequestErrors.notFound(changeRequestId);
    // If-Match names the request's revision: checked before the product is touched.
    if (context.ifMatch !== undefined && context.ifMatch !== revision) throw PreconditionFailed(context.ifMatch, revision);
    const amendment = changeRequest.status === 'implemented' ? null : amendmentFor(changeRequest, changeRequestId);
    const amended = amendment
      ? await this.pipeline.execute(toProductStreamId(amendment.productId), productDecider, amendment, {
          ...context,
          ifMatch: undefined,
          idempotency: undefined,
          deterministicIdSeed: `implement:${changeRequestId}`,
        })
      : null;
    const specificationVersion = amended?.state.status === 'registered' ? (amended.state.implementedChangeRequests[changeRequestId] ?? 0) : 0;
    const recorded = await this.pipeline.execute(
      streamId,
      changeRequestDecider,
      { type: 'RecordChangeRequestImplementation', changeRequestId, specificationVersion, implementedBy: context.principal.id },
      { ...context, ifMatch: undefined },
    );
    // Recording is idempotent for the process that completes it; a client implementing a request
    // that already was is refused, unless it is retrying with the Idempotency-Key that did it.
    if (changeRequest.status === 'implemented' && !recorded.replayed) throw ChangeRequestErrors.notApproved(changeRequest.status);
    return { id: changeRequestId, revision: recorded.revision, position: maxPosition(recorded.position, amended?.position ?? null) };
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
    return { id: changeRequestId, revision: outcome.revision, position: outcome.position };
  }
}
