import { Controller, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiHeader, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/authentication';
import type { CommandContext } from '../commands/command-pipeline';
import { WriteResult } from '../commands/write-result';
import { RequestCommandContext } from '../http/command-context.decorator';
import { ChangeRequestIdPipe } from '../http/ids';
import { ImplementChangeRequestCommand } from './implement-change-request.handler';


@ApiTags('change-requests')
@ApiBearerAuth()
@Controller('change-requests')
export class ImplementChangeRequestController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post(':id/implementation')
  @HttpCode(200)
  @Roles('coordinator')
  @ApiHeader({ name: 'If-Match', required: false })
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  implement(
    @Param('id', ChangeRequestIdPipe) changeRequestId: string,
    @RequestCommandContext() context: CommandContext,
  ): Promise<WriteResult> {
    return this.commandBus.execute(new ImplementChangeRequestCommand(changeRequestId, context));
  }
}
