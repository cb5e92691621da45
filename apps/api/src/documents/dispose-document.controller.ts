import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/authentication';
import type { CommandContext } from '../commands/command-pipeline';
import { WriteResult } from '../commands/write-result';
import { RequestCommandContext } from '../http/command-context.decorator';
import { DisposeDocumentCommand } from './dispose-document.handler';
import { ReasonDto } from '../http/reason.dto';
import { DocumentIdPipe } from './document-id.pipe';

@ApiTags('documents')
@ApiBearerAuth()
@Controller('documents')
export class DisposeDocumentController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post(':id/disposal')
  @HttpCode(200)
  @Roles('admin')
  @ApiOperation({
    summary: 'Dispose of a document',
    description:
      'Removes the content of every version and keeps the record that the document existed, who disposed of it and why. ' +
      '409 DOCUMENT.UNDER_LEGAL_HOLD (naming the cases) while any hold stands, 409 DOCUMENT.UNDER_RETENTION (naming the date) before the retention period of its class ends — for everyone, admins included.',
  })
  @ApiHeader({ name: 'If-Match', required: false })
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  @ApiOkResponse({ type: WriteResult })
  dispose(@Param('id', DocumentIdPipe) documentId: string, @Body() body: ReasonDto, @RequestCommandContext() context: CommandContext): Promise<WriteResult> {
    return this.commandBus.execute(new DisposeDocumentCommand(documentId, body.reason, context));
  }
}
