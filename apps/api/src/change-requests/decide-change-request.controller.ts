import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiHeader, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsIn, IsString, MaxLength } from 'class-validator';
import { IsNotBlank } from '../http/text.validators';
import type { DecisionOutcome } from '@pc/domain';
import { Roles } from '../auth/authentication';
import type { CommandContext } from '../commands/command-pipeline';
import { WriteResult } from '../commands/write-result';
import { RequestCommandContext } from '../http/command-context.decorator';
import { ChangeRequestIdPipe } from '../http/ids';
import { DecideChangeRequestCommand } from './decide-change-request.handler';

export class DecideChangeRequestDto {
  @ApiProperty({ enum: ['approved', 'rejected'] })
  @IsIn(['approved', 'rejected'])
  readonly outcome!: DecisionOutcome;

  @ApiProperty({ maxLength: 2000 })
  @IsString()
  @IsNotBlank()
  @MaxLength(2000)
  readonly reason!: string;
}

@ApiTags('change-requests')
@ApiBearerAuth()
@Controller('change-requests')
export class DecideChangeRequestController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post(':id/decision')
  @HttpCode(200)
  @Roles('product_manager')
  @ApiHeader({ name: 'If-Match', required: false })
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  decide(
    @Param('id', ChangeRequestIdPipe) changeRequestId: string,
    @Body() body: DecideChangeRequestDto,
    @RequestCommandContext() context: CommandContext,
  ): Promise<WriteResult> {
    return this.commandBus.execute(new DecideChangeRequestCommand(changeRequestId, { outcome: body.outcome, reason: body.reason }, context));
  }
}
