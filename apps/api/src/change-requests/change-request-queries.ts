import { Inject } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { ChangeRequestErrors, type ChangeRequestStatus } from '@pc/domain';
import {
  CHANGE_REQUEST_SUMMARIES_COLLECTION,
  CHANGE_REQUESTS_COLLECTION,
  type ChangeRequestDetails,
  type ChangeRequestSummary,
} from '@pc/projections';
import { READ_STORE, type DocumentWithJson, type Filter, type Page, type ReadStore } from '@pc/read-store';

export class GetChangeRequestQuery {
  constructor(readonly changeRequestId: string) {}
}

export class ListChangeRequestsQuery {
  constructor(readonly options: { status?: ChangeRequestStatus; productId?: string; requesterId?: string; limit: number; cursor?: string }) {}
}

@QueryHandler(GetChangeRequestQuery)
export class GetChangeRequestHandler implements IQueryHandler<GetChangeRequestQuery, DocumentWithJson<ChangeRequestDetails>> {
  constructor(@Inject(READ_STORE) private readonly readStore: ReadStore) {}

  async execute({ changeRequestId }: GetChangeRequestQuery): Promise<DocumentWithJson<ChangeRequestDetails>> {
    const changeRequest = await this.readStore.getWithJson<ChangeRequestDetails>(CHANGE_REQUESTS_COLLECTION, changeRequestId);
    if (!changeRequest) throw ChangeRequestErrors.notFound(changeRequestId);
    return changeRequest;
  }
}

@QueryHandler(ListChangeRequestsQuery)
export class ListChangeRequestsHandler implements IQueryHandler<ListChangeRequestsQuery, Page<ChangeRequestSummary>> {
  constructor(@Inject(READ_STORE) private readonly readStore: ReadStore) {}

  execute({ options: { status, productId, requesterId, limit, cursor } }: ListChangeRequestsQuery): Promise<Page<ChangeRequestSummary>> {
    const filter: Record<string, string> = {};
    if (status) filter.status = status;
    if (productId) filter.productId = productId;
    if (requesterId) filter.requesterId = requesterId;
    return this.readStore.find<ChangeRequestSummary>(CHANGE_REQUEST_SUMMARIES_COLLECTION, {
      filter: filter as Filter,
      sort: { field: 'submittedAt', direction: 'asc' },
      limit,
      cursor: cursor ?? null,
    });
  }
}
