/**
 * Where an unfurl is, once Slack has shown it: enough to draw it again later. A live update
 * refreshes it by rendering `unfurlFor(bot, api, { runId })` and calling
 * `send(bot, client, target, { unfurls: { [url]: card } })` (flow.ts) with the same target and
 * URL; Slack then replaces that unfurl in place.
 */
import type { BotContext } from "../../slack/context.ts";
import type { UnfurlTarget } from "./flow.ts";

export interface UnfurlRecord {
  teamId: string;
  /** Who shared the link: their connection re-reads the run for a live update. */
  userId: string;
  orgId: string;
  target: UnfurlTarget;
  /** The exact URL the unfurl is keyed by. */
  url: string;
  runId: string;
}

/**
 * Every unfurl shown in a posted message goes into the card registry, so webhooks and the
 * reconcile loop refresh it like a card. A composer preview is not recorded: Slack sends the
 * link again with the message's channel and ts once it is posted.
 */
export async function recordUnfurl(bot: BotContext, record: UnfurlRecord): Promise<void> {
  const { target } = record;
  if (target.kind !== "message") return;
  await bot.cards.record({
    teamId: record.teamId,
    channel: target.channel,
    ts: target.ts,
    runId: record.runId,
    kind: "unfurl",
    url: record.url,
    orgId: record.orgId,
    userId: record.userId,
  });
}
