import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { canonicalJson } from '@pc/event-store';
import { documentDecider, toDocumentStreamId, type DocumentCommand, type DocumentState } from '@pc/domain';
import { CLOCK, type Clock } from '../commands/clock';
import { assertIfMatch, CommandPipeline, type CommandContext, type CommandOutcome } from '../commands/command-pipeline';
import { DocumentContents } from './document-contents';

/**
 * Runs document commands through the command pipeline. A command that carries content is first
 * checked against the current stream, so that neither a refusal nor a retry stores a blob: an
 * Idempotency-Key already answered gets its first answer (or, used for another request, its
 * refusal), a stale If-Match its 412, and the command is decided once. Only then is the blob
 * stored and the command run for real, with the content policy of DocumentContents around it.
 */
@Injectable()
export class DocumentCommands {
  constructor(
    private readonly pipeline: CommandPipeline,
    private readonly contents: DocumentContents,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute(documentId: string, command: DocumentCommand, context: CommandContext, bytes: Buffer | null = null): Promise<CommandOutcome<DocumentState>> {
    const streamId = toDocumentStreamId(documentId);
    if (bytes === null) return this.pipeline.execute(streamId, documentDecider, command, context);
    const loaded = await this.pipeline.load(streamId, documentDecider);
    const { state } = loaded;
    // The first answer was recorded with its content stored: nothing to store again.
    const replay = this.pipeline.idempotentReplay(streamId, loaded, context);
    if (replay) return replay;
    // Refused now rather than after the bytes are stored: removing them again would read the whole log.
    assertIfMatch(context, loaded.revision);
    const wouldWrite = documentDecider.decide(command, state, { now: this.clock(), actor: context.principal });
    if (wouldWrite.length === 0) return this.pipeline.execute(streamId, documentDecider, command, context);
    return this.contents.storeFor(bytes, async () => {
      const outcome = await this.pipeline.execute(streamId, documentDecider, command, context);
      return { result: outcome, wroteEvent: outcome.written.length > 0 || outcome.replayed };
    });
  }
}

/** An Idempotency-Key on an upload covers the bytes too: the same key with another file is another request. */
export function withContentInRequestHash(context: CommandContext, contentHash: string | null): CommandContext {
  if (!context.idempotency || contentHash === null) return context;
  const requestHash = createHash('sha256').update(canonicalJson({ request: context.idempotency.requestHash, contentHash })).digest('hex');
  return { ...context, idempotency: { ...context.idempotency, requestHash } };
}
