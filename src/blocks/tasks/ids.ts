/**
 * Action, view and shortcut ids of the task surfaces, and what their values carry. Buttons are
 * stateless: a value holds everything its click needs (task id, run id, one-off flag), so any
 * instance of the bot, or the bot after a restart, can handle it.
 */
import type { TaskRef } from "../../tallyfy/tasks.ts";

export const TASK_ACTION = {
  /** value = encodeTaskRef(ref) for the four below. */
  complete: "task_complete",
  approve: "task_approve",
  reject: "task_reject",
  acknowledge: "task_acknowledge",
  /** Overflow: Comment (value "c" + ref) and Open in Tallyfy (a URL option). */
  more: "task_more",
  /** URL button to Tallyfy; acked and ignored. */
  open: "task_open",
  /** List paging; value = encodeTaskListState(...); two ids, as Slack refuses duplicates. */
  page: "tasks_page",
  pagePrev: "tasks_page_prev",
} as const;

/** The buttons that complete a task, for one listener. */
export const TASK_DECISION_ACTIONS = /^task_(?:complete|approve|reject|acknowledge)$/;
export const TASK_PAGE_ACTIONS = /^tasks_page(?:_prev)?$/;

export const TASK_VIEW = {
  form: "task_form_modal",
  comment: "task_comment_modal",
  reject: "task_reject_modal",
  create: "task_create_modal",
} as const;

/** The message shortcut "Create Tallyfy task". */
export const CREATE_TASK_SHORTCUT = "create_task";

/** Overflow option values: a one-letter verb and the task's ref. */
export const MORE_COMMENT = "c";
export const MORE_OPEN = "o";

/** Slack's limits on a button value and an overflow option value. */
export const BUTTON_VALUE_MAX = 2000;
export const OPTION_VALUE_MAX = 150;

const ID = /^[0-9a-f]{32}$/;

export function encodeTaskRef(ref: TaskRef): string {
  return JSON.stringify({ t: ref.id, r: ref.runId ?? undefined, o: ref.oneOff ? 1 : undefined });
}

/**
 * Where a task button sits, carried in its value next to the ref, for surfaces Slack does not
 * send back on a click (an ephemeral message's blocks never come back): the private list's
 * filter and page, or the status card.
 */
export interface TaskOrigin {
  list?: TaskListState | undefined;
  card?: boolean | undefined;
}

export function encodeTaskClick(ref: TaskRef, origin: TaskOrigin = {}): string {
  const base = JSON.parse(encodeTaskRef(ref)) as Record<string, unknown>;
  if (origin.list) base.l = `${origin.list.filter[0]}${origin.list.page}`;
  if (origin.card) base.c = 1;
  return JSON.stringify(base);
}

/** The ref and origin of a task button's value; undefined for anything malformed or foreign. */
export function decodeTaskClick(
  value: string | undefined,
): { ref: TaskRef; origin: TaskOrigin } | undefined {
  const ref = decodeTaskRef(value);
  if (!ref) return undefined;
  const raw = JSON.parse(value ?? "{}") as { l?: unknown; c?: unknown };
  const origin: TaskOrigin = {};
  const m = typeof raw.l === "string" ? /^([aot])(\d{1,4})$/.exec(raw.l) : null;
  if (m) {
    const filter = m[1] === "o" ? "overdue" : m[1] === "t" ? "today" : "all";
    origin.list = { filter, page: Math.max(1, Number(m[2])) };
  }
  if (raw.c === 1) origin.card = true;
  return { ref, origin };
}

/** The ref a value carries; undefined for anything malformed or foreign. */
export function decodeTaskRef(value: string | undefined): TaskRef | undefined {
  if (!value) return undefined;
  try {
    const raw = JSON.parse(value) as { t?: unknown; r?: unknown; o?: unknown };
    if (typeof raw.t !== "string" || !ID.test(raw.t)) return undefined;
    const runId = typeof raw.r === "string" && ID.test(raw.r) ? raw.r : null;
    return { id: raw.t, runId, oneOff: raw.o === 1 };
  } catch {
    return undefined;
  }
}

export type TaskFilter = "overdue" | "today" | "all";

export interface TaskListState {
  filter: TaskFilter;
  page: number;
}

export function encodeTaskListState(s: TaskListState): string {
  return JSON.stringify({ f: s.filter, p: s.page });
}

export function decodeTaskListState(value: string | undefined): TaskListState {
  try {
    const raw = JSON.parse(value ?? "") as { f?: unknown; p?: unknown };
    const filter = raw.f === "overdue" || raw.f === "today" ? raw.f : "all";
    const page = typeof raw.p === "number" && raw.p >= 1 ? Math.floor(raw.p) : 1;
    return { filter, page };
  } catch {
    return { filter: "all", page: 1 };
  }
}

/** `overdue`, `today`, `all` (default) from the words after `/tallyfy tasks`. */
export function parseTaskFilter(words: string): TaskFilter | undefined {
  const w = words.trim().toLowerCase();
  if (w === "" || w === "all") return "all";
  if (w === "overdue" || w === "late") return "overdue";
  if (w === "today") return "today";
  return undefined;
}

/** Block ids of a task's row in a list, so a click can redraw just that row. */
export const rowBlockId = (taskId: string) => `task_${taskId.slice(0, 64)}`;
export const rowActionsBlockId = (taskId: string) => `task_${taskId.slice(0, 64)}_actions`;
