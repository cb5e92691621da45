import type { IEvent } from '@nestjs/cqrs';
import type { Principal } from '@pc/domain';
import type { RecordedEvent } from '@pc/event-store';
import type { CommandContext } from '../commands/command-pipeline';

/** A committed event on the EventBus. Only the process runner publishes these, and only after the store has them. */
export class StoredEvent implements IEvent {
  constructor(readonly recorded: RecordedEvent) {}
}

export const processPrincipal = (processName: string): Principal => ({ id: `process:${processName}`, roles: [] });

/**
 * The context of a command a process issues in reaction to an event: caused by that event, in
 * its correlation, with event ids derived from it so a replay writes nothing new.
 */
export const processContext = (processName: string, cause: RecordedEvent): CommandContext => ({
  principal: processPrincipal(processName),
  correlationId: cause.metadata.correlationId,
  causationId: cause.eventId,
  deterministicIdSeed: `${processName}:${cause.eventId}`,
});
