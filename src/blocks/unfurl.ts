/**
 * A process link's unfurl: a compact card under the message that shared it (name, template,
 * status, progress, next task, due, with View and Open), and the prompt shown to a sharer who
 * has no Tallyfy connection. Pure; within Block Kit limits for any data.
 */
import type { Button, KnownBlock } from "@slack/types";
import type { Run } from "../tallyfy/schemas.ts";
import { isPast, slackDate } from "./dates.ts";
import {
  isFinished,
  label,
  mrkdwn,
  progressBar,
  progressLabel,
  safeLine,
  statusBadge,
} from "./format.ts";
import { ACTION } from "./ids.ts";
import { mrkdwnLink, usableUrl } from "./links.ts";

export interface UnfurlContext {
  runUrl: string;
  now: Date;
}

/** What chat.unfurl takes for one URL. */
export interface UnfurlAttachment {
  blocks: KnownBlock[];
}

export const CONNECT_TO_PREVIEW = "Connect Tallyfy to preview this link";

export function renderRunUnfurl(run: Run, ctx: UnfurlContext): UnfurlAttachment {
  const name = safeLine(run.name, 200, "Untitled process");
  const badge = statusBadge(run.status);
  const template = safeLine(run.checklist_title, 200, "");
  const head = [
    `*${mrkdwnLink(ctx.runUrl, name)}*`,
    [template, `${badge.emoji} ${badge.word}`].filter(Boolean).join(" · "),
  ].join("\n");
  const finished = isFinished(run.status);
  const fields = [
    mrkdwn(`*Progress*\n${progressBar(run.progress.percent)} ${progressLabel(run.progress)}`),
    mrkdwn(`*Next task*\n${nextTask(run, ctx.now, finished)}`),
    mrkdwn(`*Due*\n${due(run, ctx.now, finished)}`),
  ];
  const buttons: Button[] = [
    { type: "button", action_id: ACTION.view, text: label("View"), value: run.id.slice(0, 2000) },
  ];
  const url = usableUrl(ctx.runUrl);
  if (url) buttons.push({ type: "button", action_id: ACTION.open, text: label("Open"), url });
  return {
    blocks: [
      { type: "section", text: mrkdwn(head) },
      { type: "section", fields },
      { type: "actions", elements: buttons },
    ],
  };
}

function nextTask(run: Run, now: Date, finished: boolean): string {
  const task = run.next_task;
  if (!task) return run.status.toLowerCase().startsWith("complete") ? "All tasks done" : "—";
  const title = safeLine(task.title, 300, "Untitled task");
  if (!task.deadline) return title;
  const late = !finished && isPast(task.deadline, now) ? " · :warning: overdue" : "";
  return `${title}\nDue ${slackDate(task.deadline)}${late}`;
}

function due(run: Run, now: Date, finished: boolean): string {
  if (!run.due_date) return "—";
  const overdue = !finished && (run.due_date_passed || isPast(run.due_date, now));
  return overdue ? `${slackDate(run.due_date)} · :warning: overdue` : slackDate(run.due_date);
}

/** Shown privately to a sharer without a usable connection (chat.unfurl's user_auth_blocks). */
export function unfurlConnectPrompt(invalid: boolean): KnownBlock[] {
  const why = invalid
    ? "Tallyfy no longer accepts your saved access token, so I can't preview Tallyfy links you share. Reconnect to see them here."
    : `${CONNECT_TO_PREVIEW}: I show Tallyfy processes with your own Tallyfy permissions.`;
  return [
    { type: "section", text: mrkdwn(`:link: ${why}`) },
    {
      type: "actions",
      elements: [
        {
          type: "button",
          action_id: ACTION.connect,
          style: "primary",
          text: label(invalid ? "Reconnect Tallyfy" : "Connect Tallyfy"),
          value: "",
        },
      ],
    },
  ];
}
