/**
 * `/tallyfy connect` (the token window opens at once), `disconnect` and `whoami`. The window's
 * submissions are in submit.ts.
 */
import {
  connectDisabledNotice,
  connectTokenView,
  noTriggerNotice,
  renderDisconnected,
  renderWhoami,
  type WhoamiState,
} from "../../blocks/accounts.ts";
import { renderNotice } from "../../blocks/notices.ts";
import type { BotContext } from "../../slack/context.ts";
import type { Interaction } from "../../slack/interaction.ts";
import { reply } from "../../slack/reply.ts";
import { isTallyfyError } from "../../tallyfy/errors.ts";

/** Per-user connections need somewhere safe to keep tokens: TOKEN_ENCRYPTION_KEY. */
export function perUserEnabled(bot: BotContext): boolean {
  return bot.config.encryptionKey !== undefined;
}

/** The workspace connection applies to people without their own. */
export function sharedAllowed(bot: BotContext): boolean {
  return Boolean(bot.config.tallyfy.shared && bot.config.tallyfy.allowShared);
}

/** Opens the token window; `pendingId` is the command to carry out once connected. */
export async function connect(bot: BotContext, i: Interaction, pendingId?: string): Promise<void> {
  if (!perUserEnabled(bot)) {
    await reply(i, connectDisabledNotice({ sharedAllowed: sharedAllowed(bot) }));
    return;
  }
  if (!i.triggerId) {
    await reply(i, noTriggerNotice());
    return;
  }
  // The trigger id expires 3 s after the click: open first, before any other work.
  const view = connectTokenView({ webUrl: bot.config.tallyfy.webUrl, pendingId });
  try {
    await i.client.views.open({ trigger_id: i.triggerId, view });
  } catch (error) {
    bot.logger.warn("views.open for connect failed", { error: (error as Error).message });
    await reply(
      i,
      renderNotice(
        "warning",
        "Slack didn't let me open the connect window in time. Please run `/tallyfy connect` again.",
      ),
    );
  }
}

export async function disconnect(bot: BotContext, i: Interaction): Promise<void> {
  try {
    const old = await bot.store.get(i.teamId, i.userId).catch(() => undefined);
    const removed = await bot.store.delete(i.teamId, i.userId);
    bot.secrets.forget(old?.token);
    // Shared with every instance: a connect window open on another one can't finish now, and
    // a command typed before is not replayed by a later connect.
    await bot.pendingTokens.dropUser(i.teamId, i.userId);
    await bot.pending.drop(i.teamId, i.userId);
    bot.logger.info("Tallyfy connection removed", { userId: i.userId, removed });
    await reply(i, renderDisconnected({ removed, sharedAllowed: sharedAllowed(bot) }));
  } catch (error) {
    bot.logger.error("disconnect failed", { userId: i.userId, error });
    await reply(i, renderNotice("error", "I couldn't remove your connection. Please try again."));
  }
}

export async function whoami(bot: BotContext, i: Interaction): Promise<void> {
  try {
    await reply(i, renderWhoami(await whoamiState(bot, i.teamId, i.userId)));
  } catch (error) {
    bot.logger.error("whoami failed", { userId: i.userId, error });
    await reply(i, renderNotice("error", "Something went wrong on my side, sorry."));
  }
}

/** Who the person acts as in Tallyfy (also Home's first lines). */
export async function whoamiState(
  bot: BotContext,
  teamId: string,
  userId: string,
): Promise<WhoamiState> {
  const own = await bot.store.get(teamId, userId);
  if (own?.status === "ok") {
    return {
      kind: "user",
      user: { name: own.tallyfyName, email: own.tallyfyEmail },
      orgName: own.orgName,
      orgId: own.orgId,
      since: own.createdAt,
    };
  }
  const shared = bot.config.tallyfy.shared;
  if (own?.status === "invalid" || !shared || !bot.config.tallyfy.allowShared) {
    return { kind: "none", invalid: own?.status === "invalid" };
  }
  const base = {
    kind: "shared" as const,
    orgId: shared.orgId,
    perUserEnabled: perUserEnabled(bot),
  };
  const opts = { policy: bot.policies.background };
  try {
    const [user, orgs] = await Promise.all([
      bot.tallyfy.me.me(shared.token, opts),
      bot.tallyfy.me.organizations(shared.token, opts),
    ]);
    const org = orgs.find((o) => o.id === shared.orgId);
    return { ...base, user: { name: user.full_name, email: user.email }, orgName: org?.name };
  } catch (error) {
    if (!isTallyfyError(error)) throw error;
    bot.logger.warn("whoami: could not look up the workspace connection", { kind: error.kind });
    const problem =
      error.kind === "authentication"
        ? "Tallyfy rejected the workspace connection's token. Ask whoever runs this bot to renew TALLYFY_ACCESS_TOKEN."
        : "I couldn't ask Tallyfy who that account is right now.";
    return { ...base, problem };
  }
}
