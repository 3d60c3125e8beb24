/**
 * The task modals: a task's form (the kick-off codec's inputs, prefilled from the task), the
 * comment modal and the reject-reason modal, with readers for what was submitted. Pure.
 */
import type { KnownBlock, ModalView } from "@slack/types";
import type { Task, TaskFormField } from "../../tallyfy/task-schemas.ts";
import type { TaskRef } from "../../tallyfy/tasks.ts";
import { type FieldAnswer, kickoffBlocks } from "../kickoff/index.ts";
import {
  contextLine,
  FORM_NOTICE_BLOCK,
  linkButton,
  MODAL_MAX_BLOCKS,
  modal,
  noticeBlocks,
  parseMetadata,
  str,
  textSection,
  withAccessory,
} from "../modals/modal.ts";
import { mrkdwnText, plainLine } from "../text.ts";
import {
  decodeTaskClick,
  decodeTaskRef,
  encodeTaskClick,
  encodeTaskRef,
  TASK_VIEW,
  type TaskOrigin,
} from "./ids.ts";
import { taskTitle } from "./row.ts";

export type TaskDecision = "complete" | "approve" | "reject" | "acknowledge";

/** What a task modal needs back on submit: the task and where the click came from. */
export interface TaskModalMeta {
  ref: TaskRef;
  decision: TaskDecision;
  /** The message to redraw (channel + ts), or the ephemeral list's response_url. */
  channel?: string | undefined;
  ts?: string | undefined;
  responseUrl?: string | undefined;
  /** The private list's page, or the status card, the click came from. */
  origin?: TaskOrigin | undefined;
  /** The click came from a view (the App Home). */
  fromView?: boolean | undefined;
}

export function encodeTaskModalMeta(m: TaskModalMeta): string {
  const origin = JSON.parse(encodeTaskClick(m.ref, m.origin)) as { l?: string; c?: number };
  return JSON.stringify({
    r: encodeTaskRef(m.ref),
    d: m.decision,
    c: m.channel,
    t: m.ts,
    u: m.responseUrl && m.responseUrl.length <= 1500 ? m.responseUrl : undefined,
    l: origin.l,
    k: origin.c,
    v: m.fromView ? 1 : undefined,
  });
}

const DECISIONS: readonly TaskDecision[] = ["complete", "approve", "reject", "acknowledge"];

export function decodeTaskModalMeta(raw: string | undefined): TaskModalMeta | undefined {
  const m = parseMetadata(raw);
  const ref = decodeTaskRef(str(m.r));
  const decision = DECISIONS.find((d) => d === m.d);
  if (!ref || !decision) return undefined;
  const origin = decodeTaskClick(
    JSON.stringify({ ...JSON.parse(str(m.r) ?? "{}"), l: m.l, c: m.k }),
  )?.origin;
  return {
    ref,
    decision,
    channel: str(m.c),
    ts: str(m.t),
    responseUrl: str(m.u),
    ...(origin?.list || origin?.card ? { origin } : {}),
    ...(m.v === 1 ? { fromView: true } : {}),
  };
}

const SUBMIT: Record<TaskDecision, string> = {
  complete: "Complete",
  approve: "Approve",
  reject: "Reject",
  acknowledge: "Acknowledge",
};

export interface TaskFormOptions {
  task: Task;
  fields: TaskFormField[];
  /** Answers to show: the task's own (decodeTaskForm) or what was typed before an error. */
  answers: Record<string, FieldAnswer>;
  meta: TaskModalMeta;
  /** The task in Tallyfy, linked from fields Slack cannot fill. */
  taskUrl: string;
  /** Trusted mrkdwn shown at the top (e.g. a Tallyfy error that names no input). */
  notice?: { tone: "error" | "warning" | "info"; mrkdwn: string } | undefined;
  slackUserIdsFor?: ((tallyfyUserIds: number[]) => string[]) | undefined;
}

/**
 * The form to fill before completing. When a required field cannot be filled in Slack (file,
 * table), or the form is too big for a modal, the modal says so, links to Tallyfy, and has no
 * submit button: completing without those fields would fail.
 */
export function taskFormModal(o: TaskFormOptions): ModalView {
  const kickoff = kickoffBlocks(o.fields, o.answers, {
    purpose: "task",
    webLink: o.taskUrl,
    ...(o.slackUserIdsFor ? { slackUserIdsFor: o.slackUserIdsFor } : {}),
  });
  const title = `*${taskTitle(o.task, 300)}*`;
  const cannot = (why: string) =>
    modal({
      title: "Complete task",
      close: "Close",
      blocks: [
        textSection(title),
        withAccessory(noticeBlocks("warning", why)[0]!, linkButton("Open in Tallyfy", o.taskUrl)),
      ],
    });
  if (kickoff.blocking.length > 0) {
    const labels = kickoff.blocking
      .map((f) => `*${mrkdwnText(plainLine(f.label, 100) || "Untitled field", 200)}*`)
      .join(", ");
    return cannot(
      `This task needs ${labels}, and a Slack form can't take files or tables. Complete it in Tallyfy instead.`,
    );
  }
  const top: KnownBlock[] = [textSection(title)];
  if (o.notice) top.push(...noticeBlocks(o.notice.tone, o.notice.mrkdwn, FORM_NOTICE_BLOCK));
  const form: KnownBlock[] = [
    contextLine(`*Form* · ${o.fields.length} field${o.fields.length === 1 ? "" : "s"}`),
    ...kickoff.blocks,
  ];
  if (Math.max(top.length, 3) + form.length > MODAL_MAX_BLOCKS) {
    return cannot(
      `This task's form has ${o.fields.length} fields: more than a Slack form can hold, and I won't leave any out. Complete it in Tallyfy instead.`,
    );
  }
  return modal({
    title: "Complete task",
    callbackId: TASK_VIEW.form,
    submit: SUBMIT[o.meta.decision],
    close: "Cancel",
    privateMetadata: encodeTaskModalMeta(o.meta),
    blocks: [...top, ...form],
  });
}

export const COMMENT_BLOCK = "task_comment";
export const NOTIFY_BLOCK = "task_comment_notify";
export const REASON_BLOCK = "task_reject_reason";
export const INPUT_ACTION = "value";
/** Slack's plain_text_input ceiling. */
export const COMMENT_MAX = 3000;

function textInput(
  blockId: string,
  labelText: string,
  opts: { initial?: string; hint?: string; placeholder?: string },
): KnownBlock {
  return {
    type: "input",
    block_id: blockId,
    label: { type: "plain_text", text: labelText },
    ...(opts.hint ? { hint: { type: "plain_text", text: opts.hint } } : {}),
    element: {
      type: "plain_text_input",
      action_id: INPUT_ACTION,
      multiline: true,
      max_length: COMMENT_MAX,
      ...(opts.placeholder ? { placeholder: { type: "plain_text", text: opts.placeholder } } : {}),
      ...(opts.initial ? { initial_value: opts.initial.slice(0, COMMENT_MAX) } : {}),
    },
  };
}

/** Comment on a task; people picked under "Notify" are @mentioned in Tallyfy (by email). */
export function commentModal(task: Task, meta: TaskModalMeta, initial?: string): ModalView {
  return modal({
    title: "Comment on task",
    callbackId: TASK_VIEW.comment,
    submit: "Comment",
    close: "Cancel",
    privateMetadata: encodeTaskModalMeta(meta),
    blocks: [
      textSection(`*${taskTitle(task, 300)}*`),
      textInput(COMMENT_BLOCK, "Comment", { ...(initial ? { initial } : {}) }),
      {
        type: "input",
        block_id: NOTIFY_BLOCK,
        optional: true,
        label: { type: "plain_text", text: "Notify" },
        hint: {
          type: "plain_text",
          text: "They get an @mention in Tallyfy (people are matched by email).",
        },
        element: { type: "multi_users_select", action_id: INPUT_ACTION, max_selected_items: 20 },
      },
    ],
  });
}

/** Reject an approval: the reason is required and is posted as a comment. */
export function rejectModal(task: Task, meta: TaskModalMeta, initial?: string): ModalView {
  return modal({
    title: "Reject",
    callbackId: TASK_VIEW.reject,
    submit: "Reject",
    close: "Cancel",
    privateMetadata: encodeTaskModalMeta(meta),
    blocks: [
      textSection(`Rejecting *${taskTitle(task, 300)}*`),
      textInput(REASON_BLOCK, "Reason", {
        hint: "Posted as a comment on the task in Tallyfy.",
        ...(initial ? { initial } : {}),
      }),
    ],
  });
}

type Values = Record<string, Record<string, unknown> | undefined>;

function inputValue(values: Values, blockId: string): unknown {
  const block = values[blockId];
  return block ? (block[INPUT_ACTION] ?? Object.values(block)[0]) : undefined;
}

function textOf(values: Values, blockId: string): string {
  const state = inputValue(values, blockId) as { value?: unknown } | undefined;
  return typeof state?.value === "string" ? state.value.trim() : "";
}

export interface CommentState {
  text: string;
  notify: string[];
  errors: Record<string, string>;
}

export function readCommentState(values: Values): CommentState {
  const text = textOf(values, COMMENT_BLOCK);
  const users = (inputValue(values, NOTIFY_BLOCK) as { selected_users?: unknown } | undefined)
    ?.selected_users;
  const notify = Array.isArray(users)
    ? [...new Set(users.filter((u): u is string => typeof u === "string" && u !== ""))]
    : [];
  const errors: Record<string, string> = {};
  if (!text) errors[COMMENT_BLOCK] = "Write a comment.";
  else if (text.length > COMMENT_MAX)
    errors[COMMENT_BLOCK] = `Keep it under ${COMMENT_MAX} characters.`;
  return { text, notify, errors };
}

export function readRejectState(values: Values): {
  reason: string;
  errors: Record<string, string>;
} {
  const reason = textOf(values, REASON_BLOCK);
  const errors: Record<string, string> = {};
  if (!reason)
    errors[REASON_BLOCK] = "Say why you're rejecting it; the reason goes to Tallyfy as a comment.";
  return { reason, errors };
}
