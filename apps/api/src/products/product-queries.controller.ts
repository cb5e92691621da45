import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiHeader, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { IsDateTime } from '../http/text.validators';
import { PRODUCT_STAGES, type ProductStage } from '@pc/domain';
import type { ProductDetails } from '@pc/projections';
import type { DocumentWithJson, Page } from '@pc/read-store';
import type { FastifyReply } from 'fastify';
import { answerWithEntity, answerWithStoredEntity } from '../http/entity-document';
import { ProductIdPipe } from '../http/ids';
import { DEFAULT_PAGE_SIZE, ListQueryDto } from '../http/list-query.dto';
import { GetProductAsOfQuery, GetProductQuery, ListProductsQuery } from './product-queries';

export class GetProductQueryDto {
  @ApiPropertyOptional({ description: 'ISO 8601 moment: the product as it stood then, rebuilt from the events', example: '2026-01-31T12:00:00Z' })
  @IsOptional()
  @IsDateTime()
  readonly asOf?: string;
}

export class ListProductsQueryDto extends ListQueryDto {
  @ApiPropertyOptional({ enum: PRODUCT_STAGES })
  @IsOptional()
  @IsIn(PRODUCT_STAGES)
  readonly stage?: ProductStage;
}

@ApiTags('products')
@ApiBearerAuth()
@ApiHeader({ name: 'X-Min-Position', required: false, description: 'Wait until the read models include this position' })
@Controller('products')
export class ProductQueriesController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get(':id')
  async get(
    @Param('id', ProductIdPipe) productId: string,
    @Query() query: GetProductQueryDto,
    @Res({ passthrough: true }) response: FastifyReply,
  ): Promise<ProductDetails | string> {
    if (query.asOf) {
      const asItStood: ProductDetails = await this.queryBus.execute(new GetProductAsOfQuery(productId, new Date(query.asOf)));
      return answerWithEntity(response, asItStood);
    }
    const product: DocumentWithJson<ProductDetails> = await this.queryBus.execute(new GetProductQuery(productId));
    return answerWithStoredEntity(response, product);
  }

  @Get()
  list(@Query() query: ListProductsQueryDto): Promise<Page<ProductDetails>> {
    return this.queryBus.execute(new ListProductsQuery({ stage: query.stage, limit: query.limit ?? DEFAULT_PAGE_SIZE, cursor: query.cursor }));
  }
}
