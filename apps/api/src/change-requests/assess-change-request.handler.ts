import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { changeRequestDecider, toChangeRequestStreamId, type Assessment } from '@pc/domain';
import { CommandPipeline, type CommandContext } from '../commands/command-pipeline';
import { toWriteResult, type WriteResult } from '../commands/write-result';

export class AssessChangeRequestCommand {
  constructor(
    readonly changeRequestId: string,
    readonly assessment: Assessment,
    readonly context: CommandContext,
  ) {}
}

@CommandHandler(AssessChangeRequestCommand)
export class AssessChangeRequestHandler implements ICommandHandler<AssessChangeRequestCommand, WriteResult> {
  constructor(private readonly pipeline: CommandPipeline) {}

  async execute({ changeRequestId, assessment, context }: AssessChangeRequestCommand): Promise<WriteResult> {
    const streamId = toChangeRequestStreamId(changeRequestId);
    const outcome = await this.pipeline.execute(streamId, changeRequestDecider, { type: 'AssessChangeRequest', changeRequestId, assessment }, context);
    return toWriteResult(changeRequestId, outcome);
  }
}
