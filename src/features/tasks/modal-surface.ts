/** The surface a task modal was opened from, read back from its private_metadata. */
import type { DoneContext, TaskModalMeta } from "../../blocks/tasks/index.ts";
import type { BotContext } from "../../slack/context.ts";
import type { FormSubmission } from "../../slack/form-submission.ts";
import { noResponseUrl } from "../../slack/response-url.ts";
import type { Task } from "../../tallyfy/task-schemas.ts";
import { relist } from "./list.ts";
import { redrawSurface, type TaskHooks, type TaskSurface } from "./surface.ts";

export function surfaceFromMeta(bot: BotContext, meta: TaskModalMeta): TaskSurface {
  const respond = meta.responseUrl ? bot.responseUrls.respondTo(meta.responseUrl) : undefined;
  const { channel, ts } = meta;
  if (meta.origin?.card && meta.ref.runId) {
    if (channel && ts) {
      return { kind: "card", runId: meta.ref.runId, where: { kind: "message", channel, ts } };
    }
    if (respond)
      return { kind: "card", runId: meta.ref.runId, where: { kind: "ephemeral", respond } };
  }
  if (meta.origin?.list && respond) return { kind: "list", state: meta.origin.list, respond };
  if (channel && ts) return { kind: "message", channel, ts, blocks: undefined };
  if (respond) return { kind: "ephemeral", respond };
  if (meta.fromView) return { kind: "view", view: undefined };
  return { kind: "none" };
}

/** Redraws, after a modal's submit, the place its button was clicked. */
export async function redrawFromModal(
  bot: BotContext,
  form: FormSubmission<unknown>,
  meta: TaskModalMeta,
  task: Task,
  done: DoneContext,
  hooks: TaskHooks,
): Promise<void> {
  const respond = meta.responseUrl ? bot.responseUrls.respondTo(meta.responseUrl) : noResponseUrl;
  const i = { ...form.interaction, respond };
  const deps = { bot, actor: form.actor, i, hooks, relist: relist(bot, form.actor, i) };
  await redrawSurface(deps, surfaceFromMeta(bot, meta), task, done);
}
