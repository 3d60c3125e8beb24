/**
 * Options for external selects (block_suggestion): Tallyfy templates, tags, and kick-off fields
 * with more options than a static select holds. Slack waits 3 s; the services answer from cache.
 */
import type { Option } from "@slack/types";
import { resolveActor } from "../../accounts/actor.ts";
import { fieldIdFromBlockId, searchFieldOptions } from "../../blocks/kickoff/index.ts";
import { decodeLaunchMeta, templateOption } from "../../blocks/modals/launch-views.ts";
import { tagOption } from "../../blocks/modals/run-form.ts";
import type { BotContext } from "../../slack/context.ts";
import type { TallyfyApi } from "../../tallyfy/api.ts";
import type { TemplateSummary } from "../../tallyfy/schemas.ts";
import { warmTemplateIndex } from "../launch/lookup.ts";

export const MAX_OPTIONS = 100;

/** A search in a select: who typed, what, and in which block of which view. */
export interface Search {
  teamId: string;
  userId: string;
  query: string;
  blockId: string;
  privateMetadata: string | undefined;
}

type Find = (bot: BotContext, api: TallyfyApi, search: Search) => Promise<Option[]>;

/** Resolve the person's connection and answer with `find`'s options; [] on any failure. */
export async function suggest(
  bot: BotContext,
  search: Search,
  what: string,
  find: Find,
): Promise<Option[]> {
  let options: Option[] = [];
  try {
    const actor = await resolveActor(bot, search.teamId, search.userId);
    if (actor.kind !== "not_connected") options = await find(bot, actor.api, search);
  } catch (error) {
    bot.logger.warn("options lookup failed", { what, error: (error as Error).message });
  }
  return options.slice(0, MAX_OPTIONS);
}

/** Starred first when nothing is typed (recent/starred on open); archived never. */
export function templateOptions(items: TemplateSummary[], query: string): Option[] {
  const live = items.filter((t) => !t.archived_at);
  const ordered = query ? live : [...live].sort((a, b) => Number(b.starred) - Number(a.starred));
  return ordered.map(templateOption);
}

export const findTemplates: Find = async (bot, api, { query }) => {
  const policy = bot.policies.interactive;
  const searched = api.templates.search(query, { perPage: MAX_OPTIONS }, { policy });
  // After the search has started: an empty query's page is the index's first, shared with it.
  warmTemplateIndex(bot, api);
  return templateOptions((await searched).items, query);
};

export const findTags: Find = async (bot, api, { query }) => {
  const tags = await api.tags.search(query, { policy: bot.policies.interactive });
  return tags.map((t) => tagOption({ id: t.id, title: t.title }));
};

export const findFieldOptions: Find = async (bot, api, search) => {
  // Launch and edit forms both carry the template id in private_metadata as "t".
  const templateId = decodeLaunchMeta(search.privateMetadata).templateId;
  const fieldId = fieldIdFromBlockId(search.blockId);
  if (!templateId || !fieldId) return [];
  const template = await api.templates.get(templateId, { policy: bot.policies.interactive });
  const field = template.prerun.find((f) => f.id === fieldId);
  return field ? searchFieldOptions(field, search.query) : [];
};
