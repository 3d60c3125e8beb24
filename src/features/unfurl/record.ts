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
  target: UnfurlTarget;
  /** The exact URL the unfurl is keyed by. */
  url: string;
  runId: string;
}

/** The hook point for the card registry: every unfurl shown passes here once. */
export function recordUnfurl(bot: BotContext, record: UnfurlRecord): void {
  bot.logger.debug("unfurl shown", {
    runId: record.runId,
    target: record.target.kind,
  });
}
