/**
 * The comment and reject-reason modals submitted. A comment is `POST …/tasks/{id}/comment
 * {content}` with Slack mentions of people mapped by email turned into Tallyfy's `@[id]`; a
 * rejection completes the approval with `is_approved: false` (once) and posts the reason.
 */
import {
  COMMENT_BLOCK,
  decodeTaskModalMeta,
  NOTIFY_BLOCK,
  REASON_BLOCK,
  readCommentState,
  readRejectState,
  type TaskModalMeta,
  tallyfyCommentContent,
  taskErrorText,
} from "../../blocks/tasks/index.ts";
import { mrkdwnText } from "../../blocks/text.ts";
import type { BotContext } from "../../slack/context.ts";
import type { Notice } from "../../slack/form-errors.ts";
import { resubmittable } from "../../slack/form-errors.ts";
import {
  callOnce,
  type FormSpec,
  type FormSubmission,
  inputErrors,
} from "../../slack/form-submission.ts";
import { unmappedMessage } from "../../slack/people-map.ts";
import type { SubmitOutcome } from "../../slack/submission.ts";
import type { Task } from "../../tallyfy/task-schemas.ts";
import { alreadyDone, underTaskLock } from "./decide.ts";
import { redrawFromModal } from "./modal-surface.ts";
import { messageModal } from "./submit-form.ts";
import type { TaskHooks } from "./surface.ts";

const MENTION = /<@([UW][A-Z0-9]+)(?:\|[^>]*)?>/g;

/** Comment content for Tallyfy; unmapped people picked under Notify are an input error. */
async function commentContent(
  bot: BotContext,
  form: FormSubmission<TaskModalMeta>,
  text: string,
  notify: string[],
): Promise<{ content: string; errors: Record<string, string> }> {
  const api = form.actor.api;
  const mentioned = [...text.matchAll(MENTION)].map((m) => m[1] ?? "");
  const ids = new Map<string, number>();
  await Promise.all(
    [...new Set([...mentioned, ...notify])].map(async (slackId) => {
      const user = await bot.identity.tallyfyUserFor(api, slackId);
      if (user) ids.set(slackId, user.id);
    }),
  );
  const errors: Record<string, string> = {};
  const missing = notify.filter((id) => !ids.has(id));
  if (missing.length) {
    errors[NOTIFY_BLOCK] = await unmappedMessage(
      bot,
      form.interaction.client,
      missing,
      "assignees",
    );
  }
  const content = tallyfyCommentContent(text, { tallyfyIdFor: (id) => ids.get(id) }, notify);
  return { content, errors };
}

const keep = (form: FormSubmission<unknown>) => (notice: Notice) =>
  resubmittable(form.view, notice);

export const commentSpec: FormSpec<TaskModalMeta> = {
  what: "task comment",
  again: "post it",
  decode: (metadata) => decodeTaskModalMeta(metadata),
  workingView: () =>
    messageModal("Comment on task", "info", ":hourglass_flowing_sand: Posting your comment…"),
  submit: async (bot, form): Promise<SubmitOutcome> => {
    const state = readCommentState(form.view.state.values);
    const local = inputErrors(form, state.errors, keep(form));
    if (local) return local;
    const mapped = await commentContent(bot, form, state.text, state.notify);
    const unmapped = inputErrors(form, mapped.errors, keep(form));
    if (unmapped) return unmapped;
    const posted = await callOnce(bot, form, {
      nonce: undefined,
      call: () =>
        form.actor.api.tasks.comment(form.meta.ref.id, mapped.content, {
          policy: bot.policies.background,
        }),
      targets: targetsFor(COMMENT_BLOCK),
      refused: "Tallyfy didn't accept the comment",
      render: keep(form),
    });
    if (!posted.ok) return posted.outcome;
    return { close: true, view: messageModal("Comment on task", "success", "Comment posted.") };
  },
};

/** Tallyfy's complaint about the content lands on the text input. */
function targetsFor(block: string) {
  return {
    name: block,
    summary: block,
    owner: block,
    tags: block,
    fields: [],
    fieldBlockId: () => block,
  };
}

type Rejected = { kind: "done" | "already"; task: Task; commentError?: unknown };

export function rejectSpec(hooks: TaskHooks): FormSpec<TaskModalMeta> {
  return {
    what: "task reject",
    again: "reject it",
    decode: (metadata) => decodeTaskModalMeta(metadata),
    workingView: () =>
      messageModal("Reject", "info", ":hourglass_flowing_sand: Recording the rejection…"),
    submit: async (bot, form): Promise<SubmitOutcome> => {
      const { meta, actor } = form;
      const state = readRejectState(form.view.state.values);
      const local = inputErrors(form, state.errors, keep(form));
      if (local) return local;
      const policy = bot.policies.background;
      const call = async (): Promise<Rejected> => {
        const { value } = await underTaskLock(bot, actor.api.orgId, meta.ref.id, () =>
          actor.api.tasks.complete(meta.ref, { approved: false, policy }),
        );
        if (value.outcome === "already_completed") return { kind: "already", task: value.task };
        // The decision stands even if the reason can't be posted; the person is told.
        const commentError = await actor.api.tasks
          .comment(meta.ref.id, state.reason, { policy })
          .then(
            () => undefined,
            (e: unknown) => e ?? new Error("comment failed"),
          );
        return { kind: "done", task: value.task, commentError };
      };
      const rejected = await callOnce(bot, form, {
        nonce: undefined,
        call,
        targets: targetsFor(REASON_BLOCK),
        refused: "Tallyfy didn't accept the rejection",
        render: keep(form),
      });
      if (!rejected.ok) return rejected.outcome;
      const r = rejected.value;
      const title = `*${mrkdwnText(r.task.title || "Untitled task", 300)}*`;
      const done =
        r.kind === "done"
          ? {
              outcome: "rejected" as const,
              by: { slackUserId: form.interaction.userId },
              at: r.task.completed_at ?? bot.now().toISOString(),
            }
          : await alreadyDone(bot, actor, r.task);
      const text =
        r.kind === "already"
          ? `${title} was already decided; nothing was sent.`
          : r.commentError
            ? `Rejected ${title}, but the reason couldn't be posted as a comment: ${taskErrorText(r.commentError, "comment")}`
            : `Rejected ${title}; your reason is on the task as a comment.`;
      return {
        close: r.kind === "done" && !r.commentError,
        view: messageModal("Reject", r.commentError ? "warning" : "success", text),
        ...(rejected.first
          ? {
              after: async () => {
                await redrawFromModal(bot, form, meta, r.task, done, hooks);
                return undefined;
              },
            }
          : {}),
      };
    },
  };
}
