import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiHeader, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { CHANGE_REQUEST_STATUSES, type ChangeRequestStatus } from '@pc/domain';
import type { ChangeRequestDetails, ChangeRequestSummary } from '@pc/projections';
import type { DocumentWithJson, Page } from '@pc/read-store';
import type { FastifyReply } from 'fastify';
import { answerWithStoredEntity } from '../http/entity-document';
import { ChangeRequestIdPipe } from '../http/ids';
import { DEFAULT_PAGE_SIZE, ListQueryDto } from '../http/list-query.dto';
import { GetChangeRequestQuery, ListChangeRequestsQuery } from './change-request-queries';

export class ListChangeRequestsQueryDto extends ListQueryDto {
  @ApiPropertyOptional({ enum: CHANGE_REQUEST_STATUSES })
  @IsOptional()
  @IsIn(CHANGE_REQUEST_STATUSES)
  readonly status?: ChangeRequestStatus;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(100)
  readonly productId?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(100)
  readonly requesterId?: string;
}

@ApiTags('change-requests')
@ApiBearerAuth()
@ApiHeader({ name: 'X-Min-Position', required: false, description: 'Wait until the read models include this position' })
@Controller('change-requests')
export class ChangeRequestQueriesController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get(':id')
  async get(@Param('id', ChangeRequestIdPipe) changeRequestId: string, @Res({ passthrough: true }) response: FastifyReply): Promise<string> {
    const changeRequest: DocumentWithJson<ChangeRequestDetails> = await this.queryBus.execute(new GetChangeRequestQuery(changeRequestId));
    return answerWithStoredEntity(response, changeRequest);
  }

  @Get()
  list(@Query() query: ListChangeRequestsQueryDto): Promise<Page<ChangeRequestSummary>> {
    const { status, productId, requesterId, limit, cursor } = query;
    return this.queryBus.execute(new ListChangeRequestsQuery({ status, productId, requesterId, limit: limit ?? DEFAULT_PAGE_SIZE, cursor }));
  }
}
