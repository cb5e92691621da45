import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiHeader, ApiTags } from '@nestjs/swagger';
import type { CommandContext } from '../commands/command-pipeline';
import { WriteResult } from '../commands/write-result';
import { RequestCommandContext } from '../http/command-context.decorator';
import { ChangeRequestIdPipe } from '../http/ids';
import { ReasonDto } from '../http/reason.dto';
import { WithdrawChangeRequestCommand } from './withdraw-change-request.handler';

@ApiTags('change-requests')
@ApiBearerAuth()
@Controller('change-requests')
export class WithdrawChangeRequestController {
  constructor(private readonly commandBus: CommandBus) {}

  /** Open to every role: the rule that only the requester withdraws is the domain's. */
  @Post(':id/withdrawal')
  @HttpCode(200)
  @ApiHeader({ name: 'If-Match', required: false })
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  withdraw(
    @Param('id', ChangeRequestIdPipe) changeRequestId: string,
    @Body() body: ReasonDto,
    @RequestCommandContext() context: CommandContext,
  ): Promise<WriteResult> {
    return this.commandBus.execute(new WithdrawChangeRequestCommand(changeRequestId, body.reason, context));
  }
}
