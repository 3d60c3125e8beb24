import type { RespondFn } from "@slack/bolt";
import { type Actor, resolveActor } from "../accounts/actor.ts";
import { renderConnectPrompt } from "../blocks/connect.ts";
import type { PendingCommand } from "../store/pending.ts";
import type { BotContext } from "./context.ts";
import { reply } from "./reply.ts";

export interface GateContext {
  teamId: string;
  userId: string;
  respond: RespondFn;
  /** The command to replay once the user has connected, if this came from a command. */
  replay?: { text: string; channelId: string; responseUrl?: string | undefined } | undefined;
  /** The slash command's response_url, so a replayed command can answer where it was asked. */
  responseUrl?: string | undefined;
}

/**
 * The actor for this Slack user, or undefined after telling them to connect (keeping the
 * command they ran so it can be carried out after connecting).
 */
export async function actorOrPrompt(bot: BotContext, ctx: GateContext): Promise<Actor | undefined> {
  const result = await resolveActor(bot, ctx.teamId, ctx.userId);
  if (result.kind !== "not_connected") return result;
  // Without the store the prompt still shows; the command just won't be replayed.
  const pendingId = ctx.replay
    ? await bot.pending.set(ctx.teamId, ctx.userId, pendingOf(ctx)).catch((error: unknown) => {
        bot.logger.warn("could not keep the command for after connecting", { error });
        return undefined;
      })
    : undefined;
  const prompt = renderConnectPrompt({ invalid: result.invalid, pendingId });
  await reply(ctx, prompt);
  return undefined;
}

function pendingOf(ctx: GateContext): PendingCommand {
  const replay = ctx.replay ?? { text: "", channelId: "" };
  const responseUrl = replay.responseUrl ?? ctx.responseUrl;
  return {
    text: replay.text,
    channelId: replay.channelId,
    ...(responseUrl ? { responseUrl } : {}),
  };
}
