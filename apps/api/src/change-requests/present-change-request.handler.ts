import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { changeRequestDecider, toChangeRequestStreamId } from '@pc/domain';
import { CommandPipeline, type CommandContext } from '../commands/command-pipeline';
import { toWriteResult, type WriteResult } from '../commands/write-result';
import { ChangeRequestLookups } from './change-request-lookups';

export class PresentChangeRequestCommand {
  constructor(
    readonly changeRequestId: string,
    readonly context: CommandContext,
  ) {}
}

@CommandHandler(PresentChangeRequestCommand)
export class PresentChangeRequestHandler implements ICommandHandler<PresentChangeRequestCommand, WriteResult> {
  constructor(
    private readonly pipeline: CommandPipeline,
    private readonly lookups: ChangeRequestLookups,
  ) {}

  async execute({ changeRequestId, context }: PresentChangeRequestCommand): Promise<WriteResult> {
    const productManagerId = await this.lookups.productManagerOf(changeRequestId);
    const outcome = await this.pipeline.execute(
      toChangeRequestStreamId(changeRequestId),
      changeRequestDecider,
      { type: 'PresentChangeRequest', changeRequestId, productManagerId },
      context,
    );
    return toWriteResult(changeRequestId, outcome);
  }
}
