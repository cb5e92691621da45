import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { IsDateTime } from '../http/text.validators';
import { EVENT_STORE, type EventStore } from '@pc/event-store';
import { AUDIT_ENTRIES_COLLECTION, auditRecordOf, type AuditEntry, type AuditRecord } from '@pc/projections';
import { READ_STORE, type FieldCondition, type Page, type ReadStore } from '@pc/read-store';
import { Roles } from '../auth/authentication';
import { DEFAULT_PAGE_SIZE, ListQueryDto } from '../http/list-query.dto';

export class AuditQueryDto extends ListQueryDto {
  @ApiPropertyOptional({ description: 'Id of a product, change request, document…' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  readonly entityId?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(200)
  readonly actorId?: string;

  @ApiPropertyOptional({ example: 'ChangeRequestApproved' })
  @IsOptional()
  @Matches(/^[A-Za-z][A-Za-z0-9]{0,99}$/, { message: 'type must be an event type name such as ChangeRequestApproved' })
  readonly type?: string;

  @ApiPropertyOptional({ description: 'Recorded at or after this ISO 8601 moment' })
  @IsOptional()
  @IsDateTime()
  readonly from?: string;

  @ApiPropertyOptional({ description: 'Recorded at or before this ISO 8601 moment' })
  @IsOptional()
  @IsDateTime()
  readonly to?: string;
}

@ApiTags('audit')
@ApiBearerAuth()
@ApiHeader({ name: 'X-Min-Position', required: false, description: 'Wait until the read models include this position' })
@Controller('audit')
export class AuditController {
  constructor(
    @Inject(READ_STORE) private readonly readStore: ReadStore,
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
  ) {}

  /** Every recorded event, oldest first. */
  @Get()
  @Roles('auditor', 'admin', 'coordinator')
  async list(@Query() query: AuditQueryDto): Promise<Page<AuditRecord>> {
    const filter: Record<string, FieldCondition> = {};
    if (query.entityId) filter.entityId = query.entityId;
    if (query.actorId) filter.actorId = query.actorId;
    if (query.type) filter.type = query.type;
    if (query.from || query.to) {
      filter.recordedAt = {
        ...(query.from ? { gte: new Date(query.from).toISOString() } : {}),
        ...(query.to ? { lte: new Date(query.to).toISOString() } : {}),
      };
    }
    const page = await this.readStore.find<AuditEntry>(AUDIT_ENTRIES_COLLECTION, {
      filter,
      sort: { field: 'id', direction: 'asc' },
      limit: query.limit ?? DEFAULT_PAGE_SIZE,
      cursor: query.cursor ?? null,
    });
    // The read model finds and orders the entries; the events themselves are read from the log, where they cannot have changed.
    const events = await this.eventStore.readEventsAt(page.items.map(({ id }) => id));
    const items = page.items.map((entry, index) => {
      const event = events[index];
      if (event == null || event.eventId !== entry.eventId || event.streamId !== entry.streamId || event.revision !== entry.revision) {
        throw new Error(`Audit entry of event ${entry.eventId} points at position ${entry.id} (${entry.streamId}@${entry.revision}), which holds no such event`);
      }
      return auditRecordOf(event);
    });
    return { items, nextCursor: page.nextCursor };
  }
}
