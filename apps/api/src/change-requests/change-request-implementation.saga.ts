import { Injectable } from '@nestjs/common';
import { type IEvent, ofType, Saga } from '@nestjs/cqrs';
import type { ProductSpecificationAmended } from '@pc/domain';
import { filter, map, type Observable } from 'rxjs';
import { processContext, StoredEvent } from '../processes/stored-event';
import { RecordChangeRequestImplementationCommand } from './implement-change-request.handler';

const PROCESS = 'change-request-implementation';

/**
 * Implementation writes the product's amendment, then the request's record. If a crash falls
 * between the two, this completes the record from the amendment; otherwise it finds it done.
 */
@Injectable()
export class ChangeRequestImplementationSaga {
  @Saga()
  specificationAmended = (events$: Observable<IEvent>): Observable<RecordChangeRequestImplementationCommand> =>
    events$.pipe(
      ofType(StoredEvent),
      filter(({ recorded }) => recorded.type === 'ProductSpecificationAmended'),
      map(({ recorded }) => {
        const { changeRequestId, specificationVersion } = (recorded as unknown as ProductSpecificationAmended).data;
        return new RecordChangeRequestImplementationCommand(changeRequestId, specificationVersion, recorded.metadata.actor.id, processContext(PROCESS, recorded));
      }),
    );
}
