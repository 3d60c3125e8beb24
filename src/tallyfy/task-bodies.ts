/**
 * Request bodies and checks for task calls, pure: Tallyfy's request date format, the
 * completion body per task type, the one-off task body with every owner bucket present.
 */
import { TallyfyValidationError } from "./errors.ts";
import type { Task, TaskOwners, TaskType } from "./task-schemas.ts";

const pad = (n: number) => String(n).padStart(2, "0");

/** `YYYY-MM-DD HH:MM:SS` in UTC: what Tallyfy reads request dates as (§1.7). */
export function tallyfyDate(date: Date): string {
  return (
    `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())} ` +
    `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}`
  );
}

export interface CompletionChoice {
  /** Approvals only: Approve (true) or Reject (false). */
  approved?: boolean | undefined;
}

/**
 * `{task_id}`, plus `is_approved` for approvals only. An approval without it is a 422; an
 * expiring task with `is_approved: false` would be recorded as EXPIRED, so it never gets one.
 */
export function completionBody(task: Pick<Task, "id" | "task_type">, choice: CompletionChoice) {
  if (task.task_type !== "approval") return { task_id: task.id };
  if (typeof choice.approved !== "boolean") {
    throw new TypeError("Completing an approval needs approved: true (Approve) or false (Reject)");
  }
  return { task_id: task.id, is_approved: choice.approved };
}

export const TITLE_MAX = 600;

export interface OneOffTaskInput {
  title: string;
  summary?: string | undefined;
  taskType: Extract<TaskType, "task" | "approval" | "expiring" | "email">;
  deadline: Date;
  owners: TaskOwners;
}

/** The body of `POST /organizations/{org}/tasks`; all three owner buckets always present. */
export function oneOffBody(input: OneOffTaskInput) {
  const title = input.title.trim();
  const errors: Record<string, string[]> = {};
  if (!title) errors.title = ["The title field is required."];
  else if (title.length > TITLE_MAX) {
    errors.title = [`The title may not be greater than ${TITLE_MAX} characters.`];
  }
  if (!Number.isFinite(input.deadline.getTime())) {
    errors.deadline = ["The deadline is not a valid date."];
  }
  const { users, guests, groups } = input.owners;
  if (users.length + guests.length + groups.length === 0) {
    errors.owners = ["At least one assignee is required."];
  }
  if (Object.keys(errors).length) throw new TallyfyValidationError({ fieldErrors: errors });
  const summary = input.summary?.trim();
  return {
    title,
    ...(summary ? { summary } : {}),
    task_type: input.taskType,
    deadline: tallyfyDate(input.deadline),
    owners: { users: [...users], guests: [...guests], groups: [...groups] },
  };
}

/**
 * The PUT body for a one-off task's form values: that endpoint needs title, deadline and
 * owners every time, and replaces the owners, so all of them are re-sent as read (§10.2).
 * Undefined when the owners could not be read: a partial set would unassign people.
 */
export function oneOffUpdateBody(current: Task, taskdata: Record<string, unknown>) {
  if (!current.owners) return undefined;
  const deadline = current.deadline ? new Date(current.deadline) : undefined;
  return {
    title: current.title,
    deadline: deadline && Number.isFinite(deadline.getTime()) ? tallyfyDate(deadline) : null,
    owners: current.owners,
    taskdata,
  };
}
