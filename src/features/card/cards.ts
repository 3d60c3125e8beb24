/** Status cards: drawn from a run, posted to a channel, redrawn in place. */

import type { BlockAction, RespondFn } from "@slack/bolt";
import { type CardContext, nextTaskOf, renderStatusCard } from "../../blocks/card.ts";
import { slackDate } from "../../blocks/dates.ts";
import { runUrl } from "../../blocks/links.ts";
import type { BotContext } from "../../slack/context.ts";
import { slackErrorCode } from "../../slack/slack-errors.ts";
import type { CardChat } from "../../slack-api/card-chat.ts";
import { CardPostError } from "../../slack-api/card-post-error.ts";
import type { TallyfyApi } from "../../tallyfy/api.ts";
import type { Run } from "../../tallyfy/schemas.ts";
import { fingerprint } from "../cards-registry/fingerprint.ts";

export interface RenderedMessage {
  text: string;
  blocks: unknown[];
  /** Records the card once posted, so webhooks and the reconcile loop keep it true. */
  recordAt?: (where: {
    teamId: string;
    userId: string;
    channel: string;
    ts: string;
  }) => Promise<void>;
}

export function runLink(bot: BotContext, orgId: string, runId: string): string {
  return runUrl(bot.config.tallyfy.runUrlPattern, {
    web: bot.config.tallyfy.webUrl,
    org: orgId,
    runId,
  });
}

/** "Archived by @user · <date>" for the context line after an action. */
export function actionLine(verb: string, slackUserId: string, at: Date): string {
  return `${verb} by <@${slackUserId}> · ${slackDate(at.toISOString())}`;
}

/**
 * Tallyfy answers a PUT/DELETE (and a GET without with=tags) with bare tag ids; give them
 * their titles from the cached tag list, so the card never shows ids.
 */
async function withTagTitles(bot: BotContext, api: TallyfyApi, run: Run): Promise<Run> {
  if (!run.tags.some((t) => t.title === t.id)) return run;
  try {
    const tags = await api.tags.search("", { policy: bot.policies.background });
    const known = new Map(tags.map((t) => [t.id, t]));
    return { ...run, tags: run.tags.map((t) => (t.title === t.id ? (known.get(t.id) ?? t) : t)) };
  } catch {
    return run;
  }
}

/**
 * Starts reading the people list a card names its owner and assignees from, beside the run
 * read instead of after it (cached and shared: no request while it is fresh). In a burst that
 * meets Tallyfy's rate limit, a list first asked for after the run came back found the
 * organization's budget spent by the other cards' run reads, and every card waited a whole
 * window for its names (issue 18, measure 3). Its failure is the card's to meet, not this one's.
 */
export function warmNames(bot: BotContext, api: TallyfyApi): void {
  api.users.list({ policy: bot.policies.background }).catch(() => {});
}

/** Assignees of the next task looked up for the card (it shows five and "+N more"). */
const NEXT_TASK_PEOPLE = 5;

export async function buildCard(
  bot: BotContext,
  api: TallyfyApi,
  given: Run,
  extra: Pick<CardContext, "lastAction" | "notice"> = {},
): Promise<RenderedMessage> {
  // People come from the cached user list: no request per person.
  const ownerIds = nextTaskOf(given)?.owners ?? [];
  const assigneeIds = ownerIds.slice(0, NEXT_TASK_PEOPLE);
  const [run, owner, startedBy, assignees] = await Promise.all([
    withTagTitles(bot, api, given),
    bot.identity.personFor(api, given.owner_id),
    given.started_by === given.owner_id
      ? Promise.resolve(undefined)
      : bot.identity.personFor(api, given.started_by),
    Promise.all(assigneeIds.map((id) => bot.identity.personFor(api, id))),
  ]);
  const card = renderStatusCard(run, {
    runUrl: runLink(bot, api.orgId, run.id),
    owner,
    startedBy: startedBy ?? owner,
    // Those past the first few are only counted ("+3 more").
    nextTaskAssignees: ownerIds.map((id, i) => assignees[i] ?? { name: `User ${id}` }),
    now: bot.now(),
    ...extra,
  }) as RenderedMessage;
  card.recordAt = (where) =>
    bot.cards.record({
      ...where,
      runId: run.id,
      kind: "status",
      orgId: api.orgId,
      fingerprint: fingerprint(given),
    });
  return card;
}

export interface PostCardOptions {
  /** The slash command's response_url, where the bot can't post itself. */
  fallback?: RespondFn | undefined;
  /** A reply in this message's thread. */
  threadTs?: string | undefined;
  /** Who posted it: the card is recorded for live updates. */
  by?: { teamId: string; userId: string } | undefined;
}

/**
 * Post a card visible to the channel. The bot joins public channels it is not in; where it
 * cannot post (private channels, DMs between people), the slash command's response_url can.
 * With `threadTs`, the card is a reply in that message's thread; with `by`, the posted card
 * is recorded so live updates keep it true.
 */
export async function postCard(
  client: CardChat,
  channel: string,
  card: RenderedMessage,
  opts: PostCardOptions = {},
): Promise<{ channel: string; ts: string } | undefined> {
  const { fallback, threadTs, by } = opts;
  const post = () =>
    client.chat.postMessage({
      channel,
      text: card.text,
      blocks: card.blocks,
      unfurl_links: false,
      ...(threadTs ? { thread_ts: threadTs } : {}),
    });
  const posted = async (res: { channel?: string; ts?: string }) => {
    const where = { channel: res.channel ?? channel, ts: res.ts ?? "" };
    if (by && where.ts) await card.recordAt?.({ ...by, ...where });
    return where;
  };
  try {
    return await posted(await post());
  } catch (error) {
    const code = slackErrorCode(error);
    if (code === "not_in_channel") {
      try {
        await client.conversations.join({ channel });
        return await posted(await post());
      } catch {
        // private channel or no permission to join: fall through
      }
    }
    if (fallback && (code === "not_in_channel" || code === "channel_not_found")) {
      await fallback({
        response_type: "in_channel",
        text: card.text,
        blocks: card.blocks as never,
      });
      return undefined;
    }
    throw new CardPostError(error);
  }
}

/** Where a card lives, so it can be redrawn in place. */
export type CardLocation =
  | { kind: "message"; channel: string; ts: string }
  | { kind: "ephemeral"; respond: RespondFn };

/** Where a clicked card lives: a channel message (chat.update) or an ephemeral one (response_url). */
export function cardLocationOf(body: BlockAction, respond: RespondFn): CardLocation {
  const container = body.container as {
    is_ephemeral?: boolean;
    message_ts?: string;
    channel_id?: string;
  };
  const ts = body.message?.ts ?? container?.message_ts;
  const channel = body.channel?.id ?? container?.channel_id;
  if (container?.is_ephemeral || !ts || !channel) return { kind: "ephemeral", respond };
  return { kind: "message", channel, ts };
}

export async function redrawCard(
  client: CardChat,
  where: CardLocation,
  card: RenderedMessage,
): Promise<void> {
  if (where.kind === "message") {
    await client.chat.update({
      channel: where.channel,
      ts: where.ts,
      text: card.text,
      blocks: card.blocks,
    });
  } else {
    await where.respond({
      replace_original: true,
      text: card.text,
      blocks: card.blocks as never,
    });
  }
}

/**
 * Redraws the card in place. chat.update can fail for a card posted through a response_url;
 * with `fallback` (that response_url), the card is then replaced that way instead.
 */
export async function redrawOrReplace(
  bot: BotContext,
  client: CardChat,
  where: CardLocation,
  card: RenderedMessage,
  fallback: RespondFn | undefined,
): Promise<void> {
  try {
    await redrawCard(client, where, card);
  } catch (error) {
    if (where.kind === "ephemeral" || !fallback) throw error;
    bot.logger.warn("chat.update failed; replacing through response_url", {
      error: (error as Error).message,
    });
    await redrawCard(client, { kind: "ephemeral", respond: fallback }, card);
  }
}
