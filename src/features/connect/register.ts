/** Bolt wiring for connecting: the Connect button and the connect window's submissions. */
import type {
  BlockAction,
  ButtonAction,
  SlackViewMiddlewareArgs,
  ViewClosedAction,
  ViewSubmitAction,
} from "@slack/bolt";
import { ACTION, VIEW } from "../../blocks/ids.ts";
import { buttonListener } from "../../slack/button.ts";
import type { BotContext } from "../../slack/context.ts";
import { payloadInteraction, teamIdOf } from "../../slack/interaction.ts";
import type { Listeners } from "../../slack/listeners.ts";
import type { WebClient } from "../../slack/web-client.ts";
import { connect } from "./flow.ts";
import { answerConnectSubmission, forgetConnectView } from "./submit.ts";

/** Connect prompts' button; its value is the pending command's id, or "". */
export const connectClicked = (bot: BotContext) =>
  buttonListener(
    bot,
    "connect",
    (click) => connect(bot, click.interaction, click.value || undefined),
    {
      valueIsRunId: false,
    },
  );

export const connectSubmitted =
  (bot: BotContext) =>
  async ({
    ack,
    body,
    view,
    client,
  }: SlackViewMiddlewareArgs<ViewSubmitAction> & { client: WebClient }) => {
    await answerConnectSubmission(bot, {
      ack: (r) => ack(r as never),
      interaction: payloadInteraction(bot, body, client),
      view,
      startedAt: Date.now(),
    });
  };

/** The person closed the window: forget the token they had pasted. */
export const connectClosed =
  (bot: BotContext) =>
  async ({ ack, body, view }: SlackViewMiddlewareArgs<ViewClosedAction>) => {
    await ack();
    await forgetConnectView(bot, { teamId: teamIdOf(body), userId: body.user.id }, view).catch(
      (error: unknown) =>
        bot.logger.warn("could not forget a closed connect window's token", { error }),
    );
  };

export function registerConnect(app: Listeners, bot: BotContext): void {
  app.action<BlockAction<ButtonAction>>(ACTION.connect, connectClicked(bot));
  app.view<ViewSubmitAction>(VIEW.connect, connectSubmitted(bot));
  app.view<ViewClosedAction>(
    { callback_id: VIEW.connect, type: "view_closed" },
    connectClosed(bot),
  );
}
