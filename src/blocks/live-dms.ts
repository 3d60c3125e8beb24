/**
 * The DMs the bot sends: "Your turn" when a completion makes a task someone's, and "Done" to
 * whoever launched a process when it completes. Pure.
 */
import type { ActionsBlock, Button, KnownBlock } from "@slack/types";
import type { Task } from "../tallyfy/task-schemas.ts";
import { mrkdwn, safeLine } from "./format.ts";
import { mrkdwnLink, usableUrl } from "./links.ts";
import { decisionButtons, dueText, openTaskButton, taskTitle } from "./tasks/row.ts";

export interface YourTurnContext {
  /** The process in Tallyfy (Open button and the process name's link). */
  runUrl: string;
  /** A link to the process's card in a channel, when there is one. */
  cardLink?: string | undefined;
  now: Date;
}

const cardLine = (link: string | undefined) =>
  usableUrl(link) ? `${mrkdwnLink(link, "See the process card")}` : undefined;

export function renderYourTurn(
  task: Task,
  process: string,
  ctx: YourTurnContext,
): { text: string; blocks: KnownBlock[] } {
  const title = taskTitle(task);
  const name = safeLine(process, 150, "a process");
  const linkedName = usableUrl(ctx.runUrl) ? mrkdwnLink(ctx.runUrl, name) : name;
  const blocks: KnownBlock[] = [
    {
      type: "section",
      text: mrkdwn(
        `:point_right: *Your turn:* ${title} in ${linkedName}\n${dueText(task, ctx.now)}`,
      ),
    },
  ];
  const elements: Button[] = task.isCompleted ? [] : decisionButtons(task);
  const open = openTaskButton(task, ctx.runUrl);
  if (open) elements.push(open);
  if (elements.length) blocks.push({ type: "actions", elements } satisfies ActionsBlock);
  const card = cardLine(ctx.cardLink);
  if (card) blocks.push({ type: "context", elements: [mrkdwn(card)] });
  return { text: `Your turn: ${title} in ${name}`, blocks };
}

export function renderProcessDone(
  process: string,
  ctx: { runUrl: string; cardLink?: string | undefined },
): { text: string; blocks: KnownBlock[] } {
  const name = safeLine(process, 150, "A process");
  const linked = usableUrl(ctx.runUrl) ? mrkdwnLink(ctx.runUrl, name) : name;
  const lines = [`:white_check_mark: *Done:* ${linked} is complete.`];
  const card = cardLine(ctx.cardLink);
  if (card) lines.push(card);
  return {
    text: `Done: ${name} is complete`,
    blocks: [{ type: "section", text: mrkdwn(lines.join("\n")) }],
  };
}
