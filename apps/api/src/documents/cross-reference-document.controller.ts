import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/authentication';
import type { CommandContext } from '../commands/command-pipeline';
import { WriteResult } from '../commands/write-result';
import { RequestCommandContext } from '../http/command-context.decorator';
import { CrossReferenceDocumentCommand } from './cross-reference-document.handler';
import { DocumentReferenceDto } from './document-dtos';
import { DocumentIdPipe } from './document-id.pipe';

@ApiTags('documents')
@ApiBearerAuth()
@Controller('documents')
export class CrossReferenceDocumentController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post(':id/references')
  @HttpCode(200)
  @Roles('coordinator')
  @ApiOperation({ summary: 'Cross-reference a document to a product, a change request or another document', description: '422 when the target does not exist; the same reference again records nothing.' })
  @ApiHeader({ name: 'If-Match', required: false })
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  @ApiOkResponse({ type: WriteResult })
  reference(@Param('id', DocumentIdPipe) documentId: string, @Body() body: DocumentReferenceDto, @RequestCommandContext() context: CommandContext): Promise<WriteResult> {
    return this.commandBus.execute(new CrossReferenceDocumentCommand(documentId, { targetType: body.targetType, targetId: body.targetId, relation: body.relation }, context));
  }
}
