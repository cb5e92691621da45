import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { changeRequestDecider, toChangeRequestStreamId } from '@pc/domain';
import { CommandPipeline, type CommandContext } from '../commands/command-pipeline';
import { toWriteResult, type WriteResult } from '../commands/write-result';

export class WithdrawChangeRequestCommand {
  constructor(
    readonly changeRequestId: string,
    readonly reason: string,
    readonly context: CommandContext,
  ) {}
}

@CommandHandler(WithdrawChangeRequestCommand)
export class WithdrawChangeRequestHandler implements ICommandHandler<WithdrawChangeRequestCommand, WriteResult> {
  constructor(private readonly pipeline: CommandPipeline) {}

  async execute({ changeRequestId, reason, context }: WithdrawChangeRequestCommand): Promise<WriteResult> {
    const streamId = toChangeRequestStreamId(changeRequestId);
    const outcome = await this.pipeline.execute(streamId, changeRequestDecider, { type: 'WithdrawChangeRequest', changeRequestId, reason }, context);
    return toWriteResult(changeRequestId, outcome);
  }
}
