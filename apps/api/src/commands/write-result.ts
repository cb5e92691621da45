import { ApiProperty } from '@nestjs/swagger';

/** What every successful command answers. */
export class WriteResult {
  @ApiProperty({ description: "The entity's id" }) readonly id!: string;
  @ApiProperty({ description: "The entity's stream revision after the write; send it back as If-Match" }) readonly revision!: number;
  @ApiProperty({ description: 'Event store position of the write; send it as X-Min-Position to read your own write', nullable: true })
  readonly position!: string | null;
}
