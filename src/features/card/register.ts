/** Bolt wiring for status cards: their buttons, and the list's View button. */
import type { BlockAction, ButtonAction, SlackActionMiddlewareArgs } from "@slack/bolt";
import { ACTION } from "../../blocks/ids.ts";
import { buttonListener } from "../../slack/button.ts";
import type { BotContext } from "../../slack/context.ts";
import type { Listeners } from "../../slack/listeners.ts";
import { openEdit } from "../edit/flow.ts";
import { cardLocationOf } from "./cards.ts";
import { actOnCard, viewFromList } from "./flow.ts";
import type { RunActionKind } from "./run-actions.ts";

/** Clicks act as the person who clicks, not the person who posted the card. */
export const cardActionClicked = (bot: BotContext, kind: RunActionKind) =>
  buttonListener(bot, kind, (click) => actOnCard(bot, click, kind), { queued: true });

export const updateClicked = (bot: BotContext) =>
  buttonListener(bot, "update", (click) =>
    openEdit(
      bot,
      click.interaction,
      click.value,
      cardLocationOf(click.body, click.interaction.respond),
    ),
  );

export const viewClicked = (bot: BotContext) =>
  buttonListener(bot, "view", (click) => viewFromList(bot, click), { queued: true });

/** The Open button is a link; Slack still sends the click, which only needs an ack. */
export const linkClicked = async ({ ack }: SlackActionMiddlewareArgs) => {
  await ack();
};

export function registerCard(app: Listeners, bot: BotContext): void {
  app.action<BlockAction<ButtonAction>>(ACTION.archive, cardActionClicked(bot, "archive"));
  app.action<BlockAction<ButtonAction>>(ACTION.activate, cardActionClicked(bot, "activate"));
  app.action<BlockAction<ButtonAction>>(ACTION.refresh, cardActionClicked(bot, "refresh"));
  app.action<BlockAction<ButtonAction>>(ACTION.update, updateClicked(bot));
  app.action(ACTION.open, linkClicked);
  app.action<BlockAction<ButtonAction>>(ACTION.view, viewClicked(bot));
}
