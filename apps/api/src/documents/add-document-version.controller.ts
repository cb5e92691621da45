import { Body, Controller, HttpCode, Param, Post, Req, UploadedFile, UseInterceptors } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiExtraModels, ApiHeader, ApiOkResponse, ApiOperation, ApiTags, getSchemaPath } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { Roles } from '../auth/authentication';
import type { CommandContext } from '../commands/command-pipeline';
import { WriteResult } from '../commands/write-result';
import { RequestCommandContext } from '../http/command-context.decorator';
import { AddDocumentVersionCommand } from './add-document-version.handler';
import { DocumentIdPipe } from './document-id.pipe';
import { AddDocumentVersionDto, VERSION_UPLOAD_SCHEMA } from './document-dtos';
import { metadataOf, type UploadedBinary, UploadInterceptor, UPLOADED_FILE } from './upload';

@ApiTags('documents')
@ApiBearerAuth()
@ApiExtraModels(AddDocumentVersionDto)
@Controller('documents')
export class AddDocumentVersionController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post(':id/versions')
  @HttpCode(200)
  @Roles('coordinator')
  @UseInterceptors(UploadInterceptor)
  @ApiOperation({
    summary: 'Add a version',
    description: 'Electronic documents: multipart/form-data with the new content as `file` (and optionally `metadata` {"note"}). Paper originals: JSON { location, note? }. Earlier versions stay retrievable.',
  })
  @ApiConsumes('multipart/form-data', 'application/json')
  @ApiBody({ schema: { oneOf: [VERSION_UPLOAD_SCHEMA, { $ref: getSchemaPath(AddDocumentVersionDto) }] } })
  @ApiHeader({ name: 'If-Match', required: false })
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  @ApiOkResponse({ type: WriteResult })
  async addVersion(
    @Param('id', DocumentIdPipe) documentId: string,
    @Req() request: FastifyRequest,
    @Body() body: unknown,
    @UploadedFile(UPLOADED_FILE) upload: UploadedBinary | undefined,
    @RequestCommandContext() context: CommandContext,
  ): Promise<WriteResult> {
    const metadata = await metadataOf(AddDocumentVersionDto, request, body);
    const { location } = metadata;
    return this.commandBus.execute(
      new AddDocumentVersionCommand(
        documentId,
        { upload: upload ?? null, location: location ? { site: location.site, cabinet: location.cabinet, box: location.box } : null, note: metadata.note ?? null },
        context,
      ),
    );
  }
}
