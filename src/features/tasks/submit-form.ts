/**
 * A task's form submitted: save only the changed answers (`PUT …/runs/{run}/tasks/{task}
 * {taskdata}`, never `owners`), then complete, once, and redraw where Complete was clicked.
 * Tallyfy's 422 lands on the input it names; the modal keeps every value.
 */
import type { ModalView } from "@slack/types";
import type { Actor } from "../../accounts/actor.ts";
import {
  decodeTaskForm,
  editableInSlack,
  type FieldAnswer,
  fieldBlockId,
  mergePickedAssignees,
  readKickoffState,
  taskdataChanges,
} from "../../blocks/kickoff/index.ts";
import { modal, noticeBlocks } from "../../blocks/modals/modal.ts";
import {
  type DoneContext,
  decodeTaskModalMeta,
  type TaskModalMeta,
  taskFormModal,
  taskTitle,
} from "../../blocks/tasks/index.ts";
import type { BotContext } from "../../slack/context.ts";
import type { Notice } from "../../slack/form-errors.ts";
import {
  callOnce,
  type FormSpec,
  type FormSubmission,
  inputErrors,
} from "../../slack/form-submission.ts";
import { slackIdsFor, tallyfyIdsFor, unmappedMessage } from "../../slack/people-map.ts";
import type { SubmitOutcome } from "../../slack/submission.ts";
import type { Task, TaskFormField } from "../../tallyfy/task-schemas.ts";
import { alreadyDone, TASK_READ_WITH, underTaskLock } from "./decide.ts";
import { taskLinks } from "./links.ts";
import { redrawFromModal } from "./modal-surface.ts";
import type { TaskHooks } from "./surface.ts";

export function messageModal(title: string, tone: Notice["tone"], mrkdwn: string): ModalView {
  return modal({ title, close: "Close", blocks: noticeBlocks(tone, mrkdwn) });
}

/** Slack people picked in assignee fields, as Tallyfy ids (input errors for those without). */
async function mapAssignees(
  bot: BotContext,
  form: FormSubmission<TaskModalMeta>,
  fields: TaskFormField[],
  before: Record<string, FieldAnswer>,
  answers: Record<string, FieldAnswer>,
  slack: Map<number, string>,
) {
  const after = { ...answers };
  const errors: Record<string, string> = {};
  for (const field of fields) {
    const picked = answers[field.id];
    if (field.field_type !== "assignees_form" || picked?.kind !== "slack_users") continue;
    const mapped = await tallyfyIdsFor(bot, form.actor.api, picked.slackUserIds);
    if (mapped.missing.length) {
      const client = form.interaction.client;
      errors[fieldBlockId(field.id)] = await unmappedMessage(
        bot,
        client,
        mapped.missing,
        "assignees",
      );
      continue;
    }
    const prior = before[field.id];
    const shown = prior?.kind === "assignees" ? prior.users.filter((u) => slack.has(u)) : [];
    after[field.id] = mergePickedAssignees(prior, mapped.ids, shown);
  }
  return { after, errors };
}

type Completed = { kind: "done"; task: Task } | { kind: "already"; task: Task };

async function saveAndComplete(
  bot: BotContext,
  actor: Actor,
  task: Task,
  taskdata: Record<string, unknown>,
  meta: TaskModalMeta,
): Promise<Completed> {
  const policy = bot.policies.background;
  const ref = { id: task.id, runId: task.run_id, oneOff: task.is_oneoff_task };
  const { value } = await underTaskLock(
    bot,
    actor.api.orgId,
    task.id,
    async (): Promise<Completed> => {
      await actor.api.tasks.saveTaskData(ref, taskdata, { policy, current: task });
      // The SDK reads the task again before completing: the guard against completing twice.
      const approved = task.task_type === "approval" ? meta.decision !== "reject" : undefined;
      const result = await actor.api.tasks.complete(ref, { approved, policy });
      const merged = { ...task, ...result.task, run: result.task.run ?? task.run };
      return { kind: result.outcome === "completed" ? "done" : "already", task: merged };
    },
  );
  return value;
}

export function taskFormSpec(hooks: TaskHooks): FormSpec<TaskModalMeta> {
  return {
    what: "task form",
    again: "submit",
    decode: (metadata, view) => (view.submit ? decodeTaskModalMeta(metadata) : undefined),
    workingView: () =>
      messageModal(
        "Complete task",
        "info",
        ":hourglass_flowing_sand: Saving the form and completing the task…",
      ),
    submit: (bot, form) => submitTaskForm(bot, form, hooks),
  };
}

async function submitTaskForm(
  bot: BotContext,
  form: FormSubmission<TaskModalMeta>,
  hooks: TaskHooks,
): Promise<SubmitOutcome> {
  const { meta, actor } = form;
  const task = await actor.api.tasks.get(meta.ref.id, {
    with: TASK_READ_WITH,
    policy: bot.policies.interactive,
  });
  const title = `*${taskTitle(task, 300)}*`;
  if (task.isCompleted) {
    const done = await alreadyDone(bot, actor, task);
    return {
      view: messageModal(
        "Complete task",
        "info",
        `${title} was already completed; nothing was sent.`,
      ),
      after: async () => {
        await redrawFromModal(bot, form, meta, task, done, hooks);
        return undefined;
      },
    };
  }
  const fields = task.form_fields ?? [];
  const state = readKickoffState(fields, form.view.state.values);
  const before = decodeTaskForm(fields);
  const ids = Object.values(before).flatMap((a) => (a.kind === "assignees" ? a.users : []));
  const slack = ids.length ? await slackIdsFor(bot, actor.api, ids) : new Map<number, string>();
  const render = (notice: Notice) =>
    taskFormModal({
      task,
      fields,
      answers: state.answers,
      meta,
      taskUrl: taskLinks(bot, actor.api.orgId).taskUrl(task),
      notice: { tone: notice.tone === "success" ? "info" : notice.tone, mrkdwn: notice.mrkdwn },
      slackUserIdsFor: (tallyfyIds) => tallyfyIds.flatMap((id) => slack.get(id) ?? []),
    });
  const local = inputErrors(form, state.errors, render);
  if (local) return local;
  const people = await mapAssignees(bot, form, fields, before, state.answers, slack);
  const unmapped = inputErrors(form, people.errors, render);
  if (unmapped) return unmapped;
  const taskdata = taskdataChanges(fields, people.after);

  const saved = await callOnce(bot, form, {
    nonce: undefined,
    call: () => saveAndComplete(bot, actor, task, taskdata, meta),
    targets: {
      name: "task_title",
      summary: "task_summary",
      owner: "task_owner",
      tags: "task_tags",
      fields: fields.filter((f) => editableInSlack(f)),
      fieldBlockId,
    },
    refused: "Tallyfy didn't accept the form",
    render,
  });
  if (!saved.ok) return saved.outcome;
  const result = saved.value;
  const done: DoneContext =
    result.kind === "done"
      ? {
          outcome: OUTCOME[meta.decision],
          by: { slackUserId: form.interaction.userId },
          at: result.task.completed_at ?? bot.now().toISOString(),
        }
      : await alreadyDone(bot, actor, result.task);
  const text =
    result.kind === "done"
      ? `${OUTCOME_WORD[meta.decision]} ${title}.`
      : `${title} was already completed; nothing was sent.`;
  return {
    close: true,
    view: messageModal("Complete task", result.kind === "done" ? "success" : "info", text),
    ...(saved.first
      ? {
          after: async () => {
            await redrawFromModal(bot, form, meta, result.task, done, hooks);
            return undefined;
          },
        }
      : {}),
  };
}

const OUTCOME = {
  complete: "completed",
  approve: "approved",
  reject: "rejected",
  acknowledge: "acknowledged",
} as const;

const OUTCOME_WORD = {
  complete: "Completed",
  approve: "Approved",
  reject: "Rejected",
  acknowledge: "Acknowledged",
} as const;
