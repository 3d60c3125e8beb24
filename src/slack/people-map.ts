/** Slack people chosen in a form <-> Tallyfy members, by email (bot.identity). */
import { plainLine } from "../blocks/text.ts";
import type { TallyfyApi } from "../tallyfy/api.ts";
import type { BotContext } from "./context.ts";
import type { WebClient } from "./web-client.ts";

export interface MappedIds {
  ids: number[];
  /** Slack user ids with no Tallyfy member of the same email. */
  missing: string[];
}

export async function tallyfyIdsFor(
  bot: BotContext,
  api: TallyfyApi,
  slackUserIds: string[],
): Promise<MappedIds> {
  const found = await Promise.all(
    slackUserIds.map(async (id) => ({ id, user: await bot.identity.tallyfyUserFor(api, id) })),
  );
  return {
    ids: [...new Set(found.flatMap((f) => (f.user ? [f.user.id] : [])))],
    missing: found.filter((f) => !f.user).map((f) => f.id),
  };
}

/** Tallyfy user id -> Slack user id for those who have both (others are left out). */
export async function slackIdsFor(
  bot: BotContext,
  api: TallyfyApi,
  tallyfyUserIds: number[],
): Promise<Map<number, string>> {
  const pairs = await Promise.all(
    [...new Set(tallyfyUserIds)].map(
      async (id) => [id, await bot.identity.slackUserForTallyfy(api, id)] as const,
    ),
  );
  return new Map(pairs.filter((p): p is readonly [number, string] => p[1] !== undefined));
}

/** The input error naming people who have no Tallyfy account (plain text, Slack shows it so). */
export async function unmappedMessage(
  bot: BotContext,
  client: WebClient,
  slackUserIds: string[],
  what: "owner" | "assignees",
): Promise<string> {
  const names = await Promise.all(slackUserIds.map((id) => describePerson(bot, client, id)));
  const list = names.join(", ");
  const advice =
    what === "owner"
      ? "Choose someone else, or leave it empty to make the connected account the owner."
      : "Remove them or add them to Tallyfy first.";
  return plainLine(
    `${list} ${names.length === 1 ? "has" : "have"} no Tallyfy account with the same email. ${advice}`,
    500,
  );
}

async function describePerson(
  bot: BotContext,
  client: WebClient,
  slackUserId: string,
): Promise<string> {
  const email = await bot.identity.slackEmail(slackUserId);
  let name: string | undefined;
  try {
    const res = await client.users.info({ user: slackUserId });
    name = res.user?.real_name || res.user?.name || undefined;
  } catch {
    name = undefined;
  }
  if (name && email) return `${name} (${email})`;
  return name ?? email ?? "Someone you chose (I can't see their Slack email)";
}
