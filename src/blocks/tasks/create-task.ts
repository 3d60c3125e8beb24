/**
 * The "Create Tallyfy task" message shortcut's modal: title from the message's first line,
 * description with the whole text and its permalink, assignees (the person by default), a
 * deadline (tomorrow 17:00 in their time zone) and the type; and the reader for its submission.
 * Pure.
 */
import type { KnownBlock, ModalView } from "@slack/types";
import { TITLE_MAX } from "../../tallyfy/task-bodies.ts";
import {
  FORM_NOTICE_BLOCK,
  modal,
  noticeBlocks,
  parseMetadata,
  str,
  type Tone,
} from "../modals/modal.ts";
import { plainLine, truncate } from "../text.ts";
import { TASK_VIEW } from "./ids.ts";
import { tomorrowAt } from "./when.ts";

export const CREATE_BLOCK = {
  title: "task_title",
  description: "task_description",
  assignees: "task_assignees",
  deadline: "task_deadline",
  type: "task_type",
} as const;
const ACTION_ID = "value";
const DESCRIPTION_MAX = 3000;
const ASSIGNEES_MAX = 20;

export type CreatableType = "task" | "approval";

/** Where the task came from: the reply goes in the message's thread. */
export interface CreateTaskMeta {
  channel: string;
  /** The message's ts; the reply's thread_ts (the thread's root when the message is a reply). */
  threadTs: string;
  /** The form render's submit nonce: a repeated submit of one render creates one task. */
  nonce?: string | undefined;
  /** The shortcut's response_url: the reply's way in when the bot can't post there. */
  responseUrl?: string | undefined;
}

export function encodeCreateTaskMeta(m: CreateTaskMeta): string {
  return JSON.stringify({ c: m.channel, t: m.threadTs, n: m.nonce, r: m.responseUrl });
}

export function decodeCreateTaskMeta(raw: string | undefined): CreateTaskMeta | undefined {
  const m = parseMetadata(raw);
  const channel = str(m.c);
  const threadTs = str(m.t);
  if (!channel || !threadTs) return undefined;
  const nonce = str(m.n);
  const responseUrl = str(m.r);
  return {
    channel,
    threadTs,
    ...(nonce ? { nonce } : {}),
    ...(responseUrl ? { responseUrl } : {}),
  };
}

/**
 * Slack markup as plain text: links as their label, mentions as @name; `&lt;` `&gt;` `&amp;`
 * decoded for message text (Slack escapes it), not for what was typed into a modal input.
 */
export function plainFromSlack(
  text: string,
  names: Record<string, string> = {},
  escaped = true,
): string {
  const plain = text
    .replace(
      /<@([UW][A-Z0-9]+)(?:\|([^>]*))?>/g,
      (_, id: string, n?: string) => `@${names[id] ?? n ?? id}`,
    )
    .replace(/<#[CG][A-Z0-9]+\|([^>]*)>/g, "#$1")
    .replace(/<!(here|channel|everyone)(?:\|[^>]*)?>/g, "@$1")
    .replace(/<!subteam\^[A-Z0-9]+(?:\|([^>]*))?>/g, (_, n?: string) => n ?? "@group")
    .replace(/<!date\^\d+\^[^|>]*\|([^>]*)>/g, "$1")
    .replace(/<(https?:\/\/[^|>]+)\|([^>]+)>/g, "$2 ($1)")
    .replace(/<(https?:\/\/[^|>]+)>/g, "$1")
    .replace(/<mailto:[^|>]+\|([^>]+)>/g, "$1");
  return escaped ? plain.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&") : plain;
}

export interface CreateTaskPrefill {
  title: string;
  description: string;
  assignees: string[];
  deadline: Date;
  type: CreatableType;
}

/** The modal's starting values from the message the shortcut was used on. */
export function createTaskPrefill(input: {
  text: string;
  permalink?: string | undefined;
  personSlackId: string;
  now: Date;
  timeZone?: string | undefined;
  names?: Record<string, string>;
}): CreateTaskPrefill {
  const text = plainFromSlack(input.text, input.names).trim();
  const firstLine = text.split("\n").find((l) => l.trim()) ?? "";
  const link = input.permalink ? `\n\nFrom Slack: ${input.permalink}` : "";
  const body = truncate(text, Math.max(0, DESCRIPTION_MAX - link.length));
  return {
    title: plainLine(firstLine, TITLE_MAX),
    description: `${body}${link}`.trim(),
    assignees: [input.personSlackId],
    deadline: tomorrowAt(input.now, input.timeZone),
    type: "task",
  };
}

const plain = (text: string) => ({ type: "plain_text" as const, text });
const TYPES: { value: CreatableType; text: string }[] = [
  { value: "task", text: "Task" },
  { value: "approval", text: "Approval" },
];

/** A problem shown above the inputs (mrkdwn, already escaped). */
export interface CreateTaskNotice {
  tone: Tone;
  mrkdwn: string;
}

export function createTaskModal(
  prefill: CreateTaskPrefill,
  meta: CreateTaskMeta,
  notice?: CreateTaskNotice,
): ModalView {
  const epoch = Math.floor(prefill.deadline.getTime() / 1000);
  const typeOption = (t: (typeof TYPES)[number]) => ({ text: plain(t.text), value: t.value });
  const chosen = TYPES.find((t) => t.value === prefill.type) ?? TYPES[0]!;
  const blocks: KnownBlock[] = [
    ...(notice ? noticeBlocks(notice.tone, notice.mrkdwn, FORM_NOTICE_BLOCK) : []),
    {
      type: "input",
      block_id: CREATE_BLOCK.title,
      label: plain("Title"),
      element: {
        type: "plain_text_input",
        action_id: ACTION_ID,
        max_length: TITLE_MAX,
        ...(prefill.title ? { initial_value: prefill.title.slice(0, TITLE_MAX) } : {}),
      },
    },
    {
      type: "input",
      block_id: CREATE_BLOCK.description,
      optional: true,
      label: plain("Description"),
      element: {
        type: "plain_text_input",
        action_id: ACTION_ID,
        multiline: true,
        max_length: DESCRIPTION_MAX,
        ...(prefill.description
          ? { initial_value: prefill.description.slice(0, DESCRIPTION_MAX) }
          : {}),
      },
    },
    {
      type: "input",
      block_id: CREATE_BLOCK.assignees,
      label: plain("Assign to"),
      hint: plain("Matched to Tallyfy people by email."),
      element: {
        type: "multi_users_select",
        action_id: ACTION_ID,
        max_selected_items: ASSIGNEES_MAX,
        ...(prefill.assignees.length
          ? { initial_users: [...new Set(prefill.assignees)].slice(0, ASSIGNEES_MAX) }
          : {}),
      },
    },
    {
      type: "input",
      block_id: CREATE_BLOCK.deadline,
      label: plain("Deadline"),
      element: {
        type: "datetimepicker",
        action_id: ACTION_ID,
        ...(epoch >= 1e9 && epoch < 1e10 ? { initial_date_time: epoch } : {}),
      },
    },
    {
      type: "input",
      block_id: CREATE_BLOCK.type,
      label: plain("Type"),
      element: {
        type: "radio_buttons",
        action_id: ACTION_ID,
        options: TYPES.map(typeOption),
        initial_option: typeOption(chosen),
      },
    },
  ];
  return modal({
    title: "Create Tallyfy task",
    callbackId: TASK_VIEW.create,
    submit: "Create",
    close: "Cancel",
    privateMetadata: encodeCreateTaskMeta(meta),
    blocks,
  });
}

export interface CreateTaskState {
  title: string;
  description: string;
  assignees: string[];
  deadline: Date | undefined;
  type: CreatableType;
  /** Block id -> message, for response_action "errors". */
  errors: Record<string, string>;
}

type Values = Record<string, Record<string, unknown> | undefined>;

function stateOf(values: Values, blockId: string): Record<string, unknown> {
  const block = values[blockId];
  const s = block ? (block[ACTION_ID] ?? Object.values(block)[0]) : undefined;
  return typeof s === "object" && s !== null ? (s as Record<string, unknown>) : {};
}

export function readCreateTaskState(values: Values, now: Date): CreateTaskState {
  const errors: Record<string, string> = {};
  const text = (id: string) => {
    const v = stateOf(values, id).value;
    return typeof v === "string" ? v.trim() : "";
  };
  const title = text(CREATE_BLOCK.title);
  if (!title) errors[CREATE_BLOCK.title] = "Give the task a title.";
  else if (title.length > TITLE_MAX) {
    errors[CREATE_BLOCK.title] = `Keep the title under ${TITLE_MAX} characters.`;
  }
  const users = stateOf(values, CREATE_BLOCK.assignees).selected_users;
  const assignees = Array.isArray(users)
    ? [...new Set(users.filter((u): u is string => typeof u === "string" && u !== ""))]
    : [];
  if (assignees.length === 0) errors[CREATE_BLOCK.assignees] = "Pick at least one person.";
  const epoch = stateOf(values, CREATE_BLOCK.deadline).selected_date_time;
  const deadline = typeof epoch === "number" ? new Date(epoch * 1000) : undefined;
  if (!deadline || !Number.isFinite(deadline.getTime())) {
    errors[CREATE_BLOCK.deadline] = "Pick a date and time.";
  } else if (deadline.getTime() <= now.getTime()) {
    errors[CREATE_BLOCK.deadline] = "Pick a time in the future.";
  }
  const picked = stateOf(values, CREATE_BLOCK.type).selected_option as
    | { value?: unknown }
    | undefined;
  const type: CreatableType = picked?.value === "approval" ? "approval" : "task";
  return { title, description: text(CREATE_BLOCK.description), assignees, deadline, type, errors };
}
