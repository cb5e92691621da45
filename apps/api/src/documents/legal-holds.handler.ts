import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { CommandContext } from '../commands/command-pipeline';
import { toWriteResult, type WriteResult } from '../commands/write-result';
import { DocumentCommands } from './document-commands';

export class PlaceLegalHoldCommand {
  constructor(
    readonly documentId: string,
    readonly caseId: string,
    readonly reason: string,
    readonly context: CommandContext,
  ) {}
}

export class ReleaseLegalHoldCommand {
  constructor(
    readonly documentId: string,
    readonly caseId: string,
    readonly reason: string,
    readonly context: CommandContext,
  ) {}
}

@CommandHandler(PlaceLegalHoldCommand)
export class PlaceLegalHoldHandler implements ICommandHandler<PlaceLegalHoldCommand, WriteResult> {
  constructor(private readonly commands: DocumentCommands) {}

  async execute({ documentId, caseId, reason, context }: PlaceLegalHoldCommand): Promise<WriteResult> {
    const outcome = await this.commands.execute(documentId, { type: 'PlaceLegalHold', documentId, caseId, reason }, context);
    return toWriteResult(documentId, outcome);
  }
}

@CommandHandler(ReleaseLegalHoldCommand)
export class ReleaseLegalHoldHandler implements ICommandHandler<ReleaseLegalHoldCommand, WriteResult> {
  constructor(private readonly commands: DocumentCommands) {}

  async execute({ documentId, caseId, reason, context }: ReleaseLegalHoldCommand): Promise<WriteResult> {
    const outcome = await this.commands.execute(documentId, { type: 'ReleaseLegalHold', documentId, caseId, reason }, context);
    return toWriteResult(documentId, outcome);
  }
}
