/**
 * The status card: one message per process, redrawn in place after every action. Stays inside
 * Block Kit limits for any data Tallyfy can send.
 */
import type { ActionsBlock, Button, KnownBlock, MrkdwnElement } from "@slack/types";
import type { Run, TaskSummary } from "../tallyfy/schemas.ts";
import { isPast, slackDate } from "./dates.ts";
import {
  code,
  isFinished,
  label,
  mrkdwn,
  plain,
  progressBar,
  progressLabel,
  safeLine,
  statusBadge,
} from "./format.ts";
import { ACTION } from "./ids.ts";
import { usableUrl } from "./links.ts";
import { type PersonRef, personLabel } from "./people.ts";
import { encodeTaskClick, TASK_ACTION } from "./tasks/ids.ts";
import { mrkdwnText, plainLine, truncate } from "./text.ts";

export interface CardContext {
  /** Link to the process in Tallyfy; the Open button is left out when it is not http(s). */
  runUrl: string;
  owner?: PersonRef | undefined;
  startedBy?: PersonRef | undefined;
  /** Trusted mrkdwn, already built, e.g. "Archived by <@U1> · <!date…>". */
  lastAction?: { text: string } | undefined;
  /** Trusted mrkdwn shown as a warning line under the title, e.g. "Already archived". */
  notice?: string | undefined;
  /** The next task's assignees (nextTaskOf), as people. */
  nextTaskAssignees?: PersonRef[] | undefined;
  now?: Date | undefined;
}

export interface RenderedCard {
  text: string;
  blocks: KnownBlock[];
}

const SUMMARY_MAX_CHARS = 1000;
const SUMMARY_MAX_LINES = 8;
const TAGS_MAX_CHARS = 300;

export function renderStatusCard(run: Run, ctx: CardContext): RenderedCard {
  const now = ctx.now ?? new Date();
  const blocks: KnownBlock[] = [{ type: "header", text: plain(run.name, 150, "Untitled process") }];
  if (ctx.notice?.trim()) {
    blocks.push({
      type: "section",
      text: mrkdwn(`:warning: ${truncate(ctx.notice.trim(), 2900)}`),
    });
  }
  blocks.push({ type: "section", fields: cardFields(run, ctx, now) });
  const summary = summaryExcerpt(run.summary);
  if (summary) blocks.push({ type: "section", text: mrkdwn(summary) });
  blocks.push({ type: "context", elements: [mrkdwn(metaLine(run))] });
  blocks.push(cardActions(run, ctx.runUrl));
  if (ctx.lastAction?.text.trim()) {
    blocks.push({
      type: "context",
      elements: [mrkdwn(truncate(ctx.lastAction.text.trim(), 2000))],
    });
  }
  const name = safeLine(run.name, 200, "Untitled process");
  return { text: `Process: ${name} (${statusBadge(run.status).word})`, blocks };
}

function field(title: string, value: string): MrkdwnElement {
  return mrkdwn(`*${title}*\n${truncate(value, 1900)}`);
}

function cardFields(run: Run, ctx: CardContext, now: Date): MrkdwnElement[] {
  const finished = isFinished(run.status);
  const badge = statusBadge(run.status);
  const fields = [
    field("Status", `${badge.emoji} ${badge.word}`),
    field("Progress", progressValue(run)),
    field("Template", safeLine(run.checklist_title, 300)),
    field("Owner", personLabel(ctx.owner)),
    field("Due", dueValue(run, now, finished)),
    field("Next task", nextTaskValue(run, ctx, now, finished)),
    field("Created", slackDate(run.created_at)),
    field("Started by", personLabel(ctx.startedBy)),
  ];
  if (run.tags.length > 0) fields.push(field("Tags", tagList(run.tags.map((t) => t.title))));
  return fields;
}

function progressValue(run: Run): string {
  const line = `${progressBar(run.progress.percent)} ${progressLabel(run.progress)}`;
  const late = run.late_tasks ?? 0;
  if (late > 0 && !isFinished(run.status)) {
    return `${line}\n:warning: ${late} late ${late === 1 ? "task" : "tasks"}`;
  }
  return line;
}

function dueValue(run: Run, now: Date, finished: boolean): string {
  if (!run.due_date) return "—";
  const overdue = !finished && (run.due_date_passed || isPast(run.due_date, now));
  return overdue ? `${slackDate(run.due_date)} · :warning: overdue` : slackDate(run.due_date);
}

const DONE_STATUSES = new Set(["completed", "complete", "auto-skipped", "skipped"]);

/**
 * The first open task by position: from the run's tasks when it was read `with=tasks` (they
 * carry the task type), else Tallyfy's `next_task`.
 */
export function nextTaskOf(run: Run): TaskSummary | undefined {
  if (run.tasks === null) return run.next_task ?? undefined;
  return run.tasks
    .filter((t) => !t.completed_at && !DONE_STATUSES.has(t.status ?? ""))
    .sort((a, b) => (a.position ?? Infinity) - (b.position ?? Infinity))[0];
}

const ASSIGNEES_SHOWN = 5;

function nextTaskValue(run: Run, ctx: CardContext, now: Date, finished: boolean): string {
  const task = nextTaskOf(run);
  if (!task) {
    const allDone = run.status.toLowerCase().startsWith("complete") || run.tasks?.length;
    return allDone ? "All tasks done" : "—";
  }
  const lines = [safeLine(task.title, 300, "Untitled task")];
  const people = ctx.nextTaskAssignees ?? [];
  if (people.length > 0) {
    const shown = people.slice(0, ASSIGNEES_SHOWN).map((p) => personLabel(p));
    const more = people.length - shown.length;
    lines.push(more > 0 ? `${shown.join(", ")} +${more} more` : shown.join(", "));
  }
  if (task.deadline) {
    const late = !finished && isPast(task.deadline, now) ? " · :warning: overdue" : "";
    lines.push(`Due ${slackDate(task.deadline)}${late}`);
  }
  return lines.join("\n");
}

const TASK_ID = /^[0-9a-f]{32}$/;

const NEXT_TASK_BUTTON: Record<string, { text: string; actionId: string }> = {
  approval: { text: "Approve next task", actionId: TASK_ACTION.approve },
  expiring: { text: "Acknowledge next task", actionId: TASK_ACTION.acknowledge },
  expiring_email: { text: "Acknowledge next task", actionId: TASK_ACTION.acknowledge },
};

/** Complete (Approve, Acknowledge) the next task; Tallyfy decides whether the clicker may. */
function nextTaskButton(run: Run): Button | undefined {
  const task = nextTaskOf(run);
  if (!task || isFinished(run.status) || run.status.toLowerCase() === "archived") return undefined;
  // A button whose click could not name the task is worse than none.
  if (!TASK_ID.test(task.id) || !TASK_ID.test(run.id)) return undefined;
  const kind = NEXT_TASK_BUTTON[task.task_type ?? ""] ?? {
    text: "Complete next task",
    actionId: TASK_ACTION.complete,
  };
  const value = encodeTaskClick({ id: task.id, runId: run.id, oneOff: false }, { card: true });
  return { type: "button", action_id: kind.actionId, text: label(kind.text), value };
}

/** "a, b, c +N more", within TAGS_MAX_CHARS. */
export function tagList(titles: string[]): string {
  const shown: string[] = [];
  let used = 0;
  for (const title of titles) {
    const tag = safeLine(title, 60, "");
    if (!tag) continue;
    const cost = tag.length + (shown.length ? 2 : 0);
    if (used + cost > TAGS_MAX_CHARS || shown.length === 15) break;
    shown.push(tag);
    used += cost;
  }
  const hidden = titles.filter((t) => t.trim()).length - shown.length;
  if (shown.length === 0) return "—";
  return hidden > 0 ? `${shown.join(", ")} +${hidden} more` : shown.join(", ");
}

/** The summary as an escaped block quote: a few lines, a bounded number of characters. */
function summaryExcerpt(summary: string | null): string | undefined {
  if (!summary) return undefined;
  const lines = summary
    .replace(/\r\n?/g, "\n")
    .split("\n")
    .map((l) => plainLine(l, Number.POSITIVE_INFINITY));
  const kept: string[] = [];
  for (const line of lines) {
    if (line || (kept.length > 0 && kept[kept.length - 1] !== "")) kept.push(line);
  }
  while (kept.length > 0 && kept[kept.length - 1] === "") kept.pop();
  if (kept.length === 0) return undefined;
  let text = kept.slice(0, SUMMARY_MAX_LINES).join("\n");
  if (kept.length > SUMMARY_MAX_LINES) text += " …";
  const excerpt = mrkdwnText(text, SUMMARY_MAX_CHARS);
  return excerpt
    .split("\n")
    .map((l) => `>${l}`)
    .join("\n");
}

function metaLine(run: Run): string {
  const parts: string[] = [];
  if (run.increment_id != null) parts.push(`#${run.increment_id}`);
  parts.push(`ID ${code(run.id, 80)}`);
  const status = run.status.toLowerCase();
  if (status === "archived" && run.archived_at) {
    parts.push(`Archived ${slackDate(run.archived_at)}`);
  } else if (status.startsWith("complete") && run.completed_at) {
    parts.push(`Completed ${slackDate(run.completed_at)}`);
  } else if (run.last_updated) {
    parts.push(`Updated ${slackDate(run.last_updated)}`);
  }
  return parts.join(" · ");
}

function button(text: string, actionId: string, runId: string, style?: Button["style"]): Button {
  return {
    type: "button",
    action_id: actionId,
    text: label(text),
    value: runId.slice(0, 2000),
    ...(style ? { style } : {}),
  };
}

function cardActions(run: Run, runUrl: string): ActionsBlock {
  const archived = run.status.toLowerCase() === "archived";
  const elements: Button[] = [
    button("Update", ACTION.update, run.id, archived ? undefined : "primary"),
  ];
  if (archived) {
    elements.push(button("Activate", ACTION.activate, run.id, "primary"));
  } else {
    elements.push({
      ...button("Archive", ACTION.archive, run.id, "danger"),
      confirm: {
        title: label("Archive this process?"),
        text: {
          type: "plain_text",
          text: `“${safeLine(run.name, 150, "Untitled process")}” will be archived and hidden from active lists. You can activate it again later.`,
        },
        confirm: label("Archive"),
        deny: label("Cancel"),
        style: "danger",
      },
    });
  }
  const next = nextTaskButton(run);
  if (next) elements.push(next);
  elements.push(button("Refresh", ACTION.refresh, run.id));
  const url = usableUrl(runUrl);
  if (url) elements.push({ ...button("Open in Tallyfy", ACTION.open, run.id), url });
  return { type: "actions", elements };
}
