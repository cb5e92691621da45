import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { DOCUMENT_CLASSES, type DocumentClass } from '@pc/domain';
import type { DocumentDetails } from '@pc/projections';
import type { DocumentWithJson, Page } from '@pc/read-store';
import type { FastifyReply } from 'fastify';
import { answerWithStoredEntity } from '../http/entity-document';
import { ChangeRequestIdPipe, ProductIdPipe } from '../http/ids';
import { DEFAULT_PAGE_SIZE, ListQueryDto } from '../http/list-query.dto';
import { DocumentIdPipe } from './document-id.pipe';
import {
  GetDocumentQuery,
  ListReferencesQuery,
  MAX_SEARCH_CANDIDATES,
  SearchDocumentsQuery,
  type DocumentSummary,
  type IncomingReference,
  type OutgoingReference,
} from './document-queries';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const asList = ({ value }: { value: unknown }) => (value === undefined ? undefined : (Array.isArray(value) ? value : [value]).flatMap((item) => String(item).split(',')).filter((item) => item.trim() !== ''));

export class SearchDocumentsQueryDto extends ListQueryDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Documents cross-referenced to this product' })
  @IsOptional()
  @IsUUID()
  readonly productId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Documents cross-referenced to this change request' })
  @IsOptional()
  @IsUUID()
  readonly changeRequestId?: string;

  @ApiPropertyOptional({ enum: DOCUMENT_CLASSES })
  @IsOptional()
  @IsIn(DOCUMENT_CLASSES)
  readonly documentClass?: DocumentClass;

  @ApiPropertyOptional({ enum: ['filed', 'disposed'] })
  @IsOptional()
  @IsIn(['filed', 'disposed'])
  readonly status?: 'filed' | 'disposed';

  @ApiPropertyOptional({ type: [String], description: 'Every tag given must be on the document (repeat the parameter or separate by commas)' })
  @IsOptional()
  @Transform(asList)
  @IsArray()
  @ArrayMaxSize(10)
  @IsString({ each: true })
  @MaxLength(50, { each: true })
  readonly tag?: string[];

  @ApiPropertyOptional({ description: 'Words that must all be in the title (case and accents ignored)', maxLength: 300 })
  @IsOptional()
  @IsString()
  @MaxLength(300)
  readonly q?: string;

  @ApiPropertyOptional({ example: '2026-01-01', description: 'Document date on or after' })
  @IsOptional()
  @Matches(DATE, { message: 'from must be a date YYYY-MM-DD' })
  readonly from?: string;

  @ApiPropertyOptional({ example: '2026-12-31', description: 'Document date on or before' })
  @IsOptional()
  @Matches(DATE, { message: 'to must be a date YYYY-MM-DD' })
  readonly to?: string;
}

const READ_HEADER = { name: 'X-Min-Position', required: false, description: 'Wait until the read models include this position' };

@ApiTags('documents')
@ApiBearerAuth()
@ApiHeader(READ_HEADER)
@Controller('documents')
export class DocumentQueriesController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get()
  @ApiOperation({
    summary: 'Search documents',
    description:
      'By product, change request, class, status, tags, title words and document date; newest document date first; cursor pagination. ' +
      `More than ${MAX_SEARCH_CANDIDATES} documents carrying every product, change request, tag and title word given: 422 DOCUMENT.SEARCH_TOO_BROAD (narrow the search).`,
  })
  search(@Query() query: SearchDocumentsQueryDto): Promise<Page<DocumentSummary>> {
    return this.queryBus.execute(
      new SearchDocumentsQuery({
        productId: query.productId?.toLowerCase(),
        changeRequestId: query.changeRequestId?.toLowerCase(),
        documentClass: query.documentClass,
        status: query.status,
        tags: query.tag ?? [],
        words: query.q ?? '',
        from: query.from,
        to: query.to,
        limit: query.limit ?? DEFAULT_PAGE_SIZE,
        cursor: query.cursor,
      }),
    );
  }

  @Get(':id')
  @ApiOperation({ summary: 'A document: metadata, every version with its hash or location, its references, holds, retention and disposal' })
  async get(@Param('id', DocumentIdPipe) documentId: string, @Res({ passthrough: true }) response: FastifyReply): Promise<string> {
    const document: DocumentWithJson<DocumentDetails> = await this.queryBus.execute(new GetDocumentQuery(documentId));
    return answerWithStoredEntity(response, document);
  }

  @Get(':id/references')
  @ApiOperation({ summary: 'What the document references (products, change requests, documents), oldest first' })
  references(@Param('id', DocumentIdPipe) documentId: string, @Query() query: ListQueryDto): Promise<Page<OutgoingReference>> {
    return this.queryBus.execute(new ListReferencesQuery('from-document', 'document', documentId, { limit: query.limit ?? DEFAULT_PAGE_SIZE, cursor: query.cursor }));
  }

  @Get(':id/referenced-by')
  @ApiOperation({ summary: 'The documents that reference this one (supersede it, support it, refer to it)' })
  referencedBy(@Param('id', DocumentIdPipe) documentId: string, @Query() query: ListQueryDto): Promise<Page<IncomingReference>> {
    return this.queryBus.execute(new ListReferencesQuery('to-target', 'document', documentId, { limit: query.limit ?? DEFAULT_PAGE_SIZE, cursor: query.cursor }));
  }
}

@ApiTags('products')
@ApiBearerAuth()
@ApiHeader(READ_HEADER)
@Controller('products')
export class ProductDocumentsController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get(':id/documents')
  @ApiOperation({ summary: "The product's documents: every cross-reference to it, with the document" })
  list(@Param('id', ProductIdPipe) productId: string, @Query() query: ListQueryDto): Promise<Page<IncomingReference>> {
    return this.queryBus.execute(new ListReferencesQuery('to-target', 'product', productId, { limit: query.limit ?? DEFAULT_PAGE_SIZE, cursor: query.cursor }));
  }
}

@ApiTags('change-requests')
@ApiBearerAuth()
@ApiHeader(READ_HEADER)
@Controller('change-requests')
export class ChangeRequestDocumentsController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get(':id/documents')
  @ApiOperation({ summary: "The change request's documents, its filed record included" })
  list(@Param('id', ChangeRequestIdPipe) changeRequestId: string, @Query() query: ListQueryDto): Promise<Page<IncomingReference>> {
    return this.queryBus.execute(new ListReferencesQuery('to-target', 'change_request', changeRequestId, { limit: query.limit ?? DEFAULT_PAGE_SIZE, cursor: query.cursor }));
  }
}
