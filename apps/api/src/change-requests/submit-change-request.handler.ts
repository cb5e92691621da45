import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { changeRequestDecider, toChangeRequestStreamId, type FieldChange } from '@pc/domain';
import { CommandPipeline, deterministicId, newId, type CommandContext } from '../commands/command-pipeline';
import { toWriteResult, type WriteResult } from '../commands/write-result';
import { ChangeRequestLookups } from './change-request-lookups';

export class SubmitChangeRequestCommand {
  constructor(
    readonly input: { productId: string; title: string; description: string; changes: FieldChange[]; justification: string | null },
    readonly context: CommandContext,
  ) {}
}

@CommandHandler(SubmitChangeRequestCommand)
export class SubmitChangeRequestHandler implements ICommandHandler<SubmitChangeRequestCommand, WriteResult> {
  constructor(
    private readonly pipeline: CommandPipeline,
    private readonly lookups: ChangeRequestLookups,
  ) {}

  async execute({ input, context }: SubmitChangeRequestCommand): Promise<WriteResult> {
    // With an Idempotency-Key the new request's id follows from the key, so a retry finds the stream its first attempt wrote.
    const changeRequestId = context.idempotency
      ? deterministicId('change-request', context.principal.id, context.idempotency.key)
      : newId();
    const product = await this.lookups.product(input.productId);
    const outcome = await this.pipeline.execute(
      toChangeRequestStreamId(changeRequestId),
      changeRequestDecider,
      { type: 'SubmitChangeRequest', changeRequestId, product, ...input },
      context,
      // A newly issued id names a stream with nothing in it yet: no need to read it.
      { newStream: !context.idempotency },
    );
    return toWriteResult(changeRequestId, outcome);
  }
}
