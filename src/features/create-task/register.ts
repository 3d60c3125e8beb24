/** Bolt wiring for the "Create Tallyfy task" message shortcut and its form. */
import type { MessageShortcut, SlackShortcutMiddlewareArgs, ViewSubmitAction } from "@slack/bolt";
import { CREATE_TASK_SHORTCUT, TASK_VIEW } from "../../blocks/tasks/ids.ts";
import type { BotContext } from "../../slack/context.ts";
import { formListener } from "../../slack/form-submission.ts";
import { payloadInteraction } from "../../slack/interaction.ts";
import type { Listeners } from "../../slack/listeners.ts";
import type { WebClient } from "../../slack/web-client.ts";
import { openCreateTask } from "./flow.ts";
import { messageMarkup } from "./message.ts";
import { createTaskForm } from "./submit.ts";

type ShortcutArgs = SlackShortcutMiddlewareArgs<MessageShortcut> & { client: WebClient };

/** "Create Tallyfy task" picked from a message's More actions menu. */
export const createTaskShortcut =
  (bot: BotContext) =>
  async ({ ack, shortcut, client }: ShortcutArgs): Promise<void> => {
    await ack();
    const m = shortcut.message;
    const threadTs = typeof m.thread_ts === "string" && m.thread_ts ? m.thread_ts : m.ts;
    await openCreateTask(bot, payloadInteraction(bot, shortcut, client), {
      channelId: shortcut.channel.id,
      ts: m.ts,
      threadTs,
      markup: messageMarkup(m),
    });
  };

export function registerCreateTask(app: Listeners, bot: BotContext): void {
  app.shortcut<MessageShortcut>(
    { type: "message_action", callback_id: CREATE_TASK_SHORTCUT },
    createTaskShortcut(bot),
  );
  app.view<ViewSubmitAction>(TASK_VIEW.create, formListener(bot, createTaskForm));
}
