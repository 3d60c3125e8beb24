/**
 * `/tallyfy tasks [overdue | today | all]`: my tasks grouped Overdue / Due today / Upcoming
 * (overdue from the deadline, in the reader's own day), a page at a time with Previous/Next,
 * each row with its buttons. Stays under 50 blocks whatever the number of tasks. Pure.
 */
import type { Button, KnownBlock } from "@slack/types";
import type { Task } from "../../tallyfy/task-schemas.ts";
import { parseInstant } from "../dates.ts";
import { label, mrkdwn } from "../format.ts";
import { encodeTaskListState, TASK_ACTION, type TaskFilter, type TaskListState } from "./ids.ts";
import { type DoneContext, doneRowBlocks, type TaskLinks, taskRowBlocks } from "./row.ts";
import { type TaskGroup, taskGrouper } from "./when.ts";

/** Two blocks a row: 10 rows, three group headings, title and footer stay near 30 blocks. */
export const TASKS_PER_PAGE = 10;

export interface TaskListContext extends TaskLinks {
  state: TaskListState;
  now?: Date | undefined;
  /** The reader's IANA time zone (Slack's `tz`), for "Due today". UTC when unknown. */
  timeZone?: string | undefined;
  /** Tallyfy had more than were fetched (the list stops at 100). */
  truncated?: boolean | undefined;
  /** Tasks just acted on from this list: kept in place as "Completed by @you · time". */
  done?: ReadonlyMap<string, DoneContext> | undefined;
}

const GROUPS: { key: TaskGroup; title: string }[] = [
  { key: "overdue", title: ":rotating_light: *Overdue*" },
  { key: "today", title: ":calendar: *Due today*" },
  { key: "upcoming", title: ":spiral_calendar_pad: *Upcoming*" },
];

const TITLES: Record<TaskFilter, string> = {
  all: "Your tasks",
  overdue: "Your overdue tasks",
  today: "Your tasks due today",
};

function byDeadline(a: Task, b: Task): number {
  const x = parseInstant(a.deadline)?.getTime() ?? Number.POSITIVE_INFINITY;
  const y = parseInstant(b.deadline)?.getTime() ?? Number.POSITIVE_INFINITY;
  return x - y || a.title.localeCompare(b.title);
}

export function renderTaskList(
  tasks: readonly Task[],
  ctx: TaskListContext,
): { text: string; blocks: KnownBlock[] } {
  const now = ctx.now ?? new Date();
  const groupOf = taskGrouper(now, ctx.timeZone);
  const order = (t: Task) => GROUPS.findIndex((g) => g.key === groupOf(t));
  const shown = tasks
    .filter((t) => !t.isCompleted || ctx.done?.has(t.id))
    .filter((t) => ctx.state.filter === "all" || groupOf(t) === ctx.state.filter)
    .sort((a, b) => order(a) - order(b) || byDeadline(a, b));
  const title = TITLES[ctx.state.filter];
  if (shown.length === 0) return emptyList(ctx.state, title);

  const totalPages = Math.ceil(shown.length / TASKS_PER_PAGE);
  const page = Math.min(Math.max(1, ctx.state.page), totalPages);
  const rows = shown.slice((page - 1) * TASKS_PER_PAGE, page * TASKS_PER_PAGE);
  const open = shown.filter((t) => !ctx.done?.has(t.id));
  const counts = GROUPS.map((g) => ({ ...g, n: open.filter((t) => groupOf(t) === g.key).length }));
  const summary =
    counts
      .filter((g) => g.n > 0)
      .map((g) => `${g.n} ${g.key === "today" ? "due today" : g.key}`)
      .join(" · ") || "nothing left open";

  const blocks: KnownBlock[] = [{ type: "section", text: mrkdwn(`*${title}* · ${summary}`) }];
  let current: TaskGroup | undefined;
  for (const task of rows) {
    const group = groupOf(task);
    if (group !== current) {
      current = group;
      const heading = GROUPS.find((g) => g.key === group)?.title ?? "";
      blocks.push({ type: "divider" }, { type: "section", text: mrkdwn(heading) });
    }
    const done = ctx.done?.get(task.id);
    blocks.push(
      ...(done
        ? doneRowBlocks(task, ctx, done)
        : taskRowBlocks(task, ctx, now, { list: ctx.state })),
    );
  }
  blocks.push({ type: "divider" });
  const notes = [];
  if (totalPages > 1) notes.push(`Page ${page} of ${totalPages}`);
  if (ctx.truncated) notes.push("showing your first 100 tasks");
  notes.push("Only you can see this list");
  blocks.push({ type: "context", elements: [mrkdwn(notes.join(" · "))] });
  const paging = pagingButtons(ctx.state, page, totalPages);
  if (paging.length) blocks.push({ type: "actions", elements: paging });
  return { text: `${title}: ${summary}`, blocks };
}

function pagingButtons(state: TaskListState, page: number, totalPages: number): Button[] {
  const out: Button[] = [];
  const add = (text: string, actionId: string, p: number) =>
    out.push({
      type: "button",
      action_id: actionId,
      text: label(text),
      value: encodeTaskListState({ ...state, page: p }),
    });
  if (page > 1) add("← Previous", TASK_ACTION.pagePrev, page - 1);
  if (page < totalPages) add("Next →", TASK_ACTION.page, page + 1);
  return out;
}

function emptyList(state: TaskListState, title: string) {
  const what =
    state.filter === "overdue"
      ? "Nothing overdue. :tada:"
      : state.filter === "today"
        ? "Nothing due today."
        : "Nothing on your plate. :palm_tree:";
  const hint =
    state.filter === "all"
      ? "Start something with `/tallyfy launch`, or turn any message into a task with *More actions → Create Tallyfy task*."
      : "See everything assigned to you with `/tallyfy tasks all`.";
  const blocks: KnownBlock[] = [
    { type: "section", text: mrkdwn(`*${title}*\n${what}`) },
    { type: "context", elements: [mrkdwn(hint)] },
  ];
  return { text: `${title}: ${what.replace(/ :[a-z_]+:$/, "")}`, blocks };
}
