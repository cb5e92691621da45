import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiHeader, ApiProperty, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsNumber, IsObject, IsString, Matches, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { IsNotBlank } from '../http/text.validators';
import type { Recommendation, Relevance } from '@pc/domain';
import { Roles } from '../auth/authentication';
import type { CommandContext } from '../commands/command-pipeline';
import { WriteResult } from '../commands/write-result';
import { RequestCommandContext } from '../http/command-context.decorator';
import { ChangeRequestIdPipe } from '../http/ids';
import { AssessChangeRequestCommand } from './assess-change-request.handler';

export class EstimatedCostDto {
  @ApiProperty({ minimum: 0, example: 12500 })
  @IsNumber({ allowNaN: false, allowInfinity: false, maxDecimalPlaces: 4 })
  @Min(0)
  @Max(1e15)
  readonly amount!: number;

  @ApiProperty({ description: 'ISO 4217 code', example: 'EUR' })
  @IsString()
  @Matches(/^[A-Z]{3}$/, { message: 'currency must be an ISO 4217 code of three capital letters, e.g. EUR' })
  readonly currency!: string;
}

export class AssessChangeRequestDto {
  @ApiProperty({ enum: ['low', 'medium', 'high'] })
  @IsIn(['low', 'medium', 'high'])
  readonly relevance!: Relevance;

  @ApiProperty({ maxLength: 10000 })
  @IsString()
  @IsNotBlank()
  @MaxLength(10000)
  readonly risks!: string;

  @ApiProperty({ maxLength: 10000 })
  @IsString()
  @IsNotBlank()
  @MaxLength(10000)
  readonly benefits!: string;

  @ApiProperty({ type: EstimatedCostDto })
  @IsObject()
  @ValidateNested()
  @Type(() => EstimatedCostDto)
  readonly estimatedCost!: EstimatedCostDto;

  @ApiProperty({ enum: ['approve', 'reject'] })
  @IsIn(['approve', 'reject'])
  readonly recommendation!: Recommendation;
}

@ApiTags('change-requests')
@ApiBearerAuth()
@Controller('change-requests')
export class AssessChangeRequestController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post(':id/assessment')
  @HttpCode(200)
  @Roles('coordinator')
  @ApiHeader({ name: 'If-Match', required: false })
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  assess(
    @Param('id', ChangeRequestIdPipe) changeRequestId: string,
    @Body() body: AssessChangeRequestDto,
    @RequestCommandContext() context: CommandContext,
  ): Promise<WriteResult> {
    const { relevance, risks, benefits, estimatedCost, recommendation } = body;
    return this.commandBus.execute(
      new AssessChangeRequestCommand(
        changeRequestId,
        { relevance, risks, benefits, estimatedCost: { amount: estimatedCost.amount, currency: estimatedCost.currency }, recommendation },
        context,
      ),
    );
  }
}
