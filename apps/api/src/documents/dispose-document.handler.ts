import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { documentDecider, toDocumentStreamId, type DocumentDisposed } from '@pc/domain';
import { CommandPipeline, type CommandContext } from '../commands/command-pipeline';
import { toWriteResult, type WriteResult } from '../commands/write-result';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { DocumentContents } from './document-contents';

export class DisposeDocumentCommand {
  constructor(
    readonly documentId: string,
    readonly reason: string,
    readonly context: CommandContext,
  ) {}
}

/**
 * Records the disposal, then removes the content it names. The event comes first: content may be
 * removed only once the log says why; a removal that fails leaves a blob the verifier lists and
 * the sweep removes.
 */
@CommandHandler(DisposeDocumentCommand)
export class DisposeDocumentHandler implements ICommandHandler<DisposeDocumentCommand, WriteResult> {
  constructor(
    private readonly pipeline: CommandPipeline,
    private readonly contents: DocumentContents,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async execute({ documentId, reason, context }: DisposeDocumentCommand): Promise<WriteResult> {
    const streamId = toDocumentStreamId(documentId);
    const { state } = await this.pipeline.load(streamId, documentDecider);
    const retentionPeriod = state.status === 'none' ? this.config.retentionPeriods.other : this.config.retentionPeriods[state.documentClass];
    const outcome = await this.pipeline.execute(streamId, documentDecider, { type: 'DisposeDocument', documentId, reason, retentionPeriod }, context);
    const disposed = outcome.written.find((event): event is DocumentDisposed => event.type === 'DocumentDisposed');
    // One read of the log answers for every version's content.
    if (disposed?.data.contentRemoved.length) {
      await this.contents.removeUnreferenced(
        disposed.data.contentRemoved.map(({ contentHash }) => contentHash),
        `document ${documentId} was disposed of`,
      );
    }
    return toWriteResult(documentId, outcome);
  }
}
