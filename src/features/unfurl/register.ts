/** Bolt wiring for link unfurls. Bolt has acknowledged the event before this runs. */
import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from "@slack/bolt";
import type { BotContext } from "../../slack/context.ts";
import type { Listeners } from "../../slack/listeners.ts";
import { linkShareOf, unfurlLinks } from "./flow.ts";

/**
 * A repeated delivery (same event_id, a Slack retry) never reaches this: the global de-dup
 * drops it first. The work waits its turn in the background queue.
 */
export const linkShared =
  (bot: BotContext) =>
  async ({
    event,
    body,
    client,
    context,
  }: SlackEventMiddlewareArgs<"link_shared"> & AllMiddlewareArgs) => {
    const teamId = body.team_id ?? context.teamId ?? "";
    const share = linkShareOf(teamId, event as never);
    if (!share) return;
    bot.background.enqueue({
      run: () => unfurlLinks(bot, client, share),
      // An unfurl is no answer anyone waits for: a link left bare stays usable.
      stopped: async () => {},
      onError: (error) => bot.logger.error("unfurling shared links failed", { error }),
    });
  };

export function registerUnfurl(app: Listeners, bot: BotContext): void {
  app.event("link_shared", linkShared(bot));
}
