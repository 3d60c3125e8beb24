/** Bolt wiring for external selects: the template picker, tags, long kick-off option lists. */
import type { BlockSuggestion, SlackOptionsMiddlewareArgs } from "@slack/bolt";
import type { Option } from "@slack/types";
import { ACTION } from "../../blocks/ids.ts";
import { KICKOFF_ACTION_ID, KICKOFF_BLOCK_PREFIX } from "../../blocks/kickoff/index.ts";
import type { BotContext } from "../../slack/context.ts";
import { teamIdOf } from "../../slack/interaction.ts";
import type { Listeners } from "../../slack/listeners.ts";
import { findFieldOptions, findTags, findTemplates, type Search, suggest } from "./flow.ts";

type Ack = (r: { options: Option[] }) => Promise<void>;

const searchOf = (body: BlockSuggestion): Search => ({
  teamId: teamIdOf(body),
  userId: body.user.id,
  query: body.value.trim(),
  blockId: body.block_id,
  privateMetadata: body.view?.private_metadata,
});

const suggestions =
  (bot: BotContext, what: string, find: Parameters<typeof suggest>[3]) =>
  async ({ body, ack }: SlackOptionsMiddlewareArgs<"block_suggestion">) => {
    await (ack as Ack)({ options: await suggest(bot, searchOf(body), what, find) });
  };

export const templatesSearched = (bot: BotContext) => suggestions(bot, "templates", findTemplates);
export const tagsSearched = (bot: BotContext) => suggestions(bot, "tags", findTags);
export const fieldOptionsSearched = (bot: BotContext) =>
  suggestions(bot, "kick-off options", findFieldOptions);

export function registerSuggestions(app: Listeners, bot: BotContext): void {
  app.options<"block_suggestion">({ action_id: ACTION.launchTemplate }, templatesSearched(bot));
  app.options<"block_suggestion">({ action_id: ACTION.tagSearch }, tagsSearched(bot));
  const kickoffBlock = new RegExp(`^${KICKOFF_BLOCK_PREFIX}`);
  app.options<"block_suggestion">(
    { action_id: KICKOFF_ACTION_ID, block_id: kickoffBlock },
    fieldOptionsSearched(bot),
  );
}
