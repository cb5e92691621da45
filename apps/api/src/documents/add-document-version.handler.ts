import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { PaperLocation } from '@pc/domain';
import type { CommandContext } from '../commands/command-pipeline';
import { toWriteResult, type WriteResult } from '../commands/write-result';
import { DocumentCommands, withContentInRequestHash } from './document-commands';
import { storedContentOf, type UploadedBinary } from './upload';

export class AddDocumentVersionCommand {
  constructor(
    readonly documentId: string,
    readonly input: { upload: UploadedBinary | null; location: PaperLocation | null; note: string | null },
    readonly context: CommandContext,
  ) {}
}

@CommandHandler(AddDocumentVersionCommand)
export class AddDocumentVersionHandler implements ICommandHandler<AddDocumentVersionCommand, WriteResult> {
  constructor(private readonly commands: DocumentCommands) {}

  async execute({ documentId, input, context }: AddDocumentVersionCommand): Promise<WriteResult> {
    const content = input.upload ? storedContentOf(input.upload) : null;
    const outcome = await this.commands.execute(
      documentId,
      { type: 'AddDocumentVersion', documentId, content, location: input.location, note: input.note },
      withContentInRequestHash(context, content?.contentHash ?? null),
      input.upload?.buffer ?? null,
    );
    return toWriteResult(documentId, outcome);
  }
}
