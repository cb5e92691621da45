import { Injectable } from '@nestjs/common';
import {
  changeRequestDecider,
  documentDecider,
  productDecider,
  toChangeRequestStreamId,
  toDocumentStreamId,
  toProductStreamId,
  type CheckedReference,
  type DocumentReference,
  type ReferenceTargetType,
} from '@pc/domain';
import { CommandPipeline } from '../commands/command-pipeline';
import { isUuid } from '../http/ids';

/** Whether the targets of cross-references exist, read from the event store, never from a read model. */
@Injectable()
export class DocumentLookups {
  constructor(private readonly pipeline: CommandPipeline) {}

  async exists(targetType: ReferenceTargetType, targetId: string): Promise<boolean> {
    if (!isUuid(targetId)) return false;
    switch (targetType) {
      case 'product':
        return (await this.pipeline.load(toProductStreamId(targetId), productDecider)).state.status === 'registered';
      case 'change_request':
        return (await this.pipeline.load(toChangeRequestStreamId(targetId), changeRequestDecider)).state.status !== 'none';
      case 'document':
        return (await this.pipeline.load(toDocumentStreamId(targetId), documentDecider)).state.status !== 'none';
    }
  }

  async check(references: readonly DocumentReference[]): Promise<CheckedReference[]> {
    return Promise.all(references.map(async (reference) => ({ ...reference, targetId: reference.targetId.toLowerCase(), targetExists: await this.exists(reference.targetType, reference.targetId.toLowerCase()) })));
  }
}
