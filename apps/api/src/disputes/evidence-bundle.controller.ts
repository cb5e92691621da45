import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional, IsUUID } from 'class-validator';
import type { EvidenceBundle } from '@pc/event-store';
import type { FastifyReply } from 'fastify';
import { Roles } from '../auth/authentication';
import type { CommandContext } from '../commands/command-pipeline';
import { RequestCommandContext } from '../http/command-context.decorator';
import { RequestValidationError } from '../http/problem-details.filter';
import { EvidenceBundles } from './evidence-bundles';

export class BundleQueryDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'The product, its change requests and their documents' })
  @IsOptional()
  @IsUUID()
  readonly productId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'The change request, its product and its documents' })
  @IsOptional()
  @IsUUID()
  readonly changeRequestId?: string;

  @ApiPropertyOptional({ type: Boolean, default: false, description: 'Include each filed version’s bytes (base64); each inclusion is recorded as a retrieval' })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' || value === true ? true : value === 'false' || value === false ? false : value))
  @IsBoolean()
  readonly includeContents?: boolean;
}

@ApiTags('disputes')
@ApiBearerAuth()
@Controller('disputes')
export class EvidenceBundleController {
  constructor(private readonly bundles: EvidenceBundles) {}

  @Get('bundle')
  @Roles('auditor', 'admin')
  @ApiOperation({
    summary: 'Export an evidence bundle',
    description:
      'One JSON file: the events of the product (or change request), its change requests and their documents with their hash chains; document manifests with content hashes (contents with includeContents=true); ' +
      'the read-model views as of export; the signed log head; a manifest hash, signed. Verify it offline with `npm run verify-bundle -- <file>`.',
  })
  async bundle(@Query() query: BundleQueryDto, @RequestCommandContext() context: CommandContext, @Res({ passthrough: true }) response: FastifyReply): Promise<EvidenceBundle> {
    if (Boolean(query.productId) === Boolean(query.changeRequestId)) {
      throw new RequestValidationError([{ field: 'productId', messages: ['give either productId or changeRequestId'] }]);
    }
    const { principal, correlationId } = context;
    const bundle = await this.bundles.export({
      productId: query.productId?.toLowerCase(),
      changeRequestId: query.changeRequestId?.toLowerCase(),
      includeContents: query.includeContents ?? false,
      context: { principal, correlationId, causationId: null },
    });
    const subject = query.productId ? `product-${query.productId}` : `change-request-${query.changeRequestId}`;
    response.header('Content-Disposition', `attachment; filename="evidence-${subject}-${bundle.exportedAt.slice(0, 10)}.json"`);
    return bundle;
  }
}
