import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiHeader, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsOptional, IsString, Matches, MaxLength, ValidateNested } from 'class-validator';
import { IsNotBlank } from '../http/text.validators';
import type { SpecificationValue } from '@pc/domain';
import { Roles } from '../auth/authentication';
import type { CommandContext } from '../commands/command-pipeline';
import { WriteResult } from '../commands/write-result';
import { RequestCommandContext } from '../http/command-context.decorator';
import { FIELD_NAME_PATTERN, IsSpecificationValue } from '../http/specification.validators';
import { SubmitChangeRequestCommand } from './submit-change-request.handler';

export class FieldChangeDto {
  @ApiProperty({ example: 'weightKg' })
  @IsString()
  @Matches(FIELD_NAME_PATTERN, { message: 'field must start with a letter and use at most 100 letters, digits or _ . -' })
  readonly field!: string;

  @ApiProperty({ oneOf: [{ type: 'string' }, { type: 'number' }, { type: 'boolean' }], example: 1.1 })
  @IsSpecificationValue()
  readonly proposedValue!: SpecificationValue;
}

export class SubmitChangeRequestDto {
  @ApiProperty({ format: 'uuid' })
  @IsString()
  @MaxLength(100)
  readonly productId!: string;

  @ApiProperty({ maxLength: 200 })
  @IsString()
  @IsNotBlank()
  @MaxLength(200)
  readonly title!: string;

  @ApiProperty({ maxLength: 10000 })
  @IsString()
  @IsNotBlank()
  @MaxLength(10000)
  readonly description!: string;

  @ApiProperty({ type: [FieldChangeDto], minItems: 1, maxItems: 100 })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => FieldChangeDto)
  readonly changes!: FieldChangeDto[];

  @ApiPropertyOptional({ maxLength: 10000 })
  @IsOptional()
  @IsString()
  @MaxLength(10000)
  readonly justification?: string;
}

@ApiTags('change-requests')
@ApiBearerAuth()
@Controller('change-requests')
export class SubmitChangeRequestController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post()
  @HttpCode(201)
  @Roles('requester', 'coordinator')
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  submit(@Body() body: SubmitChangeRequestDto, @RequestCommandContext() context: CommandContext): Promise<WriteResult> {
    return this.commandBus.execute(
      new SubmitChangeRequestCommand(
        {
          productId: body.productId,
          title: body.title,
          description: body.description,
          changes: body.changes.map(({ field, proposedValue }) => ({ field, proposedValue })),
          justification: body.justification ?? null,
        },
        context,
      ),
    );
  }
}
