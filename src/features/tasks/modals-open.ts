/**
 * Opening the task modals from a click: the task's form (Complete on a task with form fields),
 * the reject reason, the comment. Each needs the task read first (its title, its form), inside
 * the 3 s a trigger id lives, so the read uses the interactive budget.
 */
import type { Actor } from "../../accounts/actor.ts";
import { decodeTaskForm } from "../../blocks/kickoff/index.ts";
import {
  commentModal,
  rejectModal,
  type TaskDecision,
  type TaskModalMeta,
  taskFormModal,
} from "../../blocks/tasks/index.ts";
import type { BotContext } from "../../slack/context.ts";
import type { Interaction } from "../../slack/interaction.ts";
import { openModal } from "../../slack/modal-io.ts";
import { slackIdsFor } from "../../slack/people-map.ts";
import { viewSealer } from "../../slack/sealed-metadata.ts";
import type { Task } from "../../tallyfy/task-schemas.ts";
import type { TaskRef } from "../../tallyfy/tasks.ts";
import { alreadyDone, redrawDeps, replyTaskFailure, TASK_READ_WITH } from "./decide.ts";
import { taskLinks } from "./links.ts";
import type { TaskHooks, TaskSurface } from "./surface.ts";
import { redrawSurface } from "./surface.ts";

/** What a modal must remember to redraw the click's surface after its submit. */
export function metaFor(
  surface: TaskSurface,
  ref: TaskRef,
  decision: TaskDecision,
  responseUrl: string | undefined,
): TaskModalMeta {
  const base = { ref, decision, responseUrl };
  switch (surface.kind) {
    case "list":
      return { ...base, origin: { list: surface.state } };
    case "card":
      return surface.where.kind === "message"
        ? { ...base, channel: surface.where.channel, ts: surface.where.ts, origin: { card: true } }
        : { ...base, origin: { card: true } };
    case "message":
      return { ...base, channel: surface.channel, ts: surface.ts };
    case "view":
      return { ...base, fromView: true };
    default:
      return base;
  }
}

/** The form, prefilled from the task's answers; assignees shown as Slack people where mapped. */
export async function openTaskForm(
  bot: BotContext,
  actor: Actor,
  i: Interaction,
  task: Task,
  decision: TaskDecision,
  surface: TaskSurface,
): Promise<void> {
  const fields = task.form_fields ?? [];
  const answers = decodeTaskForm(fields);
  const ids = Object.values(answers).flatMap((a) => (a.kind === "assignees" ? a.users : []));
  const slack = ids.length ? await slackIdsFor(bot, actor.api, ids) : new Map<number, string>();
  const view = taskFormModal({
    task,
    fields,
    answers,
    meta: metaFor(
      surface,
      { id: task.id, runId: task.run_id, oneOff: task.is_oneoff_task },
      decision,
      i.responseUrl,
    ),
    taskUrl: taskLinks(bot, actor.api.orgId).taskUrl(task),
    slackUserIdsFor: (tallyfyIds) => tallyfyIds.flatMap((id) => slack.get(id) ?? []),
  });
  await openModal(i, viewSealer(bot, i.userId)(view), bot.logger);
}

/** Reject asks for a reason first; an approval decided meanwhile is redrawn instead. */
export async function openRejectModal(
  bot: BotContext,
  actor: Actor,
  i: Interaction,
  ref: TaskRef,
  surface: TaskSurface,
  hooks: TaskHooks,
): Promise<void> {
  let task: Task;
  try {
    task = await actor.api.tasks.get(ref.id, {
      with: TASK_READ_WITH,
      policy: bot.policies.interactive,
    });
  } catch (error) {
    await replyTaskFailure(bot, i, actor, error, "reject");
    return;
  }
  if (task.isCompleted) {
    const deps = redrawDeps(bot, actor, i, hooks);
    await redrawSurface(deps, surface, task, await alreadyDone(bot, actor, task));
    return;
  }
  const meta = metaFor(surface, ref, "reject", i.responseUrl);
  await openModal(i, viewSealer(bot, i.userId)(rejectModal(task, meta)), bot.logger);
}

/** The overflow's Comment: a modal titled with the task. */
export async function openCommentModal(
  bot: BotContext,
  actor: Actor,
  i: Interaction,
  ref: TaskRef,
  surface: TaskSurface,
): Promise<void> {
  let task: Task;
  try {
    task = await actor.api.tasks.get(ref.id, { with: ["run"], policy: bot.policies.interactive });
  } catch (error) {
    await replyTaskFailure(bot, i, actor, error, "comment");
    return;
  }
  const meta = metaFor(surface, ref, "complete", i.responseUrl);
  await openModal(i, viewSealer(bot, i.userId)(commentModal(task, meta)), bot.logger);
}
