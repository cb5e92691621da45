import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { normalizeSku, productDecider, toProductStreamId, type Specification } from '@pc/domain';
import { CommandPipeline, deterministicId, type CommandContext } from '../commands/command-pipeline';
import { toWriteResult, type WriteResult } from '../commands/write-result';

export class RegisterProductCommand {
  constructor(
    readonly input: { sku: string; name: string; description: string; productManagerId: string; specification: Specification },
    readonly context: CommandContext,
  ) {}
}

/**
 * The product id is derived from the SKU, so the product stream is the SKU's reservation: a
 * second registration of the same SKU meets an existing stream, in the event store itself.
 */
export const productIdForSku = (sku: string): string => deterministicId('sku', normalizeSku(sku));

@CommandHandler(RegisterProductCommand)
export class RegisterProductHandler implements ICommandHandler<RegisterProductCommand, WriteResult> {
  constructor(private readonly pipeline: CommandPipeline) {}

  async execute({ input, context }: RegisterProductCommand): Promise<WriteResult> {
    const productId = productIdForSku(input.sku);
    const outcome = await this.pipeline.execute(toProductStreamId(productId), productDecider, { type: 'RegisterProduct', productId, ...input }, context);
    return toWriteResult(productId, outcome);
  }
}
