/**
 * Which Tallyfy connection re-reads a run when no person is clicking (webhooks, the reconcile
 * loop): the workspace connection when it is for that organization; else the connection of
 * whoever created or rotated the organization's webhook secret; else that of whoever posted
 * the card. A connection Tallyfy rejected, or one for another organization, is never used.
 */
import type { BotContext } from "../../slack/context.ts";
import type { Tallyfy, TallyfyApi } from "../../tallyfy/api.ts";

export async function apiForOrg(
  bot: BotContext,
  tallyfy: Tallyfy,
  orgId: string,
  poster?: { teamId: string; userId: string | null },
): Promise<TallyfyApi | undefined> {
  const shared = bot.config.tallyfy.shared;
  if (shared && shared.orgId === orgId) return tallyfy.forConnection(shared);
  const secret = await bot.live.webhookSecretFor(orgId);
  const candidates = [
    secret?.userId ? { teamId: secret.teamId, userId: secret.userId } : undefined,
    poster?.userId ? { teamId: poster.teamId, userId: poster.userId } : undefined,
  ];
  for (const who of candidates) {
    if (!who) continue;
    const conn = await bot.store.get(who.teamId, who.userId);
    if (conn && conn.status === "ok" && conn.orgId === orgId) {
      bot.secrets.register(conn.token);
      return tallyfy.forConnection({ token: conn.token, orgId: conn.orgId });
    }
  }
  return undefined;
}
