/**
 * `/tallyfy webhooks [rotate]`: the organization's webhook URL and how to paste it into Tallyfy,
 * for Slack workspace admins and owners and the people in WEBHOOK_ADMINS. The secret is made on
 * first use; its connection (the shared one, or the admin's own) is the one that re-reads runs.
 */
import type { Actor } from "../../accounts/actor.ts";
import { renderWebhookSetup } from "../../blocks/live-admin.ts";
import { renderNotice } from "../../blocks/notices.ts";
import type { BotContext } from "../../slack/context.ts";
import type { Interaction } from "../../slack/interaction.ts";
import { reply } from "../../slack/reply.ts";
import { newWebhookSecret } from "../cards-registry/engine.ts";
import { WEBHOOK_PATH } from "./receiver.ts";

async function isAdmin(bot: BotContext, i: Interaction): Promise<boolean> {
  if (bot.config.live.webhookAdmins.includes(i.userId)) return true;
  try {
    const res = await i.client.users.info({ user: i.userId });
    return Boolean(res.user?.is_admin || res.user?.is_owner || res.user?.is_primary_owner);
  } catch {
    return false;
  }
}

export async function webhooksCommand(
  bot: BotContext,
  i: Interaction,
  actor: Actor,
  args: string,
): Promise<void> {
  if (!(await isAdmin(bot, i))) {
    await reply(
      i,
      renderNotice(
        "warning",
        "Only Slack workspace admins (or the people in `WEBHOOK_ADMINS`) can see or change the webhook URL.",
      ),
    );
    return;
  }
  const word = args.trim().toLowerCase();
  if (word !== "" && word !== "rotate") {
    await reply(
      i,
      renderNotice("warning", "Use `/tallyfy webhooks` or `/tallyfy webhooks rotate`."),
    );
    return;
  }
  const orgId = actor.api.orgId;
  const existing = await bot.live.webhookSecretFor(orgId);
  const rotate = word === "rotate" || !existing;
  const secret = rotate
    ? await bot.live.putWebhookSecret({
        orgId,
        secret: newWebhookSecret(),
        teamId: i.teamId,
        userId: actor.kind === "user" ? i.userId : null,
      })
    : existing;
  if (rotate) {
    bot.logger.info(existing ? "rotated the webhook secret" : "created the webhook secret", {
      orgId,
      by: i.userId,
    });
  }
  const base = bot.config.live.publicUrl;
  const orgName = actor.kind === "user" ? (actor.connection.orgName ?? orgId) : orgId;
  await reply(
    i,
    renderWebhookSetup({
      url: base ? `${base}${WEBHOOK_PATH}/${secret.secret}` : undefined,
      secret,
      orgName,
      rotated: Boolean(existing) && word === "rotate",
    }),
  );
}
