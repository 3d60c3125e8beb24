/**
 * `/tallyfy subscribe <template>`, `unsubscribe <template>` and `subscriptions`, like
 * `/github subscribe`: a channel subscribed to a template gets a live status card for every
 * process of it that is launched, in Tallyfy or from Slack. Stored per channel.
 */
import type { Actor } from "../../accounts/actor.ts";
import { code, safeLine } from "../../blocks/format.ts";
import { renderSubscriptions } from "../../blocks/live-admin.ts";
import { renderNotice } from "../../blocks/notices.ts";
import type { BotContext } from "../../slack/context.ts";
import type { Interaction } from "../../slack/interaction.ts";
import { reply } from "../../slack/reply.ts";
import { slackErrorCode } from "../../slack/slack-errors.ts";
import type { TemplateSummary } from "../../tallyfy/schemas.ts";

const warn = (i: Interaction, text: string) => reply(i, renderNotice("warning", text));

/** The one template the words name: an exact title, else the only match. */
function pick(items: TemplateSummary[], words: string): TemplateSummary | TemplateSummary[] {
  const live = items.filter((t) => !t.archived_at);
  const wanted = words.toLowerCase();
  const exact = live.filter((t) => t.title.trim().toLowerCase() === wanted);
  if (exact.length === 1 && exact[0]) return exact[0];
  if (live.length === 1 && live[0]) return live[0];
  return exact.length > 1 ? exact : live;
}

/** Whether the bot can post in the channel: a member already, or a public channel it joins. */
async function canPost(i: Interaction): Promise<"yes" | "private" | "no"> {
  if (i.channelId.startsWith("D")) return "no";
  try {
    const info = await i.client.conversations.info({ channel: i.channelId });
    const channel = info.channel as { is_member?: boolean; is_private?: boolean } | undefined;
    if (channel?.is_member) return "yes";
    if (channel?.is_private) return "private";
    await i.client.conversations.join({ channel: i.channelId });
    return "yes";
  } catch (error) {
    const code = slackErrorCode(error);
    return code === "channel_not_found" || code === "method_not_supported_for_channel_type"
      ? "private"
      : "no";
  }
}

export async function subscribe(bot: BotContext, i: Interaction, actor: Actor, args: string) {
  const words = args.trim();
  if (!words) return warn(i, "Name a template, e.g. `/tallyfy subscribe Employee Onboarding`.");
  const page = await actor.api.templates.search(
    words,
    { perPage: 25 },
    {
      policy: bot.policies.background,
    },
  );
  const found = pick(page.items, words);
  if (Array.isArray(found)) {
    if (found.length === 0) return warn(i, `No template matches ${code(words, 100)}.`);
    const names = found.slice(0, 10).map((t) => `• ${safeLine(t.title, 150)}`);
    return warn(
      i,
      `Several templates match ${code(words, 100)}; give the full name:\n${names.join("\n")}`,
    );
  }
  const reach = await canPost(i);
  if (reach !== "yes") {
    return warn(
      i,
      reach === "private"
        ? "I'm not in this private channel, so I couldn't post cards here. Invite me first (`/invite @Tallyfy`), then subscribe again."
        : "I can't post in this conversation. Subscribe from a channel instead.",
    );
  }
  const added = await bot.live.subscribe({
    teamId: i.teamId,
    channel: i.channelId,
    orgId: actor.api.orgId,
    templateId: found.id,
    templateTitle: found.title,
    createdBy: i.userId,
  });
  const title = safeLine(found.title, 150);
  await reply(
    i,
    renderNotice(
      "success",
      added
        ? `Subscribed <#${i.channelId}> to *${title}*: every process launched from it gets a live card here.`
        : `<#${i.channelId}> was already subscribed to *${title}*.`,
    ),
  );
}

export async function unsubscribe(bot: BotContext, i: Interaction, args: string) {
  const words = args.trim().toLowerCase();
  if (!words) return warn(i, "Name a template, e.g. `/tallyfy unsubscribe Employee Onboarding`.");
  const subs = await bot.live.subscriptionsIn(i.teamId, i.channelId);
  const exact = subs.filter(
    (s) => s.templateTitle.toLowerCase() === words || s.templateId === words,
  );
  const loose = subs.filter((s) => s.templateTitle.toLowerCase().includes(words));
  const matches = exact.length > 0 ? exact : loose;
  const only = matches.length === 1 ? matches[0] : undefined;
  if (!only) {
    return warn(
      i,
      matches.length === 0
        ? `<#${i.channelId}> isn't subscribed to a template matching ${code(args.trim(), 100)}.`
        : "Several subscriptions match; give the template's full name.",
    );
  }
  await bot.live.unsubscribe(i.teamId, i.channelId, only.templateId);
  await reply(
    i,
    renderNotice(
      "success",
      `Unsubscribed <#${i.channelId}> from *${safeLine(only.templateTitle, 150)}*. Cards already posted stay live.`,
    ),
  );
}

export async function listSubscriptions(bot: BotContext, i: Interaction) {
  const subs = await bot.live.subscriptionsIn(i.teamId, i.channelId);
  await reply(i, renderSubscriptions(subs, i.channelId));
}
