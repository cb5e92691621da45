import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { sha256Hex } from '@pc/blob-store';
import { toChangeRequestStreamId, type ChangeRequestSubmitted } from '@pc/domain';
import { canonicalJson, EVENT_STORE, type EventStore, type RecordedEvent } from '@pc/event-store';
import { parseStreamId } from '@pc/projections';
import { deterministicId, type CommandContext } from '../commands/command-pipeline';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { ProcessTracker } from '../processes/process-tracker';
import { CLOSING_EVENTS } from './change-request-filing.saga';
import { DocumentCommands } from './document-commands';

export const CHANGE_REQUEST_RECORD_FORMAT = 'product-coordinator/change-request-record@1';

/** The record's document id follows from the request's: one record per request, whoever files it and however often. */
export const changeRequestRecordId = (changeRequestId: string): string => deterministicId('change-request-record', changeRequestId);

export class FileChangeRequestRecordCommand {
  constructor(
    /** The event that closed the request. */
    readonly closing: RecordedEvent,
    readonly context: CommandContext,
  ) {}
}

/**
 * Files the request's history up to and including the closing event, as canonical JSON of the
 * stored events (hashes included, so the record is itself verifiable), cross-referenced to the
 * request and its product. The bytes depend only on those events, so a replay stores the same
 * blob and files nothing new.
 */
@CommandHandler(FileChangeRequestRecordCommand)
export class FileChangeRequestRecordHandler implements ICommandHandler<FileChangeRequestRecordCommand, void> {
  constructor(
    private readonly commands: DocumentCommands,
    private readonly tracker: ProcessTracker,
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async execute({ closing, context }: FileChangeRequestRecordCommand): Promise<void> {
    await this.tracker.track(this.file(closing, context));
  }

  private async file(closing: RecordedEvent, context: CommandContext): Promise<void> {
    const changeRequestId = parseStreamId(closing.streamId).entityId;
    const history = (await this.eventStore.readStream(toChangeRequestStreamId(changeRequestId))).filter((event) => event.revision <= closing.revision);
    const submitted = history[0] as unknown as (RecordedEvent & ChangeRequestSubmitted) | undefined;
    if (submitted?.type !== 'ChangeRequestSubmitted') throw new Error(`Change request ${changeRequestId} has no submission to file a record of`);
    const closedAs = CLOSING_EVENTS[closing.type]!;
    const { productId, title } = submitted.data;
    const bytes = Buffer.from(
      canonicalJson({ format: CHANGE_REQUEST_RECORD_FORMAT, changeRequestId, productId, closedAs, streamId: closing.streamId, events: history }),
      'utf8',
    );
    const documentId = changeRequestRecordId(changeRequestId);
    await this.commands.execute(
      documentId,
      {
        type: 'FileChangeRequestRecord',
        documentId,
        title: `Change request record: ${title}`,
        content: { contentHash: sha256Hex(bytes), size: bytes.length, mediaType: 'application/json', fileName: `change-request-${changeRequestId}.json` },
        documentDate: closing.recordedAt.slice(0, 10),
        recordOf: { changeRequestId, productId, closedAs, eventCount: history.length, lastEventHash: closing.hash },
        retentionPeriod: this.config.retentionPeriods.change_request_record,
      },
      context,
      bytes,
    );
  }
}
