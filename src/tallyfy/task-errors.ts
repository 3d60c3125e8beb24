/**
 * Task actions Tallyfy refuses for reasons of the task's own, each with one sentence to show.
 * The live service's status codes for these are undocumented (TASKS-AND-WEBHOOKS.md §12), so
 * they are recognised by what Tallyfy says, whatever the status; anything else stays the
 * general error it was (403 "no permission", timeouts "may have been applied", …).
 */
import { TallyfyError, type TallyfyErrorDetails, TallyfyValidationError } from "./errors.ts";

export type TaskRefusal = "open_issue" | "not_assignee" | "reopened" | "completed";

const SENTENCES: Record<TaskRefusal, string> = {
  open_issue:
    "This task has an open issue in Tallyfy, so it can't be completed until the issue is resolved.",
  not_assignee: "Only the people assigned to this task can complete it.",
  reopened: "This task was reopened in Tallyfy, so it is open again.",
  completed: "This task was completed in the meantime, so its form can't be changed any more.",
};

export class TallyfyTaskRefusedError extends TallyfyError {
  readonly reason: TaskRefusal;
  constructor(reason: TaskRefusal, d: TallyfyErrorDetails = {}) {
    super("task_refused", SENTENCES[reason], d);
    this.reason = reason;
  }
}

const PATTERNS: [TaskRefusal, RegExp][] = [
  ["open_issue", /\b(?:unresolved|open)\s+(?:issue|problem)/i],
  ["not_assignee", /\bassign(?:ee|ed)s?\b.*\bcomplete|only\s+assign/i],
  [
    "completed",
    /completed tasks? can(?:no|')t be (?:updated|changed)|already (?:been )?completed/i,
  ],
  ["reopened", /\breopen/i],
];

/** The refusal a Tallyfy error stands for, or the error itself when it is none of them. */
export function asTaskRefusal(error: unknown): unknown {
  if (!(error instanceof TallyfyError)) return error;
  if (error.status === undefined || error.status < 400 || error.status >= 500) return error;
  const said = [
    error.tallyfyMessage ?? "",
    ...(error instanceof TallyfyValidationError ? Object.values(error.fieldErrors).flat() : []),
  ].join(" ");
  for (const [reason, pattern] of PATTERNS) {
    if (pattern.test(said)) {
      return new TallyfyTaskRefusedError(reason, {
        status: error.status,
        tallyfyMessage: error.tallyfyMessage,
        code: error.code,
        requestId: error.requestId,
        method: error.method,
        path: error.path,
        cause: error,
      });
    }
  }
  return error;
}
