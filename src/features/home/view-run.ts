/** Home's View button: the process's status card in the person's DM with the app. */
import type { BlockAction, RespondFn } from "@slack/bolt";
import { actorOrPrompt } from "../../slack/actor-gate.ts";
import type { BotContext } from "../../slack/context.ts";
import { type Interaction, payloadInteraction } from "../../slack/interaction.ts";
import type { WebClient } from "../../slack/web-client.ts";
import { showCard } from "../card/flow.ts";
import { refreshHome } from "./flow.ts";

/**
 * A click in Home as an Interaction. Home has no channel and no response_url: the card and any
 * answer go to the person's DM with the app (chat.postMessage to a user id posts there).
 */
export function homeInteraction(
  bot: BotContext,
  body: BlockAction,
  client: WebClient,
): Interaction {
  const i = payloadInteraction(bot, body, client);
  return { ...i, channelId: i.channelId || i.userId, respond: dmRespond(client, i.userId) };
}

/** Answers in the person's DM with the app, for interactions without a response_url. */
export function dmRespond(client: WebClient, userId: string): RespondFn {
  return async (msg) => {
    const m = (typeof msg === "string" ? { text: msg } : msg) as {
      text?: string;
      blocks?: unknown[];
    };
    await client.chat.postMessage({
      channel: userId,
      text: m.text ?? "",
      ...(m.blocks ? { blocks: m.blocks as never } : {}),
    });
    return undefined as never;
  };
}

export async function viewRunFromHome(bot: BotContext, i: Interaction, runId: string) {
  const actor = await actorOrPrompt(bot, i);
  if (actor) await showCard(bot, i, actor, runId, "view");
  await refreshHome(bot, i.client, i.teamId, i.userId);
}
