import { Injectable } from '@nestjs/common';
import { type IEvent, ofType, Saga } from '@nestjs/cqrs';
import { parseStreamId } from '@pc/projections';
import { filter, map, type Observable } from 'rxjs';
import { processContext, StoredEvent } from '../processes/stored-event';
import { FileChangeRequestRecordCommand } from './file-change-request-record.handler';

export const CHANGE_REQUEST_FILING_PROCESS = 'change-request-filing';

/** The events that close a change request: nothing happens to it after them. */
export const CLOSING_EVENTS: Readonly<Record<string, string>> = {
  ChangeRequestImplemented: 'implemented',
  ChangeRequestRejected: 'rejected',
  ChangeRequestWithdrawn: 'withdrawn',
};

/** When a change request closes, its full history is filed as a document, without anyone having to remember it. */
@Injectable()
export class ChangeRequestFilingSaga {
  @Saga()
  changeRequestClosed = (events$: Observable<IEvent>): Observable<FileChangeRequestRecordCommand> =>
    events$.pipe(
      ofType(StoredEvent),
      filter(({ recorded }) => Object.hasOwn(CLOSING_EVENTS, recorded.type) && parseStreamId(recorded.streamId).category === 'change-request'),
      map(({ recorded }) => new FileChangeRequestRecordCommand(recorded, processContext(CHANGE_REQUEST_FILING_PROCESS, recorded))),
    );
}
