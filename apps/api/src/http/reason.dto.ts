import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';
import { IsNotBlank } from './text.validators';

/** The reason the domain records with a decision, a withdrawal or a disposal. */
export class ReasonDto {
  @ApiProperty({ maxLength: 2000 })
  @IsString()
  @IsNotBlank()
  @MaxLength(2000)
  readonly reason!: string;
}
