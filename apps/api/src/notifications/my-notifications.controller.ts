import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiTags } from '@nestjs/swagger';
import type { Principal } from '@pc/domain';
import { NOTIFICATIONS_COLLECTION, type UserNotification } from '@pc/projections';
import { READ_STORE, type Page, type ReadStore } from '@pc/read-store';
import { CurrentPrincipal } from '../auth/authentication';
import { DEFAULT_PAGE_SIZE, ListQueryDto } from '../http/list-query.dto';

type NotificationView = Omit<UserNotification, 'recipientId'>;

@ApiTags('notifications')
@ApiBearerAuth()
@ApiHeader({ name: 'X-Min-Position', required: false, description: 'Wait until the read models include this position' })
@Controller('me/notifications')
export class MyNotificationsController {
  constructor(@Inject(READ_STORE) private readonly readStore: ReadStore) {}

  /** The caller's own notifications, newest first. */
  @Get()
  async list(@CurrentPrincipal() principal: Principal, @Query() query: ListQueryDto): Promise<Page<NotificationView>> {
    const page = await this.readStore.find<UserNotification>(NOTIFICATIONS_COLLECTION, {
      filter: { recipientId: principal.id },
      sort: { field: 'at', direction: 'desc' },
      limit: query.limit ?? DEFAULT_PAGE_SIZE,
      cursor: query.cursor ?? null,
    });
    return { items: page.items.map(({ recipientId: _recipient, ...notification }) => notification), nextCursor: page.nextCursor };
  }
}
