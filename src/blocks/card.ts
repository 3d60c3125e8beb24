/**
 * The status card: one message per process, redrawn in place after every action. Stays inside
 * Block Kit limits for any data Tallyfy can send.
 */
import type { ActionsBlock, Button, KnownBlock, MrkdwnElement } from "@slack/types";
import type { Run } from "../tallyfy/schemas.ts";
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
    field("Next task", nextTaskValue(run, now, finished)),
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

function nextTaskValue(run: Run, now: Date, finished: boolean): string {
  const task = run.next_task;
  if (!task) return run.status.toLowerCase().startsWith("complete") ? "All tasks done" : "—";
  const title = safeLine(task.title, 300, "Untitled task");
  if (!task.deadline) return title;
  const late = !finished && isPast(task.deadline, now) ? " · :warning: overdue" : "";
  return `${title}\nDue ${slackDate(task.deadline)}${late}`;
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
  elements.push(button("Refresh", ACTION.refresh, run.id));
  const url = usableUrl(runUrl);
  if (url) elements.push({ ...button("Open in Tallyfy", ACTION.open, run.id), url });
  return { type: "actions", elements };
}
