import { Injectable } from '@nestjs/common';
import {
  ChangeRequestErrors,
  changeRequestDecider,
  productDecider,
  toChangeRequestStreamId,
  toProductStreamId,
  type ExistingChangeRequest,
  type RegisteredProduct,
} from '@pc/domain';
import { CommandPipeline } from '../commands/command-pipeline';

/** The facts a change-request decision needs from other streams, read from the event store, never from a read model. */
@Injectable()
export class ChangeRequestLookups {
  constructor(private readonly pipeline: CommandPipeline) {}

  async product(productId: string): Promise<RegisteredProduct | null> {
    const { state } = await this.pipeline.load(toProductStreamId(productId), productDecider);
    return state.status === 'registered' ? state : null;
  }

  async changeRequest(changeRequestId: string): Promise<ExistingChangeRequest> {
    const { state } = await this.pipeline.load(toChangeRequestStreamId(changeRequestId), changeRequestDecider);
    if (state.status === 'none') throw ChangeRequestErrors.notFound(changeRequestId);
    return state;
  }

  /** The manager of the product a change request is about. */
  async productManagerOf(changeRequestId: string): Promise<string> {
    const changeRequest = await this.changeRequest(changeRequestId);
    const product = await this.product(changeRequest.productId);
    if (!product) throw ChangeRequestErrors.productUnknown(changeRequest.productId);
    return product.productManagerId;
  }
}
