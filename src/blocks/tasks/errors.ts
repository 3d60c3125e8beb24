/**
 * One sentence for each way a task action can fail (mrkdwn, escaped): an open issue, only
 * assignees may complete it, it was reopened, the token lacks rights, Tallyfy timed out (and
 * whether the action may have been applied). Never a stack trace.
 */
import { TallyfyError } from "../../tallyfy/errors.ts";
import { TallyfyTaskRefusedError } from "../../tallyfy/task-errors.ts";
import { tallyfyErrorText } from "../notices.ts";

export type TaskAction =
  | "complete"
  | "approve"
  | "reject"
  | "acknowledge"
  | "save"
  | "comment"
  | "create";

/** What "may have been applied" means for each action. */
const MAYBE: Record<TaskAction, string> = {
  complete: "the task may have been completed",
  approve: "the approval may have been recorded",
  reject: "the rejection may have been recorded",
  acknowledge: "the task may have been acknowledged",
  save: "the form may have been saved",
  comment: "the comment may have been posted",
  create: "the task may have been created",
};

export function taskErrorText(error: unknown, action: TaskAction): string {
  if (error instanceof TallyfyTaskRefusedError) return error.human;
  if (!(error instanceof TallyfyError)) {
    return "Something went wrong on my side; nothing was sent to Tallyfy. Try again in a moment.";
  }
  switch (error.kind) {
    case "forbidden":
      return "Your Tallyfy account doesn't have the rights to do that on this task. Ask the process owner or a Tallyfy admin.";
    case "timeout":
    case "network":
    case "server":
    case "unexpected_response":
      if (error.mayHaveApplied) {
        const check = action === "create" ? "Check in Tallyfy" : "Refresh to check";
        return `Tallyfy didn't answer in time, so ${MAYBE[action]}. ${check} before trying again.`;
      }
      return error.kind === "unexpected_response"
        ? tallyfyErrorText(error)
        : "Tallyfy didn't answer in time; nothing was changed. Try again in a moment.";
    case "not_found":
      return "I couldn't find that task in Tallyfy. It may have been deleted, or you may not have access.";
    default:
      return tallyfyErrorText(error);
  }
}
