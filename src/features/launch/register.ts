/** Bolt wiring for the launch modal: choosing a template, and submitting the form. */
import type {
  BlockAction,
  ButtonAction,
  ExternalSelectAction,
  SlackActionMiddlewareArgs,
  ViewSubmitAction,
} from "@slack/bolt";
import { ACTION, VIEW } from "../../blocks/ids.ts";
import type { BotContext } from "../../slack/context.ts";
import { formListener } from "../../slack/form-submission.ts";
import { payloadInteraction } from "../../slack/interaction.ts";
import type { Listeners } from "../../slack/listeners.ts";
import type { WebClient } from "../../slack/web-client.ts";
import { chooseTemplate } from "./flow.ts";
import { launchForm } from "./submit.ts";

type PickArgs<A extends ExternalSelectAction | ButtonAction> = SlackActionMiddlewareArgs<
  BlockAction<A>
> & { client: WebClient };

/** The picker's template search: the chosen template's form. */
export const templatePicked =
  (bot: BotContext) =>
  async ({ ack, body, action, client }: PickArgs<ExternalSelectAction>) => {
    await ack();
    const i = payloadInteraction(bot, body, client);
    await chooseTemplate(bot, i, body.view, action.selected_option?.value);
  };

/** One of the matches `/tallyfy launch <words>` listed. */
export const matchPicked =
  (bot: BotContext) =>
  async ({ ack, body, action, client }: PickArgs<ButtonAction>) => {
    await ack();
    await chooseTemplate(bot, payloadInteraction(bot, body, client), body.view, action.value);
  };

/** "Open in Tallyfy" link buttons in modals: Slack still sends the click. */
export const modalLinkClicked = async ({ ack }: SlackActionMiddlewareArgs) => {
  await ack();
};

export function registerLaunch(app: Listeners, bot: BotContext): void {
  app.action<BlockAction<ExternalSelectAction>>(ACTION.launchTemplate, templatePicked(bot));
  app.action<BlockAction<ButtonAction>>(ACTION.launchPickMatch, matchPicked(bot));
  app.action(ACTION.modalLink, modalLinkClicked);
  app.view<ViewSubmitAction>(VIEW.launch, formListener(bot, launchForm));
}
