import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiHeader, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { IsNotBlank } from '../http/text.validators';
import type { Specification } from '@pc/domain';
import { Roles } from '../auth/authentication';
import type { CommandContext } from '../commands/command-pipeline';
import { WriteResult } from '../commands/write-result';
import { RequestCommandContext } from '../http/command-context.decorator';
import { IsSpecification } from '../http/specification.validators';
import { RegisterProductCommand } from './register-product.handler';

export class RegisterProductDto {
  @ApiProperty({ example: 'PC-1000', maxLength: 64 })
  @IsString()
  @Matches(/^\s*[A-Za-z0-9][A-Za-z0-9._\-/]{0,63}\s*$/, { message: 'sku must be 1-64 letters, digits or . _ - /, starting with a letter or digit' })
  readonly sku!: string;

  @ApiProperty({ maxLength: 200 })
  @IsString()
  @IsNotBlank()
  @MaxLength(200)
  readonly name!: string;

  @ApiPropertyOptional({ maxLength: 10000 })
  @IsOptional()
  @IsString()
  @MaxLength(10000)
  readonly description?: string;

  @ApiProperty({ description: 'User id of the product manager who decides on change requests', example: 'u-product-manager' })
  @IsString()
  @Matches(/^[A-Za-z0-9_.@-]{1,100}$/, { message: 'productManagerId must be a user id (1-100 letters, digits or _.@-)' })
  readonly productManagerId!: string;

  @ApiProperty({ type: 'object', additionalProperties: { oneOf: [{ type: 'string' }, { type: 'number' }, { type: 'boolean' }] }, example: { weightKg: 1.2, colour: 'red' } })
  @IsSpecification()
  readonly specification!: Specification;
}

@ApiTags('products')
@ApiBearerAuth()
@Controller('products')
export class RegisterProductController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post()
  @HttpCode(201)
  @Roles('coordinator')
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  async register(@Body() body: RegisterProductDto, @RequestCommandContext() context: CommandContext): Promise<WriteResult> {
    return this.commandBus.execute(
      new RegisterProductCommand(
        { sku: body.sku, name: body.name, description: body.description ?? '', productManagerId: body.productManagerId, specification: body.specification },
        context,
      ),
    );
  }
}
