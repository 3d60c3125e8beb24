import type { RespondFn, SlashCommand } from "@slack/bolt";
import type { BotContext } from "./context.ts";
import { noResponseUrl } from "./response-url.ts";
import type { WebClient } from "./web-client.ts";

/**
 * Who did what, where, read once from any Bolt body (slash command, button, modal submission,
 * select search), with the means to answer them. Flows take this, never a Bolt body.
 */
export interface Interaction {
  teamId: string;
  enterpriseId: string | undefined;
  userId: string;
  /** "" when the interaction happened outside a channel (a modal). */
  channelId: string;
  triggerId: string | undefined;
  responseUrl: string | undefined;
  /** The command text (a slash command, or one replayed after connecting); "" otherwise. */
  text: string;
  /** Answers through `responseUrl` (see slack/reply.ts for the usual shapes). */
  respond: RespondFn;
  client: WebClient;
}

/** The fields an interaction payload (block_actions, view_*, block_suggestion) shares. */
export interface PayloadBody {
  team?: { id: string; enterprise_id?: string } | null;
  enterprise?: { id: string } | null;
  user: { id: string; team_id?: string };
  channel?: { id: string } | undefined;
  container?: { channel_id?: string } | undefined;
  trigger_id?: string | undefined;
  response_url?: string | undefined;
}

/** The Slack team of any payload: the team it came from, else the user's (Enterprise Grid). */
export function teamIdOf(body: Pick<PayloadBody, "team" | "user">): string {
  return body.team?.id ?? body.user.team_id ?? "";
}

function respondFor(bot: BotContext, url: string | undefined): RespondFn {
  return url ? bot.responseUrls.respondTo(url) : noResponseUrl;
}

export function commandInteraction(
  bot: BotContext,
  command: SlashCommand,
  client: WebClient,
): Interaction {
  return {
    teamId: command.team_id,
    enterpriseId: command.enterprise_id || undefined,
    userId: command.user_id,
    channelId: command.channel_id,
    triggerId: command.trigger_id,
    responseUrl: command.response_url,
    text: command.text,
    respond: respondFor(bot, command.response_url),
    client,
  };
}

export function payloadInteraction(
  bot: BotContext,
  body: PayloadBody,
  client: WebClient,
): Interaction {
  return {
    teamId: teamIdOf(body),
    enterpriseId: body.enterprise?.id ?? body.team?.enterprise_id ?? undefined,
    userId: body.user.id,
    channelId: body.channel?.id ?? body.container?.channel_id ?? "",
    triggerId: body.trigger_id,
    responseUrl: body.response_url,
    text: "",
    respond: respondFor(bot, body.response_url),
    client,
  };
}
