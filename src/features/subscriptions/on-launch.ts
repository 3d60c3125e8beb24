/**
 * A process of a subscribed template was launched (a Tallyfy webhook, or a launch from
 * Slack): its status card goes to every subscribed channel, once per channel, and is
 * recorded so it stays live.
 */
import type { BotContext } from "../../slack/context.ts";
import type { WebClient } from "../../slack/web-client.ts";
import type { SharedState } from "../../store/shared-state.ts";
import type { TallyfyApi } from "../../tallyfy/api.ts";
import type { Run } from "../../tallyfy/schemas.ts";
import { buildCard, postCard } from "../card/cards.ts";

const ONCE_MS = 30 * 24 * 60 * 60_000;

export async function postToSubscribers(
  deps: { bot: BotContext; client: WebClient; shared: Pick<SharedState, "seenOnce"> },
  api: TallyfyApi,
  run: Run,
  skipChannel?: string,
): Promise<number> {
  const { bot } = deps;
  if (!run.checklist_id) return 0;
  const subs = await bot.live.subscribersOf(api.orgId, run.checklist_id);
  let posted = 0;
  let card: Awaited<ReturnType<typeof buildCard>> | undefined;
  for (const sub of subs) {
    // The launch's own card already went to this channel (or another instance posted it).
    const first = await deps.shared.seenOnce(`sub:${sub.channel}:${run.id}`, ONCE_MS);
    if (!first || sub.channel === skipChannel) continue;
    try {
      card ??= await buildCard(bot, api, run);
      const where = await postCard(bot.cardChat, sub.channel, card, {
        by: { teamId: sub.teamId, userId: sub.createdBy },
      });
      if (where) posted++;
    } catch (error) {
      bot.logger.warn("could not post a subscribed channel's card", {
        channel: sub.channel,
        error: (error as Error).message,
      });
    }
  }
  return posted;
}
