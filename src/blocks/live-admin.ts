/** Replies of the live-card commands: webhook set-up, subscriptions, notifications. Pure. */
import type { KnownBlock } from "@slack/types";
import type { Subscription, WebhookSecret } from "../store/live-state.ts";
import { slackDate } from "./dates.ts";
import { mrkdwn, safeLine } from "./format.ts";

export interface WebhookSetup {
  /** Undefined when PUBLIC_URL is not set. */
  url: string | undefined;
  secret: WebhookSecret;
  orgName: string;
  rotated: boolean;
}

export function renderWebhookSetup(s: WebhookSetup): { text: string; blocks: KnownBlock[] } {
  const blocks: KnownBlock[] = [];
  const org = safeLine(s.orgName, 150, "your Tallyfy organization");
  if (!s.url) {
    const text =
      ":warning: `PUBLIC_URL` is not set, so I can't tell you where Tallyfy should send its webhooks. Set `PUBLIC_URL` to the address Tallyfy can reach this bot at (e.g. `https://tallyfy-bot.example.com`), restart, and run `/tallyfy webhooks` again.";
    return { text, blocks: [{ type: "section", text: mrkdwn(text) }] };
  }
  const head = s.rotated
    ? `:arrows_counterclockwise: New webhook URL for *${org}*. The old one stopped working just now: paste this one wherever the old one was.`
    : `:link: Webhook URL for *${org}* (keep it private: anyone with it can make me re-read your processes):`;
  blocks.push({ type: "section", text: mrkdwn(head) });
  blocks.push({ type: "section", text: mrkdwn(`\`\`\`${s.url}\`\`\``) });
  blocks.push({
    type: "section",
    text: mrkdwn(
      [
        "*In Tallyfy*, for each template whose processes should update cards live:",
        "1. Open the template and choose *Settings* (Edit template > Settings > Advanced).",
        "2. Paste the URL above into *Webhook URL* and save.",
        "3. Complete a task in one of its processes: cards of that process update within seconds.",
        "A step's own webhook URL (step > Advanced > Emit webhook when completed) overrides the template's for that step: paste the same URL there too.",
      ].join("\n"),
    ),
  });
  const arrived = s.secret.lastArrivedAt
    ? `:white_check_mark: Last delivery arrived ${slackDate(s.secret.lastArrivedAt.toISOString())}.`
    : ":hourglass: Nothing has arrived with this URL yet.";
  blocks.push({
    type: "context",
    elements: [
      mrkdwn(
        `${arrived} Without webhooks, cards still catch up within a few minutes. \`/tallyfy webhooks rotate\` makes a new URL.`,
      ),
    ],
  });
  return { text: `Webhook URL for ${org}: ${s.url}`, blocks };
}

export function renderSubscriptions(
  subs: readonly Subscription[],
  channelId: string,
): { text: string; blocks: KnownBlock[] } {
  if (subs.length === 0) {
    const text = `<#${channelId}> isn't subscribed to any template. \`/tallyfy subscribe <template>\` posts a live card here for every process of that template.`;
    return { text, blocks: [{ type: "section", text: mrkdwn(text) }] };
  }
  const shown = subs.slice(0, 40).map((s) => `• ${safeLine(s.templateTitle, 150, "Untitled")}`);
  if (subs.length > shown.length) shown.push(`…and ${subs.length - shown.length} more`);
  const text = `<#${channelId}> gets a live card for every process of:\n${shown.join("\n")}`;
  return {
    text: `${subs.length} subscription${subs.length === 1 ? "" : "s"} in this channel`,
    blocks: [{ type: "section", text: mrkdwn(text) }],
  };
}
