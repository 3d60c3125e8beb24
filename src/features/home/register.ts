/** Bolt wiring for the Home tab: opening it, and its own buttons (Launch, View, Refresh). */
import type {
  AllMiddlewareArgs,
  BlockAction,
  ButtonAction,
  SlackEventMiddlewareArgs,
} from "@slack/bolt";
import { HOME_ACTION } from "../../blocks/home.ts";
import { type ButtonArgs, buttonListener } from "../../slack/button.ts";
import type { BotContext } from "../../slack/context.ts";
import type { Listeners } from "../../slack/listeners.ts";
import { launchOrConnect } from "../shortcuts/flow.ts";
import { homeOpened, refreshHome } from "./flow.ts";
import { homeInteraction, viewRunFromHome } from "./view-run.ts";

/** app_home_opened (Bolt acked it already): the Home tab only, not the Messages tab. */
export const homeTabOpened =
  (bot: BotContext) =>
  async ({
    event,
    body,
    client,
    context,
  }: SlackEventMiddlewareArgs<"app_home_opened"> & AllMiddlewareArgs) => {
    if (event.tab !== "home") return;
    const teamId = body.team_id ?? context.teamId ?? "";
    const who = { teamId, userId: event.user };
    bot.background.enqueue({
      run: () => homeOpened(bot, client, who, (event.view as { hash?: string } | undefined)?.hash),
      // Nobody waits on a Home refresh: the next open publishes it.
      stopped: async () => {},
      onError: (error) => bot.logger.error("publishing Home failed", { error }),
    });
  };

/** "Launch a process": the launch modal at once (the card is posted where the form says). */
export const launchClicked = (bot: BotContext) => async (args: ButtonArgs) => {
  await args.ack();
  // No channel to default the card to: the form asks where to post it.
  const i = { ...homeInteraction(bot, args.body, args.client), channelId: "" };
  await launchOrConnect(bot, i, { fromHome: true });
};

export const refreshClicked = (bot: BotContext) =>
  buttonListener(
    bot,
    "home",
    (click) =>
      refreshHome(
        bot,
        click.interaction.client,
        click.interaction.teamId,
        click.interaction.userId,
      ),
    { valueIsRunId: false, queued: true },
  );

export const viewRunClicked = (bot: BotContext) => async (args: ButtonArgs) => {
  await args.ack();
  const i = homeInteraction(bot, args.body, args.client);
  const runId = args.action.value ?? "";
  bot.background.enqueue({
    run: () => viewRunFromHome(bot, i, runId),
    // A Home click has no response_url to answer through; Home itself shows nothing pending.
    stopped: async () => {},
    onError: (error) => bot.logger.error("View from Home failed", { error }),
  });
};

export function registerHome(app: Listeners, bot: BotContext): void {
  app.event("app_home_opened", homeTabOpened(bot));
  app.action<BlockAction<ButtonAction>>(HOME_ACTION.launch, launchClicked(bot));
  app.action<BlockAction<ButtonAction>>(HOME_ACTION.refresh, refreshClicked(bot));
  app.action<BlockAction<ButtonAction>>(HOME_ACTION.viewRun, viewRunClicked(bot));
}
