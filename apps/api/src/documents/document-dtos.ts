import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsOptional, IsString, Matches, MaxLength, ValidateNested } from 'class-validator';
import { ReasonDto } from '../http/reason.dto';
import { IsNotBlank } from '../http/text.validators';
import { DOCUMENT_CLASSES, REFERENCE_RELATIONS, REFERENCE_TARGET_TYPES, type DocumentClass, type ReferenceRelation, type ReferenceTargetType } from '@pc/domain';

export class PaperLocationDto {
  @ApiProperty({ example: 'Lyon plant', maxLength: 200 })
  @IsString()
  @IsNotBlank()
  @MaxLength(200)
  readonly site!: string;

  @ApiProperty({ example: 'C-7', maxLength: 200 })
  @IsString()
  @IsNotBlank()
  @MaxLength(200)
  readonly cabinet!: string;

  @ApiProperty({ example: '12', maxLength: 200 })
  @IsString()
  @IsNotBlank()
  @MaxLength(200)
  readonly box!: string;
}

export class DocumentReferenceDto {
  @ApiProperty({ enum: REFERENCE_TARGET_TYPES })
  @IsIn(REFERENCE_TARGET_TYPES)
  readonly targetType!: ReferenceTargetType;

  @ApiProperty({ format: 'uuid', description: 'Id of the product, change request or document' })
  @IsString()
  @IsNotBlank()
  @MaxLength(100)
  readonly targetId!: string;

  @ApiProperty({ enum: REFERENCE_RELATIONS })
  @IsIn(REFERENCE_RELATIONS)
  readonly relation!: ReferenceRelation;
}

/** The metadata of a document being filed: the `metadata` part of a multipart upload, or the JSON body of a paper original. */
export class FileDocumentDto {
  @ApiProperty({ enum: DOCUMENT_CLASSES.filter((documentClass) => documentClass !== 'change_request_record'), description: 'change_request_record is filed by the system only' })
  @IsIn(DOCUMENT_CLASSES)
  readonly documentClass!: DocumentClass;

  @ApiProperty({ maxLength: 300, example: 'Supply contract with Acme' })
  @IsString()
  @IsNotBlank()
  @MaxLength(300)
  readonly title!: string;

  @ApiProperty({ maxLength: 200, example: 'Legal department' })
  @IsString()
  @IsNotBlank()
  @MaxLength(200)
  readonly author!: string;

  @ApiPropertyOptional({ example: '2026-01-31', description: 'The date the document bears; default: the filing day' })
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'documentDate must be a date YYYY-MM-DD' })
  readonly documentDate?: string;

  @ApiPropertyOptional({ type: [String], maxItems: 30, example: ['supplier', 'eu'], description: 'Letters, digits, _ . - ; compared in lower case' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(30)
  @IsString({ each: true })
  @MaxLength(50, { each: true })
  readonly tags?: string[];

  @ApiPropertyOptional({ type: [DocumentReferenceDto], maxItems: 50, description: 'Cross-references made at filing; each target must exist (422)' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => DocumentReferenceDto)
  readonly references?: DocumentReferenceDto[];

  @ApiPropertyOptional({ type: PaperLocationDto, description: 'Paper originals only (JSON body): where the original is kept' })
  @IsOptional()
  @ValidateNested()
  @Type(() => PaperLocationDto)
  readonly location?: PaperLocationDto;
}

/** A new version: the `metadata` part next to the uploaded `file`, or the JSON body naming another paper original. */
export class AddDocumentVersionDto {
  @ApiPropertyOptional({ maxLength: 2000, example: 'Countersigned copy' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  readonly note?: string;

  @ApiPropertyOptional({ type: PaperLocationDto, description: 'Paper originals only (JSON body)' })
  @IsOptional()
  @ValidateNested()
  @Type(() => PaperLocationDto)
  readonly location?: PaperLocationDto;
}

export class LegalHoldDto extends ReasonDto {
  @ApiProperty({ maxLength: 200, example: 'CASE-2026-014', description: 'The case the hold is for' })
  @IsString()
  @IsNotBlank()
  @MaxLength(200)
  readonly caseId!: string;
}

/** Multipart request bodies, for the OpenAPI document. */
export const FILE_UPLOAD_SCHEMA = {
  type: 'object',
  required: ['file', 'metadata'],
  properties: {
    file: { type: 'string', format: 'binary', description: 'The content; larger than MAX_UPLOAD_BYTES is a 413' },
    metadata: { type: 'string', description: 'JSON: { documentClass, title, author, documentDate?, tags?, references? }' },
  },
};

export const VERSION_UPLOAD_SCHEMA = {
  type: 'object',
  required: ['file'],
  properties: {
    file: { type: 'string', format: 'binary' },
    metadata: { type: 'string', description: 'JSON: { note? }' },
  },
};
