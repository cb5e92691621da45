import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { productDecider, toProductStreamId, type ProductStage } from '@pc/domain';
import { CommandPipeline, type CommandContext } from '../commands/command-pipeline';
import { toWriteResult, type WriteResult } from '../commands/write-result';

export class AdvanceProductStageCommand {
  constructor(
    readonly productId: string,
    readonly input: { stage: ProductStage; reason: string },
    readonly context: CommandContext,
  ) {}
}

@CommandHandler(AdvanceProductStageCommand)
export class AdvanceProductStageHandler implements ICommandHandler<AdvanceProductStageCommand, WriteResult> {
  constructor(private readonly pipeline: CommandPipeline) {}

  async execute({ productId, input, context }: AdvanceProductStageCommand): Promise<WriteResult> {
    const outcome = await this.pipeline.execute(toProductStreamId(productId), productDecider, { type: 'AdvanceProductStage', productId, ...input }, context);
    return toWriteResult(productId, outcome);
  }
}
