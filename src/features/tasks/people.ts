/** Tallyfy users as people on task surfaces (Slack mentions where the email maps). */
import type { PersonRef } from "../../blocks/people.ts";
import type { BotContext } from "../../slack/context.ts";
import type { TallyfyApi } from "../../tallyfy/api.ts";

/** Most people looked up for one task (the renderers show ten and "+N more"). */
const LOOKED_UP = 10;

/** From the cached user list: no Tallyfy request per person. */
export async function peopleFor(
  bot: BotContext,
  api: TallyfyApi,
  tallyfyUserIds: readonly number[],
): Promise<PersonRef[]> {
  const found = await Promise.all(
    tallyfyUserIds.slice(0, LOOKED_UP).map((id) => bot.identity.personFor(api, id)),
  );
  return tallyfyUserIds.map((id, i) => found[i] ?? { name: `User ${id}` });
}

/** The person who completed a task, if Tallyfy says. */
export async function completerOf(
  bot: BotContext,
  api: TallyfyApi,
  completerId: number | null,
): Promise<PersonRef | undefined> {
  return completerId == null ? undefined : bot.identity.personFor(api, completerId);
}
