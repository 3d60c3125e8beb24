/**
 * `link_shared`: each process link of the sharer's organization (up to 5) unfurls as a compact
 * card through chat.unfurl, keyed by the exact URL, read with the sharer's own Tallyfy rights.
 * A link the sharer cannot read gets no unfurl and nothing is said in the channel; a sharer
 * without a connection is privately asked to connect.
 */
import { resolveActor } from "../../accounts/actor.ts";
import {
  renderRunUnfurl,
  type UnfurlAttachment,
  unfurlConnectPrompt,
} from "../../blocks/unfurl.ts";
import type { BotContext } from "../../slack/context.ts";
import { describeFailure } from "../../slack/reply.ts";
import { slackErrorCode } from "../../slack/slack-errors.ts";
import type { WebClient } from "../../slack/web-client.ts";
import type { TallyfyApi } from "../../tallyfy/api.ts";
import { TallyfyAuthError } from "../../tallyfy/errors.ts";
import { runLink } from "../card/cards.ts";
import { type ProcessLink, processLinkMatcher, processLinks } from "./links.ts";
import { recordUnfurl } from "./record.ts";

/** Where chat.unfurl attaches: a posted message, or links still in someone's composer. */
export type UnfurlTarget =
  | { kind: "message"; channel: string; ts: string }
  | { kind: "composer"; unfurlId: string; source: string };

export interface LinkShare {
  teamId: string;
  /** The person who shared the links: their connection reads them. */
  userId: string;
  target: UnfurlTarget;
  urls: string[];
}

/** The link_shared event, read defensively: undefined when it names nothing to unfurl. */
export function linkShareOf(
  teamId: string,
  event: {
    user?: unknown;
    channel?: unknown;
    message_ts?: unknown;
    unfurl_id?: unknown;
    source?: unknown;
    links?: unknown;
  },
): LinkShare | undefined {
  const str = (v: unknown) => (typeof v === "string" && v !== "" ? v : undefined);
  const userId = str(event.user);
  const links = Array.isArray(event.links) ? event.links : [];
  const urls = links
    .map((l) =>
      typeof l === "object" && l !== null ? str((l as { url?: unknown }).url) : undefined,
    )
    .filter((u): u is string => u !== undefined);
  const channel = str(event.channel);
  const unfurlId = str(event.unfurl_id);
  const source = str(event.source);
  let target: UnfurlTarget | undefined;
  if ((channel === "COMPOSER" || source === "composer") && unfurlId) {
    target = { kind: "composer", unfurlId, source: source ?? "composer" };
  } else if (channel && str(event.message_ts)) {
    target = { kind: "message", channel, ts: str(event.message_ts)! };
  }
  if (!userId || !target || urls.length === 0) return undefined;
  return { teamId, userId, target, urls };
}

export async function unfurlLinks(bot: BotContext, client: WebClient, share: LinkShare) {
  const match = processLinkMatcher(bot.config.tallyfy);
  const links = processLinks(share.urls, match);
  if (links.length === 0) return;
  const actor = await resolveActor(bot, share.teamId, share.userId);
  if (actor.kind === "not_connected") {
    await send(bot, client, share.target, {
      unfurls: {},
      user_auth_blocks: unfurlConnectPrompt(actor.invalid),
    });
    return;
  }
  const readable = links.filter((l) => l.org === "" || l.org === actor.api.orgId);
  const cards = await Promise.all(
    readable.map((link) =>
      unfurlFor(bot, actor.api, link).catch(async (error: unknown) => {
        // Another organization, not found, no rights: no unfurl, nothing said in the channel.
        // A rejected personal token is still marked invalid, so the next action asks to reconnect.
        if (error instanceof TallyfyAuthError) {
          await describeFailure(bot, error, { ...share, actor, what: "unfurl" });
        } else {
          bot.logger.info("a shared process link was not unfurled", {
            runId: link.runId,
            kind: (error as { kind?: string }).kind,
          });
        }
        return undefined;
      }),
    ),
  );
  const unfurls: Record<string, UnfurlAttachment> = {};
  const shown: { link: ProcessLink }[] = [];
  readable.forEach((link, i) => {
    const card = cards[i];
    if (!card) return;
    unfurls[link.url] = card;
    shown.push({ link });
  });
  if (shown.length === 0) return;
  if (!(await send(bot, client, share.target, { unfurls }))) return;
  for (const { link } of shown) {
    await recordUnfurl(bot, {
      teamId: share.teamId,
      userId: share.userId,
      orgId: actor.api.orgId,
      target: share.target,
      url: link.url,
      runId: link.runId,
    });
  }
}

/** One link's card, read with the sharer's rights. */
export async function unfurlFor(
  bot: BotContext,
  api: TallyfyApi,
  link: Pick<ProcessLink, "runId">,
): Promise<UnfurlAttachment> {
  const run = await api.runs.get(link.runId, { policy: bot.policies.background });
  return renderRunUnfurl(run, { runUrl: runLink(bot, api.orgId, run.id), now: bot.now() });
}

/**
 * chat.unfurl for a message or a composer. A later call for the same target and URL replaces
 * that unfurl, which is how a recorded unfurl is refreshed. False (logged) when Slack refused.
 */
export async function send(
  bot: BotContext,
  client: WebClient,
  target: UnfurlTarget,
  content: { unfurls: Record<string, UnfurlAttachment>; user_auth_blocks?: unknown[] },
): Promise<boolean> {
  const where =
    target.kind === "message"
      ? { channel: target.channel, ts: target.ts }
      : { unfurl_id: target.unfurlId, source: target.source as "composer" };
  try {
    await client.chat.unfurl({ ...where, ...content } as never);
    return true;
  } catch (error) {
    bot.logger.warn("chat.unfurl failed", { code: slackErrorCode(error), target: target.kind });
    return false;
  }
}
