import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { inboxDecider, toNotificationStreamId, type NotifyApplicant } from '@pc/domain';
import { CommandPipeline, type CommandContext } from '../commands/command-pipeline';
import { ProcessTracker } from '../processes/process-tracker';

export class NotifyApplicantCommand {
  constructor(
    readonly notification: Omit<NotifyApplicant, 'type'>,
    readonly context: CommandContext,
  ) {}
}

@CommandHandler(NotifyApplicantCommand)
export class NotifyApplicantHandler implements ICommandHandler<NotifyApplicantCommand, void> {
  constructor(
    private readonly pipeline: CommandPipeline,
    private readonly tracker: ProcessTracker,
  ) {}

  async execute({ notification, context }: NotifyApplicantCommand): Promise<void> {
    await this.tracker.track(
      this.pipeline.execute(toNotificationStreamId(notification.recipientId), inboxDecider, { type: 'NotifyApplicant', ...notification }, context),
    );
  }
}
