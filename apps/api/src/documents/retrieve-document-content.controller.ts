import { Controller, Get, Param, Query, Res, StreamableFile } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiPropertyOptional, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import type { FastifyReply } from 'fastify';
import type { CommandContext } from '../commands/command-pipeline';
import { RequestCommandContext } from '../http/command-context.decorator';
import { DocumentIdPipe } from './document-id.pipe';
import { RetrieveDocumentContentCommand, type RetrievedContent } from './retrieve-document-content.handler';

export class RetrieveContentQueryDto {
  @ApiPropertyOptional({ minimum: 1, description: 'Default: the latest version' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  readonly version?: number;
}

/** RFC 6266: an ASCII fallback and the UTF-8 name. */
const contentDisposition = (fileName: string) =>
  `attachment; filename="${fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;

@ApiTags('documents')
@ApiBearerAuth()
@Controller('documents')
export class RetrieveDocumentContentController {
  constructor(private readonly commandBus: CommandBus) {}

  @Get(':id/content')
  @ApiOperation({
    summary: "Retrieve a version's content",
    description:
      'Any authenticated user. Every retrieval is recorded as a DocumentContentRetrieved event (who, when, which version) before the bytes are sent. ' +
      'Headers: X-Content-SHA256, X-Document-Version, X-Retrieval-Position. 409 for a disposed document or a paper original (whose location is named).',
  })
  @ApiProduces('application/octet-stream')
  @ApiOkResponse({ description: 'The bytes, as uploaded' })
  async retrieve(
    @Param('id', DocumentIdPipe) documentId: string,
    @Query() query: RetrieveContentQueryDto,
    @RequestCommandContext() context: CommandContext,
    @Res({ passthrough: true }) response: FastifyReply,
  ): Promise<StreamableFile> {
    // A read takes no If-Match or Idempotency-Key: every retrieval is its own fact.
    const { principal, correlationId } = context;
    const content: RetrievedContent = await this.commandBus.execute(
      new RetrieveDocumentContentCommand(documentId, query.version ?? null, 'download', { principal, correlationId, causationId: null }),
    );
    response.header('X-Content-SHA256', content.contentHash);
    response.header('X-Document-Version', String(content.version));
    if (content.position) response.header('X-Retrieval-Position', content.position);
    response.header('ETag', `"sha256:${content.contentHash}"`);
    response.header('Cache-Control', 'no-store');
    return new StreamableFile(content.bytes, { type: content.mediaType, disposition: contentDisposition(content.fileName), length: content.bytes.length });
  }
}
