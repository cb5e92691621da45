import { ApiProperty } from '@nestjs/swagger';

/** What every successful command answers. */
export class WriteResult {
  @ApiProperty({ description: "The entity's id" }) readonly id!: string;
  @ApiProperty({ description: "The entity's stream revision after the write; send it back as If-Match" }) readonly revision!: number;
  @ApiProperty({ description: 'Event store position of the write; send it as X-Min-Position to read your own write', nullable: true })
  readonly position!: string | null;
}

/** The answer to a command that wrote to (or replayed from) the entity's own stream. */
export function toWriteResult(id: string, outcome: { readonly revision: number; readonly position: string | null }): WriteResult {
  return { id, revision: outcome.revision, position: outcome.position };
}
