import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/authentication';
import type { CommandContext } from '../commands/command-pipeline';
import { WriteResult } from '../commands/write-result';
import { RequestCommandContext } from '../http/command-context.decorator';
import { LegalHoldDto } from './document-dtos';
import { DocumentIdPipe } from './document-id.pipe';
import { PlaceLegalHoldCommand, ReleaseLegalHoldCommand } from './legal-holds.handler';

@ApiTags('documents')
@ApiBearerAuth()
@Controller('documents')
export class LegalHoldsController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post(':id/legal-holds')
  @HttpCode(200)
  @Roles('admin')
  @ApiOperation({ summary: 'Place a legal hold for a named case', description: 'A document may be held for several cases; while any hold stands nobody can dispose of it. 409 if this case already holds it.' })
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  @ApiOkResponse({ type: WriteResult })
  place(@Param('id', DocumentIdPipe) documentId: string, @Body() body: LegalHoldDto, @RequestCommandContext() context: CommandContext): Promise<WriteResult> {
    return this.commandBus.execute(new PlaceLegalHoldCommand(documentId, body.caseId, body.reason, context));
  }

  @Post(':id/legal-hold-releases')
  @HttpCode(200)
  @Roles('admin')
  @ApiOperation({ summary: "Release a case's legal hold, with a reason", description: '404 if the case holds no hold on the document.' })
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  @ApiOkResponse({ type: WriteResult })
  release(@Param('id', DocumentIdPipe) documentId: string, @Body() body: LegalHoldDto, @RequestCommandContext() context: CommandContext): Promise<WriteResult> {
    return this.commandBus.execute(new ReleaseLegalHoldCommand(documentId, body.caseId, body.reason, context));
  }
}
