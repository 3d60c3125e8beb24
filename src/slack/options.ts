/**
 * External selects (block_suggestion): Tallyfy templates, tags, and kick-off fields with more
 * options than a static select holds. Slack waits 3 s; the services answer from cache.
 */
import type { App, BlockSuggestion } from "@slack/bolt";
import type { Option } from "@slack/types";
import { resolveActor } from "../accounts/actor.ts";
import { ACTION } from "../blocks/ids.ts";
import {
  fieldIdFromBlockId,
  KICKOFF_ACTION_ID,
  KICKOFF_BLOCK_PREFIX,
  searchFieldOptions,
} from "../blocks/kickoff/index.ts";
import { decodeLaunchMeta, templateOption } from "../blocks/modals/launch-views.ts";
import { tagOption } from "../blocks/modals/run-form.ts";
import { INTERACTIVE, type TallyfyApi } from "../tallyfy/api.ts";
import type { TemplateSummary } from "../tallyfy/schemas.ts";
import type { Deps } from "./deps.ts";

const MAX_OPTIONS = 100;

type Ack = (r: { options: Option[] }) => Promise<void>;

/** Resolve the person's connection and answer with `find`'s options; [] on any failure. */
async function answer(
  deps: Deps,
  body: BlockSuggestion,
  ack: Ack,
  what: string,
  find: (api: TallyfyApi, query: string) => Promise<Option[]>,
): Promise<void> {
  let options: Option[] = [];
  try {
    const actor = await resolveActor(deps, body.team?.id ?? body.user.team_id ?? "", body.user.id);
    if (actor.kind !== "not_connected") options = await find(actor.api, body.value.trim());
  } catch (error) {
    deps.logger.warn("options lookup failed", { what, error: (error as Error).message });
  }
  await ack({ options: options.slice(0, MAX_OPTIONS) });
}

/** Starred first when nothing is typed (recent/starred on open); archived never. */
export function templateOptions(items: TemplateSummary[], query: string): Option[] {
  const live = items.filter((t) => !t.archived_at);
  const ordered = query ? live : [...live].sort((a, b) => Number(b.starred) - Number(a.starred));
  return ordered.map(templateOption);
}

export function register(app: App, deps: Deps): void {
  app.options<"block_suggestion">({ action_id: ACTION.launchTemplate }, async ({ body, ack }) => {
    await answer(deps, body, ack as Ack, "templates", async (api, q) => {
      const page = await api.templates.search(q, { perPage: MAX_OPTIONS }, { policy: INTERACTIVE });
      return templateOptions(page.items, q);
    });
  });

  app.options<"block_suggestion">({ action_id: ACTION.tagSearch }, async ({ body, ack }) => {
    await answer(deps, body, ack as Ack, "tags", async (api, q) => {
      const tags = await api.tags.search(q, { policy: INTERACTIVE });
      return tags.map((t) => tagOption({ id: t.id, title: t.title }));
    });
  });

  const kickoffBlock = new RegExp(`^${KICKOFF_BLOCK_PREFIX}`);
  app.options<"block_suggestion">(
    { action_id: KICKOFF_ACTION_ID, block_id: kickoffBlock },
    async ({ body, ack }) => {
      await answer(deps, body, ack as Ack, "kick-off options", async (api, q) => {
        // Launch and edit forms both carry the template id in private_metadata as "t".
        const templateId = decodeLaunchMeta(body.view?.private_metadata).templateId;
        const fieldId = fieldIdFromBlockId(body.block_id);
        if (!templateId || !fieldId) return [];
        const template = await api.templates.get(templateId, { policy: INTERACTIVE });
        const field = template.prerun.find((f) => f.id === fieldId);
        return field ? searchFieldOptions(field, q) : [];
      });
    },
  );
}
