/** Carrying out the command that prompted a connect, once the person has connected. */
import type { RespondArguments, RespondFn } from "@slack/bolt";
import type { ModalView } from "@slack/types";
import type { BotContext } from "../../slack/context.ts";
import type { Interaction } from "../../slack/interaction.ts";
import type { WebClient } from "../../slack/web-client.ts";
import type { PendingCommand } from "../../store/pending.ts";
import { dispatch } from "../commands/routes.ts";

/** Never rejects; answers `undefined` (the connect modal's "connected" view stays). */
export async function replayAfterConnecting(
  bot: BotContext,
  submitted: Interaction,
  viewId: string,
  pending: PendingCommand,
): Promise<undefined> {
  const { userId } = submitted;
  try {
    await dispatch(bot, {
      ...submitted,
      channelId: pending.channelId,
      text: pending.text,
      responseUrl: pending.responseUrl,
      respond: replayRespond(bot, submitted.client, { userId, ...pending }),
      client: opensInPlace(submitted.client, viewId),
    });
  } catch (error) {
    bot.logger.error("replaying a command after connecting failed", { userId, error });
  }
  return undefined;
}

/**
 * views.open right after a submission is unreliable in Slack's desktop clients, so a replayed
 * command that opens a modal (launch, edit) replaces the connect modal in place instead.
 */
export function opensInPlace(client: WebClient, viewId: string): WebClient {
  const views = new Proxy(client.views, {
    get(target, prop, receiver) {
      if (prop !== "open") return Reflect.get(target, prop, receiver);
      return (args: { view: ModalView }) => target.update({ view_id: viewId, view: args.view });
    },
  });
  return new Proxy(client, {
    get(target, prop, receiver) {
      return prop === "views" ? views : Reflect.get(target, prop, receiver);
    },
  });
}

/**
 * Answers a replayed command where it was asked: through the original command's response_url
 * when there is one, else as an ephemeral message (or a channel message for in_channel).
 */
export function replayRespond(
  bot: BotContext,
  client: WebClient,
  where: { userId: string; channelId: string; responseUrl?: string | undefined },
): RespondFn {
  return async (message: string | RespondArguments) => {
    const msg: RespondArguments = typeof message === "string" ? { text: message } : message;
    const viaUrl = where.responseUrl
      ? await postResponseUrl(bot, where.responseUrl, msg)
      : undefined;
    if (viaUrl) return viaUrl;
    const blocks = (msg as { blocks?: unknown }).blocks as never;
    const args = { channel: where.channelId, text: msg.text ?? "", blocks };
    if (msg.response_type === "in_channel") await client.chat.postMessage(args);
    else await client.chat.postEphemeral({ ...args, user: where.userId });
    return new Response(null, { status: 200 });
  };
}

async function postResponseUrl(
  bot: BotContext,
  url: string,
  msg: RespondArguments,
): Promise<Response | undefined> {
  try {
    const res = await bot.responseUrls.post(url, msg);
    if (res.ok) return res;
    // The URL is a capability: log only the status.
    bot.logger.warn("response_url refused a replayed reply; posting ephemerally", {
      status: res.status,
    });
  } catch (error) {
    bot.logger.warn("response_url unreachable; posting ephemerally", {
      error: (error as Error).name,
    });
  }
  return undefined;
}
