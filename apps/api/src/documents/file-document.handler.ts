import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { DocumentClass, DocumentMedium, DocumentReference, PaperLocation } from '@pc/domain';
import { deterministicId, newId, type CommandContext } from '../commands/command-pipeline';
import { toWriteResult, type WriteResult } from '../commands/write-result';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { DocumentCommands, withContentInRequestHash } from './document-commands';
import { DocumentLookups } from './document-lookups';
import { storedContentOf, type UploadedBinary } from './upload';

export interface FileDocumentInput {
  readonly medium: DocumentMedium;
  readonly documentClass: DocumentClass;
  readonly title: string;
  readonly author: string;
  readonly documentDate: string | null;
  readonly tags: readonly string[];
  readonly references: readonly DocumentReference[];
  readonly upload: UploadedBinary | null;
  readonly location: PaperLocation | null;
}

export class FileDocumentCommand {
  constructor(
    readonly input: FileDocumentInput,
    readonly context: CommandContext,
  ) {}
}

@CommandHandler(FileDocumentCommand)
export class FileDocumentHandler implements ICommandHandler<FileDocumentCommand, WriteResult> {
  constructor(
    private readonly commands: DocumentCommands,
    private readonly lookups: DocumentLookups,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async execute({ input, context }: FileDocumentCommand): Promise<WriteResult> {
    // With an Idempotency-Key the document's id follows from the key, so a retry finds the stream its first attempt wrote.
    const documentId = context.idempotency ? deterministicId('document', context.principal.id, context.idempotency.key) : newId();
    const content = input.upload ? storedContentOf(input.upload) : null;
    const outcome = await this.commands.execute(
      documentId,
      {
        type: 'FileDocument',
        documentId,
        medium: input.medium,
        documentClass: input.documentClass,
        title: input.title,
        author: input.author,
        documentDate: input.documentDate,
        tags: input.tags,
        content,
        location: input.location,
        references: await this.lookups.check(input.references),
        retentionPeriod: this.config.retentionPeriods[input.documentClass],
      },
      withContentInRequestHash(context, content?.contentHash ?? null),
      input.upload?.buffer ?? null,
    );
    return toWriteResult(documentId, outcome);
  }
}
