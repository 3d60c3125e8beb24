/**
 * The shortcuts "Launch Tallyfy process": the global one opens the launch modal; the message
 * one prefills the summary with the message's text and permalink, and the card is posted as a
 * reply in that message's thread.
 */
import type { GlobalShortcut, MessageShortcut } from "@slack/bolt";
import { resolveActor } from "../../accounts/actor.ts";
import { PREFILL_SUMMARY_MAX } from "../../blocks/modals/launch-views.ts";
import type { BotContext } from "../../slack/context.ts";
import { type Interaction, teamIdOf } from "../../slack/interaction.ts";
import type { WebClient } from "../../slack/web-client.ts";
import { unescapeSlack } from "../commands/parse.ts";
import { connect, perUserEnabled } from "../connect/flow.ts";
import { dmRespond } from "../home/view-run.ts";
import { type LaunchPrefill, openLaunch } from "../launch/flow.ts";

/** callback_ids, as in manifest.yml. */
export const SHORTCUT = {
  launch: "launch_process",
  launchFromMessage: "launch_from_message",
} as const;

/** chat.getPermalink is waited for this long at most: the trigger_id dies 3 s after the click. */
const PERMALINK_WAIT_MS = 800;

/** A shortcut as an Interaction. A global shortcut has no channel: answers go to the app's DM. */
export function shortcutInteraction(
  bot: BotContext,
  body: GlobalShortcut | MessageShortcut,
  client: WebClient,
): Interaction {
  const message = body.type === "message_action" ? body : undefined;
  const userId = body.user.id;
  return {
    teamId: teamIdOf(body as never),
    enterpriseId: body.enterprise?.id ?? undefined,
    userId,
    channelId: message?.channel.id ?? "",
    triggerId: body.trigger_id,
    responseUrl: message?.response_url,
    text: "",
    respond: message?.response_url
      ? bot.responseUrls.respondTo(message.response_url)
      : dmRespond(client, userId),
    client,
  };
}

/**
 * The launch modal, or (for someone who is not connected and can connect) the connect window
 * at once: the trigger_id would be gone by the time they had read a prompt.
 */
export async function launchOrConnect(
  bot: BotContext,
  i: Interaction,
  prefill: LaunchPrefill = {},
): Promise<void> {
  const actor = await resolveActor(bot, i.teamId, i.userId);
  if (actor.kind === "not_connected" && perUserEnabled(bot)) {
    await connect(bot, i);
    return;
  }
  await openLaunch(bot, i, "", prefill);
}

export async function launchFromMessage(
  bot: BotContext,
  i: Interaction,
  shortcut: MessageShortcut,
): Promise<void> {
  const message = shortcut.message;
  const permalink = await permalinkOf(bot, i.client, shortcut);
  const text = unescapeSlack(message.text ?? "").trim();
  const room = PREFILL_SUMMARY_MAX - permalink.length - 2;
  const excerpt = text.length > room ? `${text.slice(0, Math.max(0, room - 1))}…` : text;
  const summary = [excerpt, permalink].filter(Boolean).join("\n\n");
  // A reply already in a thread answers in that thread.
  const threadTs = (message as { thread_ts?: string }).thread_ts ?? message.ts;
  await launchOrConnect(bot, i, { summary, threadTs });
}

/** Slack's permalink, or the same link built from the payload when Slack is slow to say it. */
async function permalinkOf(bot: BotContext, client: WebClient, s: MessageShortcut) {
  const channel = s.channel.id;
  const ts = s.message.ts;
  const built = s.team?.domain
    ? `https://${s.team.domain}.slack.com/archives/${channel}/p${ts.replace(".", "")}`
    : "";
  const asked = client.chat
    .getPermalink({ channel, message_ts: ts })
    .then((r) => r.permalink ?? built)
    .catch((error: unknown) => {
      bot.logger.info("chat.getPermalink failed", { error: (error as Error).message });
      return built;
    });
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve(built), PERMALINK_WAIT_MS);
  });
  try {
    return await Promise.race([asked, late]);
  } finally {
    clearTimeout(timer);
  }
}
