/** Bolt wiring for the edit modal: Reload, and submitting the form. */
import type {
  BlockAction,
  ButtonAction,
  SlackActionMiddlewareArgs,
  ViewSubmitAction,
} from "@slack/bolt";
import { ACTION, VIEW } from "../../blocks/ids.ts";
import type { BotContext } from "../../slack/context.ts";
import { formListener } from "../../slack/form-submission.ts";
import { payloadInteraction } from "../../slack/interaction.ts";
import type { Listeners } from "../../slack/listeners.ts";
import type { WebClient } from "../../slack/web-client.ts";
import { reload } from "./flow.ts";
import { editForm } from "./submit.ts";

export const reloadClicked =
  (bot: BotContext) =>
  async ({
    ack,
    body,
    client,
  }: SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & { client: WebClient }) => {
    await ack();
    await reload(bot, payloadInteraction(bot, body, client), body.view);
  };

export function registerEdit(app: Listeners, bot: BotContext): void {
  app.action<BlockAction<ButtonAction>>(ACTION.editReload, reloadClicked(bot));
  app.view<ViewSubmitAction>(VIEW.edit, formListener(bot, editForm));
}
