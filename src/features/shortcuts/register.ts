/** Bolt wiring for the shortcuts. Each acks at once: the trigger_id lives 3 s. */
import type {
  AllMiddlewareArgs,
  GlobalShortcut,
  MessageShortcut,
  SlackShortcutMiddlewareArgs,
} from "@slack/bolt";
import type { BotContext } from "../../slack/context.ts";
import type { Listeners } from "../../slack/listeners.ts";
import { launchFromMessage, launchOrConnect, SHORTCUT, shortcutInteraction } from "./flow.ts";

type Args<S extends GlobalShortcut | MessageShortcut> = SlackShortcutMiddlewareArgs<S> &
  AllMiddlewareArgs;

/** Global shortcut "Launch Tallyfy process". */
export const launchShortcut =
  (bot: BotContext) =>
  async ({ ack, body, client }: Args<GlobalShortcut>) => {
    await ack();
    await launchOrConnect(bot, shortcutInteraction(bot, body, client));
  };

/** Message shortcut "Launch Tallyfy process": summary from the message, card in its thread. */
export const launchFromMessageShortcut =
  (bot: BotContext) =>
  async ({ ack, body, client }: Args<MessageShortcut>) => {
    await ack();
    await launchFromMessage(bot, shortcutInteraction(bot, body, client), body);
  };

export function registerShortcuts(app: Listeners, bot: BotContext): void {
  app.shortcut<GlobalShortcut>(
    { callback_id: SHORTCUT.launch, type: "shortcut" },
    launchShortcut(bot),
  );
  app.shortcut<MessageShortcut>(
    { callback_id: SHORTCUT.launchFromMessage, type: "message_action" },
    launchFromMessageShortcut(bot),
  );
}
