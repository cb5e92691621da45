import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { DocumentReference } from '@pc/domain';
import type { CommandContext } from '../commands/command-pipeline';
import { toWriteResult, type WriteResult } from '../commands/write-result';
import { DocumentCommands } from './document-commands';
import { DocumentLookups } from './document-lookups';

export class CrossReferenceDocumentCommand {
  constructor(
    readonly documentId: string,
    readonly reference: DocumentReference,
    readonly context: CommandContext,
  ) {}
}

@CommandHandler(CrossReferenceDocumentCommand)
export class CrossReferenceDocumentHandler implements ICommandHandler<CrossReferenceDocumentCommand, WriteResult> {
  constructor(
    private readonly commands: DocumentCommands,
    private readonly lookups: DocumentLookups,
  ) {}

  async execute({ documentId, reference, context }: CrossReferenceDocumentCommand): Promise<WriteResult> {
    const [checked] = await this.lookups.check([reference]);
    const outcome = await this.commands.execute(documentId, { type: 'CrossReferenceDocument', documentId, reference: checked! }, context);
    return toWriteResult(documentId, outcome);
  }
}
