/**
 * A single task as a message (the reply to "Create Tallyfy task"), redrawn in place after a
 * click; and the status card's "Next task" line and button. Pure.
 */
import type { ActionsBlock, Button, KnownBlock, MrkdwnElement } from "@slack/types";
import type { Task } from "../../tallyfy/task-schemas.ts";
import { slackDate } from "../dates.ts";
import { mrkdwn, plain } from "../format.ts";
import { type PersonRef, personLabel } from "../people.ts";
import { mrkdwnText, plainLine, truncate } from "../text.ts";
import {
  type DoneContext,
  decisionButtons,
  doneLine,
  dueText,
  openTaskButton,
  type TaskLinks,
  taskTitle,
} from "./row.ts";

export interface TaskCardContext extends TaskLinks {
  /** The task's assignees as people (Slack mentions where mapped). */
  assignees?: PersonRef[] | undefined;
  /** Set after a click: "Completed by @you · time"; the decision buttons go away. */
  done?: DoneContext | undefined;
  now?: Date | undefined;
}

const ASSIGNEES_SHOWN = 10;

/** "@a, @b, Carol +3 more", or "Nobody". */
export function assigneeList(people: readonly PersonRef[] | undefined): string {
  const list = people ?? [];
  if (list.length === 0) return "Nobody";
  const shown = list.slice(0, ASSIGNEES_SHOWN).map((p) => personLabel(p));
  const more = list.length - shown.length;
  return more > 0 ? `${shown.join(", ")} +${more} more` : shown.join(", ");
}

function field(title: string, value: string): MrkdwnElement {
  return mrkdwn(`*${title}*\n${truncate(value, 1900)}`);
}

const TYPE_WORD: Record<string, string> = {
  approval: "Approval",
  expiring: "Expiring (acknowledge)",
  expiring_email: "Expiring email",
  email: "Email",
  task: "Task",
};

export function renderTaskCard(
  task: Task,
  ctx: TaskCardContext,
): { text: string; blocks: KnownBlock[] } {
  const now = ctx.now ?? new Date();
  const process = task.is_oneoff_task ? "One-off task" : plainLine(task.run?.name ?? "", 150);
  const blocks: KnownBlock[] = [
    { type: "header", text: plain(task.title, 150, "Untitled task") },
    {
      type: "section",
      fields: [
        // The field is titled "Due": its value is just the date (and "overdue").
        field("Due", dueText(task, now).replace(/^Due /, "")),
        field("Assigned to", assigneeList(ctx.assignees)),
        field("Type", TYPE_WORD[task.task_type] ?? mrkdwnText(plainLine(task.task_type, 40), 80)),
        field("Process", process ? mrkdwnText(process, 300) : "—"),
      ],
    },
  ];
  const summary = task.summary?.trim();
  if (summary) {
    const quoted = mrkdwnText(summary.replace(/\r\n?/g, "\n"), 1500)
      .split("\n")
      .slice(0, 10)
      .map((l) => `>${l}`)
      .join("\n");
    blocks.push({ type: "section", text: mrkdwn(quoted) });
  }
  const done = ctx.done;
  const finished = Boolean(done) || task.isCompleted;
  const elements: Button[] = finished ? [] : decisionButtons(task);
  const open = openTaskButton(task, ctx.taskUrl(task));
  if (open) elements.push(open);
  if (elements.length) blocks.push({ type: "actions", elements } satisfies ActionsBlock);
  if (done) blocks.push({ type: "context", elements: [mrkdwn(doneLine(done))] });
  else if (task.isCompleted) {
    const when = task.completed_at ? ` ${slackDate(task.completed_at)}` : "";
    blocks.push({ type: "context", elements: [mrkdwn(`:white_check_mark: Completed${when}`)] });
  }
  const title = taskTitle(task);
  return { text: `Task: ${title}${finished ? " (completed)" : ""}`, blocks };
}

/** The status card's "Next task": title, assignees, deadline; "—" when there is none. */
export function nextTaskText(
  task: Task | undefined,
  assignees: PersonRef[] | undefined,
  now: Date,
): string {
  if (!task) return "—";
  return `${taskTitle(task, 300)}\n${assigneeList(assignees)} · ${dueText(task, now)}`;
}

/** The Complete (or Approve/Acknowledge) button for the status card's next task. */
export function nextTaskButtons(task: Task | undefined): Button[] {
  if (!task || task.isCompleted) return [];
  // The card has room for one decision; Reject needs the task's own message or list row.
  return decisionButtons(task).slice(0, 1);
}
