/**
 * `/tallyfy launch <words>` in one Tallyfy read when it can be: the words are a template id, or
 * the connection's warm template index (src/tallyfy/template-index.ts) knows exactly one live
 * template with that title. The template read is checked against the words, since the index
 * may be up to 10 minutes old; anything else goes the usual way (search, then read).
 */
import type { BotContext } from "../../slack/context.ts";
import type { TallyfyApi } from "../../tallyfy/api.ts";
import { TallyfyNotFoundError } from "../../tallyfy/errors.ts";
import { TemplateId } from "../../tallyfy/ids.ts";
import type { Template } from "../../tallyfy/schemas.ts";
import { sameTitle } from "../../tallyfy/template-index.ts";

/** Refresh the person's template index in the background if it is missing or stale. */
export function warmTemplateIndex(bot: BotContext, api: TallyfyApi): void {
  void api.templates.warmIndex({ policy: bot.policies.background, priority: "background" });
}

/** The live template the words name directly, or undefined: then search as before. */
export async function directTemplate(
  bot: BotContext,
  api: TallyfyApi,
  words: string,
): Promise<Template | undefined> {
  const asId = words.toLowerCase();
  const byId = TemplateId.safeParse(asId).success;
  const id = byId ? asId : api.templates.indexedMatch(words);
  if (!id) return undefined;
  let template: Template;
  try {
    template = await api.templates.get(id, { policy: bot.policies.background });
  } catch (error) {
    // Gone since the index was read, or an id that is no template: the search decides.
    if (error instanceof TallyfyNotFoundError) return undefined;
    throw error;
  }
  if (template.archived_at) return undefined;
  return byId || sameTitle(template.title, words) ? template : undefined;
}
