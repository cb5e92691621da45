import { Body, Controller, Get, HttpCode, Inject, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsObject, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { CHECKPOINT_FORMAT, type SignedCheckpoint } from '@pc/event-store';
import { Roles } from '../auth/authentication';
import { CLOCK, type Clock } from '../commands/clock';
import { DEFAULT_SWEEP_GRACE_MS, DocumentContents, type SweepResult } from '../documents/document-contents';
import { RequestValidationError } from '../http/problem-details.filter';
import { LogIntegrity, type VerificationReport } from './log-integrity';
import { SigningKey } from './signing-key';

export class VerifyQueryDto {
  @ApiPropertyOptional({ description: 'One stream, e.g. document-<id> or product-<id>; default: the whole log', example: 'product-3f1c9a52-8a1e-4c55-9d0e-2b7f4b1a6e01' })
  @IsOptional()
  @IsString()
  @Matches(/^[a-z]+(?:-[a-z]+)*-[A-Za-z0-9:._-]{1,200}$/, { message: 'streamId must be a stream name such as product-<id>' })
  @MaxLength(250)
  readonly streamId?: string;
}

export class CheckpointQueryDto {
  @ApiPropertyOptional({ enum: ['none', 'all'], default: 'none', description: 'all: also commit to the head of every stream' })
  @IsOptional()
  @IsIn(['none', 'all'])
  readonly streams?: 'none' | 'all';
}

/** A checkpoint as GET /api/audit/checkpoint gave it, posted back unchanged. */
export class SignedCheckpointDto {
  @ApiProperty({ description: `{ format: "${CHECKPOINT_FORMAT}", issuedAt, log: { eventCount, headPosition, logHash }, streams? }` })
  @IsObject()
  readonly checkpoint!: Record<string, unknown>;

  @ApiProperty({ description: '{ algorithm: "Ed25519", keyId, publicKey, value }' })
  @IsObject()
  readonly signature!: Record<string, unknown>;
}

export class SweepQueryDto {
  @ApiPropertyOptional({ minimum: 0, default: DEFAULT_SWEEP_GRACE_MS / 1000, description: 'Spare blobs stored more recently than this many seconds ago' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(365 * 24 * 3600)
  readonly olderThanSeconds?: number;
}

const HEX_HASH = /^[0-9a-f]{64}$/;

/** `{ [streamId]: { revision, hash } }`, as a checkpoint with `streams=all` carries them. */
const isStreamHeads = (value: unknown): boolean =>
  typeof value === 'object' &&
  value !== null &&
  !Array.isArray(value) &&
  Object.values(value).every((head: { revision?: unknown; hash?: unknown } | null) => {
    if (typeof head !== 'object' || head === null) return false;
    return Number.isSafeInteger(head.revision) && (head.revision as number) >= 0 && typeof head.hash === 'string' && HEX_HASH.test(head.hash);
  });

const isSignature = (signature: Record<string, unknown>): boolean =>
  ['algorithm', 'keyId', 'publicKey', 'value'].every((field) => typeof signature[field] === 'string' && (signature[field] as string).length <= 4096);

function asSignedCheckpoint(body: SignedCheckpointDto): SignedCheckpoint {
  const { checkpoint } = body;
  const log = checkpoint.log as Record<string, unknown> | undefined;
  const wellFormed =
    checkpoint.format === CHECKPOINT_FORMAT &&
    typeof checkpoint.issuedAt === 'string' &&
    typeof log === 'object' &&
    log !== null &&
    Number.isSafeInteger(log.eventCount) &&
    (log.eventCount as number) >= 0 &&
    (log.headPosition === null || typeof log.headPosition === 'string') &&
    (log.logHash === null || typeof log.logHash === 'string') &&
    (checkpoint.streams === undefined || isStreamHeads(checkpoint.streams)) &&
    isSignature(body.signature);
  if (!wellFormed) throw new RequestValidationError([{ field: 'checkpoint', messages: [`must be a checkpoint of format ${CHECKPOINT_FORMAT} as GET /api/audit/checkpoint returns it`] }]);
  return body as unknown as SignedCheckpoint;
}

@ApiTags('audit')
@ApiBearerAuth()
@Controller('audit')
export class AuditIntegrityController {
  constructor(
    private readonly integrity: LogIntegrity,
    private readonly signingKey: SigningKey,
    private readonly contents: DocumentContents,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get('verify')
  @Roles('auditor', 'admin')
  @ApiOperation({
    summary: 'Recompute the hash chains and the content hashes',
    description: 'Of one stream (?streamId=) or of the whole log. Names the first break; `ok` is false when anything does not verify. Lists blobs no filed document names (`blobs.orphaned`).',
  })
  verify(@Query() query: VerifyQueryDto): Promise<VerificationReport> {
    return query.streamId ? this.integrity.verifyStream(query.streamId) : this.integrity.verifyLog();
  }

  @Post('verify')
  @HttpCode(200)
  @Roles('auditor', 'admin')
  @ApiOperation({
    summary: 'Verify the whole log against a signed checkpoint kept outside the system',
    description: 'Catches a rewritten or truncated history: the log must still hold, unchanged, every event the checkpoint commits to.',
  })
  @ApiBody({ type: SignedCheckpointDto })
  verifyAgainst(@Body() body: SignedCheckpointDto): Promise<VerificationReport> {
    return this.integrity.verifyLog(asSignedCheckpoint(body));
  }

  @Get('checkpoint')
  @Roles('auditor', 'admin')
  @ApiOperation({
    summary: 'A signed checkpoint of the log head, to keep outside the system',
    description: 'Ed25519 over the canonical JSON of { format, issuedAt, log: { eventCount, headPosition, logHash }, streams? }. logHash is the running hash over every event hash in position order.',
  })
  checkpoint(@Query() query: CheckpointQueryDto): Promise<SignedCheckpoint> {
    return this.integrity.checkpoint({ streams: query.streams === 'all' ? 'all' : undefined });
  }

  @Get('public-key')
  @Roles('auditor', 'admin')
  @ApiOperation({ summary: 'The public key checkpoints and bundles are signed with, and its id' })
  publicKey(): { algorithm: 'Ed25519'; keyId: string; publicKey: string } {
    return { algorithm: 'Ed25519', keyId: this.signingKey.keyId, publicKey: this.signingKey.publicKeyPem };
  }

  @Post('blobs/sweep')
  @HttpCode(200)
  @Roles('admin')
  @ApiOperation({ summary: 'Remove stored content no filed document names', description: 'Blobs left by a crash between storing the content and recording its event, or content of disposed documents whose removal failed.' })
  sweep(@Query() query: SweepQueryDto): Promise<SweepResult> {
    return this.contents.sweep((query.olderThanSeconds ?? DEFAULT_SWEEP_GRACE_MS / 1000) * 1000, this.clock());
  }
}
