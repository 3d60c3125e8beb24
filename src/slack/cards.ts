import type { RespondFn } from "@slack/bolt";
import { type CardContext, renderStatusCard } from "../blocks/card.ts";
import { slackDate } from "../blocks/dates.ts";
import { runUrl } from "../blocks/links.ts";
import { CardPostError } from "../slack-api/card-post-error.ts";
import type { TallyfyApi } from "../tallyfy/api.ts";
import type { Run } from "../tallyfy/schemas.ts";
import type { Deps } from "./deps.ts";
import type { WebClient } from "./web-client.ts";

export interface RenderedMessage {
  text: string;
  blocks: unknown[];
}

export function runLink(deps: Deps, orgId: string, runId: string): string {
  return runUrl(deps.config.tallyfy.runUrlPattern, {
    web: deps.config.tallyfy.webUrl,
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
async function withTagTitles(api: TallyfyApi, run: Run): Promise<Run> {
  if (!run.tags.some((t) => t.title === t.id)) return run;
  try {
    const known = new Map((await api.tags.search("")).map((t) => [t.id, t]));
    return { ...run, tags: run.tags.map((t) => (t.title === t.id ? (known.get(t.id) ?? t) : t)) };
  } catch {
    return run;
  }
}

export async function buildCard(
  deps: Deps,
  api: TallyfyApi,
  given: Run,
  extra: Pick<CardContext, "lastAction" | "notice"> = {},
): Promise<RenderedMessage> {
  const [run, owner, startedBy] = await Promise.all([
    withTagTitles(api, given),
    deps.identity.personFor(api, given.owner_id),
    given.started_by === given.owner_id
      ? Promise.resolve(undefined)
      : deps.identity.personFor(api, given.started_by),
  ]);
  return renderStatusCard(run, {
    runUrl: runLink(deps, api.orgId, run.id),
    owner,
    startedBy: startedBy ?? owner,
    now: deps.now(),
    ...extra,
  }) as RenderedMessage;
}

/**
 * Post a card visible to the channel. The bot joins public channels it is not in; where it
 * cannot post (private channels, DMs between people), the slash command's response_url can.
 */
export async function postCard(
  client: WebClient,
  channel: string,
  card: RenderedMessage,
  fallback?: RespondFn,
): Promise<{ channel: string; ts: string } | undefined> {
  const post = () =>
    client.chat.postMessage({
      channel,
      text: card.text,
      blocks: card.blocks as never,
      unfurl_links: false,
    });
  try {
    const res = await post();
    return { channel: res.channel ?? channel, ts: res.ts ?? "" };
  } catch (error) {
    const code = slackErrorCode(error);
    if (code === "not_in_channel") {
      try {
        await client.conversations.join({ channel });
        const res = await post();
        return { channel: res.channel ?? channel, ts: res.ts ?? "" };
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

export function slackErrorCode(error: unknown): string | undefined {
  const data = (error as { data?: { error?: unknown } })?.data;
  return typeof data?.error === "string" ? data.error : undefined;
}

/** Where a card lives, so it can be redrawn in place. */
export type CardLocation =
  | { kind: "message"; channel: string; ts: string }
  | { kind: "ephemeral"; respond: RespondFn };

export async function redrawCard(
  client: WebClient,
  where: CardLocation,
  card: RenderedMessage,
): Promise<void> {
  if (where.kind === "message") {
    await client.chat.update({
      channel: where.channel,
      ts: where.ts,
      text: card.text,
      blocks: card.blocks as never,
    });
  } else {
    await where.respond({
      replace_original: true,
      text: card.text,
      blocks: card.blocks as never,
    });
  }
}
