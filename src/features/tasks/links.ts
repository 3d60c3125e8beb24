/** Links from task surfaces into Tallyfy, for one organization. */
import type { TaskLinks } from "../../blocks/tasks/index.ts";
import type { BotContext } from "../../slack/context.ts";
import type { Task } from "../../tallyfy/task-schemas.ts";
import { runLink } from "../card/cards.ts";

/**
 * A process task opens its process (TALLYFY_RUN_URL_PATTERN, the one link pattern Tallyfy's
 * help pages show); a one-off task has no process page, so it opens the task itself.
 */
export function taskLinks(bot: BotContext, orgId: string): TaskLinks {
  const runUrl = (runId: string) => runLink(bot, orgId, runId);
  return {
    runUrl,
    taskUrl: (task: Task) =>
      !task.is_oneoff_task && task.run_id
        ? runUrl(task.run_id)
        : oneOffTaskUrl(bot, orgId, task.id),
  };
}

/** A one-off task in Tallyfy's web app (it has no process page). */
export function oneOffTaskUrl(bot: BotContext, orgId: string, taskId: string): string {
  return `${bot.config.tallyfy.webUrl}/${encodeURIComponent(orgId)}/tasks/${encodeURIComponent(taskId)}`;
}
