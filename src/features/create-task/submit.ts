/**
 * The create-task form's submission: local checks, people mapped to Tallyfy by email, one
 * `POST …/tasks` per form render (a repeated submit shares it), then the task's card in the
 * message's thread.
 */
import type { ModalView } from "@slack/types";
import { workingView } from "../../blocks/modals/modal.ts";
import {
  CREATE_BLOCK,
  type CreateTaskMeta,
  type CreateTaskNotice,
  type CreateTaskState,
  createTaskModal,
  decodeCreateTaskMeta,
  readCreateTaskState,
} from "../../blocks/tasks/create-task.ts";
import { taskCreatedView } from "../../blocks/tasks/created.ts";
import type { BotContext } from "../../slack/context.ts";
import {
  callOnce,
  type FormSpec,
  type FormSubmission,
  inputErrors,
} from "../../slack/form-submission.ts";
import { newNonce } from "../../slack/modal-io.ts";
import { tallyfyIdsFor, unmappedMessage } from "../../slack/people-map.ts";
import type { SubmitOutcome } from "../../slack/submission.ts";
import { oneOffTaskUrl } from "../tasks/links.ts";
import { postTaskCard } from "./card.ts";

const TITLE = "Create Tallyfy task";

export const createTaskForm: FormSpec<CreateTaskMeta> = {
  what: "create task",
  again: "press Create",
  decode: (metadata) => decodeCreateTaskMeta(metadata),
  workingView(view) {
    const typed = readCreateTaskState(view.state.values, new Date()).title;
    return workingView(TITLE, "Creating", typed || "the task");
  },
  submit: createTask,
};

/** The form again with what was typed (Tallyfy changed nothing, or a check failed). */
function formAgain(state: CreateTaskState, meta: CreateTaskMeta, notice: CreateTaskNotice) {
  const prefill = {
    title: state.title,
    description: state.description,
    assignees: state.assignees,
    deadline: state.deadline ?? new Date(Number.NaN),
    type: state.type,
  };
  return createTaskModal(prefill, meta, notice);
}

async function createTask(
  bot: BotContext,
  form: FormSubmission<CreateTaskMeta>,
): Promise<SubmitOutcome> {
  const { meta, interaction: i } = form;
  const { api } = form.actor;
  const state = readCreateTaskState(form.view.state.values, bot.now());
  const keepNonce = (notice: CreateTaskNotice) => formAgain(state, meta, notice);

  const local = inputErrors(form, state.errors, keepNonce);
  if (local) return local;
  const people = await tallyfyIdsFor(bot, api, state.assignees);
  if (people.missing.length) {
    const message = await unmappedMessage(bot, i.client, people.missing, "assignees");
    const unmapped = inputErrors(form, { [CREATE_BLOCK.assignees]: message }, keepNonce);
    if (unmapped) return unmapped;
  }

  const deadline = state.deadline as Date; // checked by readCreateTaskState
  const created = await callOnce(bot, form, {
    nonce: meta.nonce,
    call: () =>
      api.tasks.createOneOff(
        {
          title: state.title,
          summary: state.description,
          taskType: state.type,
          deadline,
          owners: { users: people.ids, guests: [], groups: [] },
        },
        { policy: bot.policies.background },
      ),
    targets: {
      name: CREATE_BLOCK.title,
      summary: CREATE_BLOCK.description,
      owner: CREATE_BLOCK.assignees,
      tags: CREATE_BLOCK.type,
      fields: [],
      fieldBlockId: (id) => id,
      keys: {
        title: CREATE_BLOCK.title,
        deadline: CREATE_BLOCK.deadline,
        owners: CREATE_BLOCK.assignees,
        task_type: CREATE_BLOCK.type,
      },
    },
    refused: "Tallyfy didn't accept the task",
    // A new render: a failure that may have created the task must not block a new attempt.
    render: (notice) => formAgain(state, { ...meta, nonce: newNonce() }, notice),
  });
  if (!created.ok) return created.outcome;

  const task = created.value;
  const shown = {
    title: task.title,
    taskUrl: oneOffTaskUrl(bot, api.orgId, task.id),
    channel: meta.channel,
  };
  if (!created.first) return { view: taskCreatedView(shown) };
  return {
    view: taskCreatedView(shown),
    after: async (): Promise<ModalView> => {
      const card = await postTaskCard(bot, i.client, task, {
        orgId: api.orgId,
        assignees: state.assignees,
        channel: meta.channel,
        threadTs: meta.threadTs,
        responseUrl: meta.responseUrl,
      });
      return taskCreatedView({ ...shown, card });
    },
  };
}
