/**
 * A click on Complete, Approve or Acknowledge: read the task once, then complete it exactly
 * once (or open its form, or ask Approve/Reject), and redraw where the click came from.
 */
import type { Actor } from "../../accounts/actor.ts";
import { renderNotice } from "../../blocks/notices.ts";
import {
  type DoneContext,
  decodeTaskClick,
  refOf,
  type TaskAction,
  type TaskDecision,
  type TaskOutcome,
  taskErrorText,
  taskRowBlocks,
} from "../../blocks/tasks/index.ts";
import { actorOrPrompt } from "../../slack/actor-gate.ts";
import type { Click } from "../../slack/button.ts";
import type { BotContext } from "../../slack/context.ts";
import type { Interaction } from "../../slack/interaction.ts";
import { reply, replyFailure } from "../../slack/reply.ts";
import { TallyfyAuthError } from "../../tallyfy/errors.ts";
import { TallyfyTaskRefusedError } from "../../tallyfy/task-errors.ts";
import type { Task } from "../../tallyfy/task-schemas.ts";
import type { TaskRef } from "../../tallyfy/tasks.ts";
import { taskLinks } from "./links.ts";
import { relist } from "./list.ts";
import { openRejectModal, openTaskForm } from "./modals-open.ts";
import { completerOf } from "./people.ts";
import { redrawSurface, surfaceOf, type TaskHooks, type TaskSurface } from "./surface.ts";

/** Read with the task: its form, its process's name and its open issues. */
export const TASK_READ_WITH = ["form_fields", "run", "threads"];

export type Decided =
  | { kind: "done"; task: Task; outcome: TaskOutcome; by: string; at: string }
  | { kind: "already"; task: Task }
  | { kind: "form"; task: Task }
  | { kind: "choose"; task: Task };

const OUTCOME: Record<TaskDecision, TaskOutcome> = {
  complete: "completed",
  approve: "approved",
  reject: "rejected",
  acknowledge: "acknowledged",
};

/**
 * Runs `fn` alone for this task in this bot: a second click (a double click, someone else,
 * Slack's retry) while the first is under way shares its outcome instead of sending again;
 * once it is over, the next click reads the task afresh (and finds it completed).
 */
export async function underTaskLock<T>(
  bot: BotContext,
  orgId: string,
  taskId: string,
  fn: () => Promise<T>,
): Promise<{ value: T; first: boolean }> {
  const key = `task:${orgId}:${taskId}`;
  const { promise, first } = await bot.claims.run(key, fn);
  try {
    return { value: await promise, first };
  } finally {
    if (first) await bot.claims.forget(key);
  }
}

/** Reads the task and completes it when nothing else is needed first. */
async function decide(
  bot: BotContext,
  actor: Actor,
  ref: TaskRef,
  decision: Exclude<TaskDecision, "reject">,
  userId: string,
): Promise<Decided> {
  const { interactive, background } = bot.policies;
  const task = await actor.api.tasks.get(ref.id, { with: TASK_READ_WITH, policy: interactive });
  if (task.isCompleted) return { kind: "already", task };
  if (task.openIssues) throw new TallyfyTaskRefusedError("open_issue");
  if (task.task_type === "approval" && decision !== "approve") return { kind: "choose", task };
  if ((task.form_fields?.length ?? 0) > 0) return { kind: "form", task };
  const approved = task.task_type === "approval" ? true : undefined;
  const result = await actor.api.tasks.complete(refOf(task), {
    current: task,
    approved,
    policy: background,
  });
  const merged = { ...task, ...result.task, run: result.task.run ?? task.run };
  if (result.outcome === "already_completed") return { kind: "already", task: merged };
  const at = result.task.completed_at ?? bot.now().toISOString();
  return { kind: "done", task: merged, outcome: OUTCOME[decision], by: userId, at };
}

/** What a task that was already completed says: who did it and when (sent nothing). */
export async function alreadyDone(bot: BotContext, actor: Actor, task: Task): Promise<DoneContext> {
  const by = await completerOf(bot, actor.api, task.completer_id);
  return { outcome: "already_completed", by, at: task.completed_at };
}

/** The failure as one sentence, privately; token problems go through the usual prompts. */
export async function replyTaskFailure(
  bot: BotContext,
  i: Pick<Interaction, "teamId" | "userId" | "respond">,
  actor: Actor | undefined,
  error: unknown,
  action: TaskAction,
): Promise<void> {
  if (error instanceof TallyfyAuthError || !(error instanceof Error)) {
    await replyFailure(bot, i.respond, error, { ...i, actor, what: `task ${action}` });
    return;
  }
  bot.logger.warn("task action failed", {
    action,
    kind: (error as { kind?: string }).kind,
    status: (error as { status?: number }).status,
    error: error.message,
  });
  try {
    await reply(i, renderNotice("error", taskErrorText(error, action)));
  } catch (e) {
    bot.logger.warn("could not deliver a task error", { error: (e as Error).message });
  }
}

export function redrawDeps(bot: BotContext, actor: Actor, i: Interaction, hooks: TaskHooks) {
  return { bot, actor, i, hooks, relist: relist(bot, actor, i) };
}

/** Complete / Approve / Acknowledge on any task surface. */
export async function taskDecisionClicked(
  bot: BotContext,
  click: Click,
  decision: TaskDecision,
  hooks: TaskHooks,
): Promise<void> {
  const i = click.interaction;
  const parsed = decodeTaskClick(click.value);
  if (!parsed) {
    await reply(
      i,
      renderNotice("warning", "That task button doesn't look right; nothing was sent to Tallyfy."),
    );
    return;
  }
  const actor = await actorOrPrompt(bot, i);
  if (!actor) return;
  const surface = surfaceOf(click.body, i.respond, parsed.origin, parsed.ref.runId);
  if (decision === "reject") {
    await openRejectModal(bot, actor, i, parsed.ref, surface, hooks);
    return;
  }
  let decided: { value: Decided; first: boolean };
  try {
    decided = await underTaskLock(bot, actor.api.orgId, parsed.ref.id, () =>
      decide(bot, actor, parsed.ref, decision, i.userId),
    );
  } catch (error) {
    await replyTaskFailure(bot, i, actor, error, decision);
    return;
  }
  await afterDecision(bot, actor, i, surface, decided, decision, hooks);
}

async function afterDecision(
  bot: BotContext,
  actor: Actor,
  i: Interaction,
  surface: TaskSurface,
  decided: { value: Decided; first: boolean },
  decision: Exclude<TaskDecision, "reject">,
  hooks: TaskHooks,
): Promise<void> {
  const d = decided.value;
  const deps = redrawDeps(bot, actor, i, hooks);
  switch (d.kind) {
    case "form":
      await openTaskForm(bot, actor, i, d.task, decision, surface);
      return;
    case "choose": {
      const links = taskLinks(bot, actor.api.orgId);
      await reply(i, {
        text: "This task is an approval: approve or reject it.",
        blocks: [
          ...renderNotice("info", "This task is an approval: approve or reject it.").blocks,
          ...taskRowBlocks(d.task, links, bot.now()),
        ],
      });
      return;
    }
    case "already":
      await redrawSurface(deps, surface, d.task, await alreadyDone(bot, actor, d.task));
      return;
    case "done": {
      // A second click by the same person while the first was under way: the first redraws.
      if (!decided.first && d.by === i.userId) return;
      const done: DoneContext =
        d.by === i.userId
          ? { outcome: d.outcome, by: { slackUserId: i.userId }, at: d.at }
          : { outcome: "already_completed", by: { slackUserId: d.by }, at: d.at };
      await redrawSurface(deps, surface, d.task, done);
    }
  }
}
