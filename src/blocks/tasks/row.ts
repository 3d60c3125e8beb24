/**
 * One task as a list row: its text (title, process, deadline) and its buttons by task type,
 * plus the row redrawn after a click ("Completed by @you · time"). Pure.
 */
import type { ActionsBlock, Button, KnownBlock, Overflow, PlainTextOption } from "@slack/types";
import type { Task } from "../../tallyfy/task-schemas.ts";
import type { TaskRef } from "../../tallyfy/tasks.ts";
import { isPast, slackDate } from "../dates.ts";
import { label, mrkdwn, safeLine } from "../format.ts";
import { mrkdwnLink, usableUrl } from "../links.ts";
import { type PersonRef, personLabel } from "../people.ts";
import {
  BUTTON_VALUE_MAX,
  encodeTaskClick,
  encodeTaskRef,
  MORE_COMMENT,
  MORE_OPEN,
  OPTION_VALUE_MAX,
  rowActionsBlockId,
  rowBlockId,
  TASK_ACTION,
  type TaskOrigin,
} from "./ids.ts";

const SECTION_MAX = 3000;

export interface TaskLinks {
  /** The task in Tallyfy ("Open in Tallyfy"). */
  taskUrl: (task: Task) => string;
  /** The process in Tallyfy, for the row's process name. */
  runUrl: (runId: string) => string;
}

export const refOf = (task: Task): TaskRef => ({
  id: task.id,
  runId: task.run_id,
  oneOff: task.is_oneoff_task,
});

const TYPE_LABEL: Record<string, string> = {
  approval: ":ballot_box_with_check: Approval",
  expiring: ":hourglass: Expires at the deadline",
  expiring_email: ":hourglass: Expires at the deadline",
  email: ":email: Email",
};

export const taskTitle = (task: Task, max = 200) => safeLine(task.title, max, "Untitled task");

/** "Due <date>" with an overdue mark, or "No deadline". */
export function dueText(task: Task, now: Date): string {
  if (!task.deadline) return "No deadline";
  const late = !task.isCompleted && isPast(task.deadline, now) ? " · :warning: overdue" : "";
  return `Due ${slackDate(task.deadline)}${late}`;
}

/** The process the task belongs to, linked; "One-off task" for one-off tasks. */
function processText(task: Task, links: TaskLinks, linked: boolean): string {
  if (task.is_oneoff_task) return "One-off task";
  const name = safeLine(task.run?.name, 150, "Process");
  const runId = task.run?.id ?? task.run_id;
  return linked && runId ? mrkdwnLink(links.runUrl(runId), name) : name;
}

/** Title (linked to Tallyfy), process, type and deadline, within a section's 3000 characters. */
export function rowText(task: Task, links: TaskLinks, now: Date): string {
  const title = taskTitle(task);
  const type = TYPE_LABEL[task.task_type];
  const details = (linked: boolean) =>
    [processText(task, links, linked), type].filter(Boolean).join(" · ");
  const rest = `\n${details(true)}\n${dueText(task, now)}`;
  const full = `*${mrkdwnLink(links.taskUrl(task), title)}*${rest}`;
  if (full.length <= SECTION_MAX) return full;
  // Long URLs: drop the links rather than the words.
  return `*${title}*\n${details(false)}\n${dueText(task, now)}`;
}

function button(text: string, actionId: string, value: string, style?: Button["style"]): Button {
  return {
    type: "button",
    action_id: actionId,
    text: label(text),
    value,
    ...(style ? { style } : {}),
  };
}

/** "Open in Tallyfy" for a task, carrying its ref; none for an unusable link or value. */
export function openTaskButton(task: Task, link: string | undefined): Button | undefined {
  const url = usableUrl(link);
  const value = encodeTaskRef(refOf(task));
  if (!url || value.length > BUTTON_VALUE_MAX) return undefined;
  return {
    type: "button",
    action_id: TASK_ACTION.open,
    text: label("Open in Tallyfy"),
    url,
    value,
  };
}

/**
 * Complete (task, email), Approve + Reject (approval), Acknowledge (expiring). `origin` goes
 * into the value for surfaces whose blocks a click does not bring back (the private list).
 */
export function decisionButtons(task: Task, origin?: TaskOrigin): Button[] {
  const value = encodeTaskClick(refOf(task), origin);
  if (value.length > BUTTON_VALUE_MAX) return [];
  switch (task.task_type) {
    case "approval":
      return [
        button("Approve", TASK_ACTION.approve, value, "primary"),
        button("Reject", TASK_ACTION.reject, value, "danger"),
      ];
    case "expiring":
    case "expiring_email":
      return [button("Acknowledge", TASK_ACTION.acknowledge, value, "primary")];
    default:
      return [button("Complete", TASK_ACTION.complete, value, "primary")];
  }
}

/** Comment and Open in Tallyfy; undefined when neither fits Slack's limits. */
export function moreMenu(task: Task, links: TaskLinks): Overflow | undefined {
  const options: PlainTextOption[] = [];
  const comment = `${MORE_COMMENT}${encodeTaskRef(refOf(task))}`;
  if (comment.length <= OPTION_VALUE_MAX) {
    options.push({ text: label("Comment"), value: comment });
  }
  const url = usableUrl(links.taskUrl(task));
  if (url) options.push({ text: label("Open in Tallyfy"), value: MORE_OPEN, url });
  // An overflow needs at least two options.
  if (options.length < 2) return undefined;
  return { type: "overflow", action_id: TASK_ACTION.more, options };
}

/** A row: the text section, then an actions block with the buttons and the overflow. */
export function taskRowBlocks(
  task: Task,
  links: TaskLinks,
  now: Date,
  origin?: TaskOrigin,
): KnownBlock[] {
  const blocks: KnownBlock[] = [
    { type: "section", block_id: rowBlockId(task.id), text: mrkdwn(rowText(task, links, now)) },
  ];
  const elements: ActionsBlock["elements"] = [...decisionButtons(task, origin)];
  const more = moreMenu(task, links);
  if (more) elements.push(more);
  if (elements.length) {
    blocks.push({ type: "actions", block_id: rowActionsBlockId(task.id), elements });
  }
  return blocks;
}

export type TaskOutcome =
  | "completed"
  | "approved"
  | "rejected"
  | "acknowledged"
  /** Someone (maybe the clicker) had completed it already: nothing was sent. */
  | "already_completed";

const OUTCOME: Record<TaskOutcome, string> = {
  completed: ":white_check_mark: Completed by",
  approved: ":white_check_mark: Approved by",
  rejected: ":no_entry: Rejected by",
  acknowledged: ":white_check_mark: Acknowledged by",
  already_completed: ":information_source: Already completed by",
};

export interface DoneContext {
  outcome: TaskOutcome;
  /** Who did it: the clicker, or Tallyfy's completer mapped to Slack. */
  by: PersonRef | undefined;
  /** When: now for a click, the task's completed_at otherwise. */
  at: string | null | undefined;
}

/** "Completed by @you · <time>" (trusted mrkdwn, at most a few hundred characters). */
export function doneLine(done: DoneContext): string {
  const when = done.at ? ` · ${slackDate(done.at)}` : "";
  return `${OUTCOME[done.outcome]} ${personLabel(done.by)}${when}`;
}

/** The row after a click: title struck through, who and when, and Open only. */
export function doneRowBlocks(task: Task, links: TaskLinks, done: DoneContext): KnownBlock[] {
  const title = taskTitle(task);
  const linked = `~${mrkdwnLink(links.taskUrl(task), title)}~`;
  const head = linked.length <= SECTION_MAX - 500 ? linked : `~${title}~`;
  return [
    {
      type: "section",
      block_id: rowBlockId(task.id),
      text: mrkdwn(`${head}\n${doneLine(done)}`),
    },
  ];
}

/** The message's blocks with one task's row replaced (its section and actions blocks). */
export function replaceTaskRow(
  blocks: readonly KnownBlock[],
  taskId: string,
  replacement: readonly KnownBlock[],
): KnownBlock[] {
  const ids = new Set([rowBlockId(taskId), rowActionsBlockId(taskId)]);
  const out: KnownBlock[] = [];
  let placed = false;
  for (const block of blocks) {
    if (block.block_id && ids.has(block.block_id)) {
      if (!placed) out.push(...replacement);
      placed = true;
    } else {
      out.push(block);
    }
  }
  return out;
}
