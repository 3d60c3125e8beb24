/** The created task's card, posted in the message's thread (joining or via response_url). */
import type { RespondArguments } from "@slack/bolt";
import { renderTaskCard } from "../../blocks/tasks/card.ts";
import { taskCardProblemText } from "../../blocks/tasks/created.ts";
import type { BotContext } from "../../slack/context.ts";
import { slackErrorCode } from "../../slack/slack-errors.ts";
import type { WebClient } from "../../slack/web-client.ts";
import type { Task } from "../../tallyfy/task-schemas.ts";
import { runLink } from "../card/cards.ts";
import { oneOffTaskUrl } from "../tasks/links.ts";

export interface CardPlace {
  /** The Tallyfy organization the task is in (for its links). */
  orgId: string;
  /** Slack users the task was assigned to (shown as mentions). */
  assignees: string[];
  channel: string;
  threadTs: string;
  /** The shortcut's response_url, for conversations the bot can't post in. */
  responseUrl: string | undefined;
}

export type CardResult = { posted: true } | { posted: false; problem: string };

const CANT_POST = new Set(["not_in_channel", "channel_not_found"]);

export async function postTaskCard(
  bot: BotContext,
  client: WebClient,
  task: Task,
  where: CardPlace,
): Promise<CardResult> {
  const card = renderTaskCard(task, {
    taskUrl: (t) => oneOffTaskUrl(bot, where.orgId, t.id),
    runUrl: (runId) => runLink(bot, where.orgId, runId),
    assignees: where.assignees.map((slackUserId) => ({ slackUserId })),
    now: bot.now(),
  });
  const message = { text: card.text, blocks: card.blocks as never, unfurl_links: false };
  const post = () =>
    client.chat.postMessage({ channel: where.channel, thread_ts: where.threadTs, ...message });
  let code: string | undefined;
  try {
    await post();
    return { posted: true };
  } catch (error) {
    code = slackErrorCode(error);
  }
  if (code === "not_in_channel") {
    try {
      await client.conversations.join({ channel: where.channel });
      await post();
      return { posted: true };
    } catch {
      // a private channel or a DM: the response_url below
    }
  }
  if (where.responseUrl && code && CANT_POST.has(code)) {
    const reply: RespondArguments = {
      response_type: "in_channel",
      replace_original: false,
      thread_ts: where.threadTs,
      ...message,
    };
    try {
      await bot.responseUrls.respondTo(where.responseUrl)(reply);
      return { posted: true };
    } catch (error) {
      code = slackErrorCode(error) ?? code;
    }
  }
  bot.logger.warn("could not post the created task's card", { channel: where.channel, code });
  return { posted: false, problem: taskCardProblemText(code) };
}
