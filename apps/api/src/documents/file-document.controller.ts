import { Body, Controller, HttpCode, Post, Req, UploadedFile, UseInterceptors } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiCreatedResponse, ApiExtraModels, ApiHeader, ApiOperation, ApiTags, getSchemaPath } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { Roles } from '../auth/authentication';
import type { CommandContext } from '../commands/command-pipeline';
import { WriteResult } from '../commands/write-result';
import { RequestCommandContext } from '../http/command-context.decorator';
import { FILE_UPLOAD_SCHEMA, FileDocumentDto } from './document-dtos';
import { FileDocumentCommand } from './file-document.handler';
import { metadataOf, uploadKindOf, type UploadedBinary, UploadInterceptor, UPLOADED_FILE } from './upload';

@ApiTags('documents')
@ApiBearerAuth()
@ApiExtraModels(FileDocumentDto)
@Controller('documents')
export class FileDocumentController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post()
  @HttpCode(201)
  @Roles('coordinator')
  @UseInterceptors(UploadInterceptor)
  @ApiOperation({
    summary: 'File a document',
    description:
      'Electronic: multipart/form-data with the content as `file` and the metadata as a JSON `metadata` part; the content is stored by its SHA-256. ' +
      'Paper original: application/json with the metadata and its `location`. 413 beyond MAX_UPLOAD_BYTES; 422 when a referenced product, change request or document does not exist.',
  })
  @ApiConsumes('multipart/form-data', 'application/json')
  @ApiBody({ schema: { oneOf: [FILE_UPLOAD_SCHEMA, { $ref: getSchemaPath(FileDocumentDto) }] } })
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  @ApiCreatedResponse({ type: WriteResult })
  async file(
    @Req() request: FastifyRequest,
    @Body() body: unknown,
    @UploadedFile(UPLOADED_FILE) upload: UploadedBinary | undefined,
    @RequestCommandContext() context: CommandContext,
  ): Promise<WriteResult> {
    const kind = uploadKindOf(request);
    const metadata = await metadataOf(FileDocumentDto, request, body);
    return this.commandBus.execute(
      new FileDocumentCommand(
        {
          medium: kind === 'multipart' ? 'electronic' : 'paper',
          documentClass: metadata.documentClass,
          title: metadata.title,
          author: metadata.author,
          documentDate: metadata.documentDate ?? null,
          tags: metadata.tags ?? [],
          references: (metadata.references ?? []).map(({ targetType, targetId, relation }) => ({ targetType, targetId, relation })),
          upload: upload ?? null,
          location: metadata.location ? { site: metadata.location.site, cabinet: metadata.location.cabinet, box: metadata.location.box } : null,
        },
        context,
      ),
    );
  }
}
