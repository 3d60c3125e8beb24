/** The people a run form (launch or edit) names, mapped to Tallyfy members by email. */
import { fieldBlockId } from "../blocks/kickoff/index.ts";
import { RUN_BLOCK } from "../blocks/modals/run-form.ts";
import type { TallyfyApi } from "../tallyfy/api.ts";
import type { BotContext } from "./context.ts";
import { tallyfyIdsFor, unmappedMessage } from "./people-map.ts";
import type { WebClient } from "./web-client.ts";

export interface FormPeople {
  ownerId?: number | undefined;
  /** Tallyfy user ids picked in each people field (by field id). */
  picked: Record<string, number[]>;
  /** Input errors by block id, naming the people who have no Tallyfy account. */
  errors: Record<string, string>;
}

/** One people field's Slack picks. */
export interface PeoplePick {
  fieldId: string;
  slackUserIds: string[];
}

/**
 * The owner and every field's picks mapped at once; errors keep the form's order (owner first,
 * then the fields as given).
 */
export async function mapFormPeople(
  bot: BotContext,
  client: WebClient,
  api: TallyfyApi,
  ownerSlackId: string | undefined,
  picks: PeoplePick[],
): Promise<FormPeople> {
  const out: FormPeople = { picked: {}, errors: {} };
  const [owner, ...fields] = await Promise.all([
    ownerSlackId ? mapOne(bot, client, api, [ownerSlackId], "owner") : Promise.resolve(undefined),
    ...picks.map((p) => mapOne(bot, client, api, p.slackUserIds, "assignees")),
  ]);
  if (owner?.error !== undefined) out.errors[RUN_BLOCK.owner] = owner.error;
  else if (owner) out.ownerId = owner.ids[0];
  picks.forEach((p, i) => {
    const mapped = fields[i];
    if (!mapped) return;
    if (mapped.error !== undefined) out.errors[fieldBlockId(p.fieldId)] = mapped.error;
    else out.picked[p.fieldId] = mapped.ids;
  });
  return out;
}

async function mapOne(
  bot: BotContext,
  client: WebClient,
  api: TallyfyApi,
  slackUserIds: string[],
  what: "owner" | "assignees",
): Promise<{ ids: number[]; error?: string }> {
  const m = await tallyfyIdsFor(bot, api, slackUserIds);
  if (!m.missing.length) return { ids: m.ids };
  return { ids: m.ids, error: await unmappedMessage(bot, client, m.missing, what) };
}
