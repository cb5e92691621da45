import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiHeader, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsIn, IsString, MaxLength } from 'class-validator';
import { IsNotBlank } from '../http/text.validators';
import { PRODUCT_STAGES, type ProductStage } from '@pc/domain';
import { Roles } from '../auth/authentication';
import type { CommandContext } from '../commands/command-pipeline';
import { WriteResult } from '../commands/write-result';
import { RequestCommandContext } from '../http/command-context.decorator';
import { ProductIdPipe } from '../http/ids';
import { AdvanceProductStageCommand } from './advance-product-stage.handler';

export class AdvanceProductStageDto {
  @ApiProperty({ enum: PRODUCT_STAGES, description: 'The next stage: stages move forward one at a time' })
  @IsIn(PRODUCT_STAGES)
  readonly stage!: ProductStage;

  @ApiProperty({ maxLength: 2000 })
  @IsString()
  @IsNotBlank()
  @MaxLength(2000)
  readonly reason!: string;
}

@ApiTags('products')
@ApiBearerAuth()
@Controller('products')
export class AdvanceProductStageController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post(':id/stage')
  @HttpCode(200)
  @Roles('coordinator')
  @ApiHeader({ name: 'If-Match', required: false })
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  async advance(
    @Param('id', ProductIdPipe) productId: string,
    @Body() body: AdvanceProductStageDto,
    @RequestCommandContext() context: CommandContext,
  ): Promise<WriteResult> {
    return this.commandBus.execute(new AdvanceProductStageCommand(productId, { stage: body.stage, reason: body.reason }, context));
  }
}
