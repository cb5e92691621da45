import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { changeRequestDecider, toChangeRequestStreamId, type DecisionOutcome } from '@pc/domain';
import { CommandPipeline, type CommandContext } from '../commands/command-pipeline';
import { toWriteResult, type WriteResult } from '../commands/write-result';
import { ChangeRequestLookups } from './change-request-lookups';

export class DecideChangeRequestCommand {
  constructor(
    readonly changeRequestId: string,
    readonly input: { outcome: DecisionOutcome; reason: string },
    readonly context: CommandContext,
  ) {}
}

@CommandHandler(DecideChangeRequestCommand)
export class DecideChangeRequestHandler implements ICommandHandler<DecideChangeRequestCommand, WriteResult> {
  constructor(
    private readonly pipeline: CommandPipeline,
    private readonly lookups: ChangeRequestLookups,
  ) {}

  async execute({ changeRequestId, input, context }: DecideChangeRequestCommand): Promise<WriteResult> {
    const productManagerId = await this.lookups.productManagerOf(changeRequestId);
    const outcome = await this.pipeline.execute(
      toChangeRequestStreamId(changeRequestId),
      changeRequestDecider,
      { type: 'DecideChangeRequest', changeRequestId, productManagerId, ...input },
      context,
    );
    return toWriteResult(changeRequestId, outcome);
  }
}
