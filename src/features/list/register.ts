/** Bolt wiring for the list: its Previous / Next buttons. */
import type { BlockAction, ButtonAction } from "@slack/bolt";
import { decodeListState, LIST_PAGE_ACTIONS } from "../../blocks/ids.ts";
import { buttonListener } from "../../slack/button.ts";
import type { BotContext } from "../../slack/context.ts";
import type { Listeners } from "../../slack/listeners.ts";
import { turnPage } from "./flow.ts";

export const pageClicked = (bot: BotContext) =>
  buttonListener(bot, "list", (click) => turnPage(bot, click, decodeListState(click.value)), {
    valueIsRunId: false,
    queued: true,
  });

export function registerList(app: Listeners, bot: BotContext): void {
  app.action<BlockAction<ButtonAction>>(LIST_PAGE_ACTIONS, pageClicked(bot));
}
