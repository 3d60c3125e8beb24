/**
 * Kick-off fields as Slack input blocks, filled with their current answers. Block ids are
 * `ko_<fieldId>`, every element's action id is "value", option values are option ids. Pure.
 */
import type {
  Checkboxes,
  ContextBlock,
  Datepicker,
  DateTimepicker,
  EmailInput,
  ExternalSelect,
  InputBlock,
  InputBlockElement,
  KnownBlock,
  MultiExternalSelect,
  MultiStaticSelect,
  MultiUsersSelect,
  PlainTextElement,
  PlainTextInput,
  RadioButtons,
  StaticSelect,
} from "@slack/types";
import type { KickoffField } from "../../tallyfy/schemas.ts";
import { parseInstant } from "../dates.ts";
import { mrkdwnLink } from "../links.ts";
import { mrkdwnText, plainLine } from "../text.ts";
import { guidanceHint } from "./guidance.ts";
import {
  CHECKBOXES_MAX,
  type FieldAnswer,
  isEmptyAnswer,
  notEditableReason,
  RADIO_MAX,
  SLACK_TEXT_INPUT_MAX,
  STATIC_SELECT_MAX,
  TEXT_LIMITS,
} from "./model.ts";
import { optionsWithInitial } from "./options.ts";

export { searchFieldOptions } from "./options.ts";

export const KICKOFF_BLOCK_PREFIX = "ko_";
/** The action id of every kick-off element (external selects' options requests carry it too). */
export const KICKOFF_ACTION_ID = "value";

export function fieldBlockId(fieldId: string): string {
  return `${KICKOFF_BLOCK_PREFIX}${fieldId}`;
}

/** The field id a kick-off block id stands for; undefined for any other block. */
export function fieldIdFromBlockId(blockId: string): string | undefined {
  if (!blockId.startsWith(KICKOFF_BLOCK_PREFIX)) return undefined;
  return blockId.slice(KICKOFF_BLOCK_PREFIX.length) || undefined;
}

export interface KickoffBlocksOptions {
  /** Slack user ids of the given Tallyfy users (those without a Slack account are left out). */
  slackUserIdsFor?: (tallyfyUserIds: number[]) => string[];
  /** Where the run or template opens in Tallyfy; linked from fields Slack cannot fill. */
  webLink?: string;
  /** Wording of the notes on fields Slack cannot fill; "launch" unless told. */
  purpose?: "launch" | "edit" | "task";
}

export interface KickoffBlocks {
  blocks: KnownBlock[];
  /** Required fields that cannot be filled in Slack: the template must be launched in Tallyfy. */
  blocking: KickoffField[];
}

const plain = (text: string): PlainTextElement => ({ type: "plain_text", text });

const ACTION = { action_id: KICKOFF_ACTION_ID };

function textElement(field: KickoffField, answer?: FieldAnswer): PlainTextInput | EmailInput {
  const initial = answer?.kind === "text" && answer.value !== "" ? answer.value : undefined;
  const withInitial = initial === undefined ? {} : { initial_value: initial };
  if (field.field_type === "email") {
    return { type: "email_text_input", ...ACTION, ...withInitial };
  }
  const max = field.field_type === "textarea" ? TEXT_LIMITS.textarea : TEXT_LIMITS.text;
  return {
    type: "plain_text_input",
    ...ACTION,
    ...(field.field_type === "textarea" ? { multiline: true } : {}),
    max_length: Math.min(max, SLACK_TEXT_INPUT_MAX),
    ...withInitial,
  };
}

const DAY_PREFIX = /^(\d{4}-\d{2}-\d{2})/;

function dateElement(field: KickoffField, answer?: FieldAnswer): Datepicker | DateTimepicker {
  const date = answer?.kind === "date" ? answer : undefined;
  if (field.collect_time || date?.hasTime) {
    const ms = date ? parseInstant(date.value)?.getTime() : undefined;
    const epoch = ms === undefined ? undefined : Math.floor(ms / 1000);
    // Slack wants a 10-digit epoch; anything else would fail the whole view.
    const ok = epoch !== undefined && epoch >= 1e9 && epoch < 1e10;
    return { type: "datetimepicker", ...ACTION, ...(ok ? { initial_date_time: epoch } : {}) };
  }
  const instant = date ? parseInstant(date.value) : undefined;
  const day = date
    ? (DAY_PREFIX.exec(date.value.trim())?.[1] ?? instant?.toISOString().slice(0, 10))
    : undefined;
  return {
    type: "datepicker",
    ...ACTION,
    placeholder: plain("Choose a date"),
    ...(day ? { initial_date: day } : {}),
  };
}

function singleChoice(
  field: KickoffField,
  answer: FieldAnswer | undefined,
): RadioButtons | StaticSelect | ExternalSelect {
  const { options, initial } = optionsWithInitial(field, answer);
  const initialOption = initial[0] ? { initial_option: initial[0] } : {};
  if (field.field_type === "radio" && options.length <= RADIO_MAX) {
    return { type: "radio_buttons", ...ACTION, options, ...initialOption };
  }
  const placeholder = plain("Choose an option");
  if (options.length <= STATIC_SELECT_MAX) {
    return { type: "static_select", ...ACTION, placeholder, options, ...initialOption };
  }
  return { type: "external_select", ...ACTION, placeholder, min_query_length: 0, ...initialOption };
}

function multiChoice(
  field: KickoffField,
  answer: FieldAnswer | undefined,
): Checkboxes | MultiStaticSelect | MultiExternalSelect {
  const { options, initial } = optionsWithInitial(field, answer);
  const initialOptions = initial.length ? { initial_options: initial } : {};
  if (options.length <= CHECKBOXES_MAX) {
    return { type: "checkboxes", ...ACTION, options, ...initialOptions };
  }
  const placeholder = plain("Choose options");
  if (options.length <= STATIC_SELECT_MAX) {
    return { type: "multi_static_select", ...ACTION, placeholder, options, ...initialOptions };
  }
  return {
    type: "multi_external_select",
    ...ACTION,
    placeholder,
    min_query_length: 0,
    ...initialOptions,
  };
}

function usersElement(
  answer: FieldAnswer | undefined,
  opts: KickoffBlocksOptions,
): MultiUsersSelect {
  let users: string[] = [];
  if (answer?.kind === "slack_users") users = answer.slackUserIds;
  else if (answer?.kind === "assignees" && answer.users.length && opts.slackUserIdsFor) {
    users = opts.slackUserIdsFor(answer.users);
  }
  const unique = [...new Set(users.filter(Boolean))];
  return {
    type: "multi_users_select",
    ...ACTION,
    placeholder: plain("Choose people"),
    ...(unique.length ? { initial_users: unique } : {}),
  };
}

function fieldElement(
  field: KickoffField,
  answer: FieldAnswer | undefined,
  opts: KickoffBlocksOptions,
): InputBlockElement {
  switch (field.field_type) {
    case "text":
    case "textarea":
    case "email":
      return textElement(field, answer);
    case "date":
      return dateElement(field, answer);
    case "radio":
    case "dropdown":
      return singleChoice(field, answer);
    case "multiselect":
      return multiChoice(field, answer);
    case "assignees_form":
      return usersElement(answer, opts);
    default:
      throw new Error(`No Slack element for field type ${field.field_type}`);
  }
}

const fieldLabel = (field: KickoffField, max: number) =>
  plainLine(field.label, max) || "Untitled field";

function inputBlock(field: KickoffField, element: InputBlockElement): InputBlock {
  const hint = guidanceHint(field.guidance);
  return {
    type: "input",
    block_id: fieldBlockId(field.id),
    label: plain(fieldLabel(field, 2000)),
    ...(hint ? { hint: plain(hint) } : {}),
    optional: !field.required,
    element,
  };
}

const FILL_IN = {
  launch: (tallyfy: string) => `fill this in ${tallyfy} after launch`,
  edit: (tallyfy: string) => `change it in ${tallyfy}`,
  task: (tallyfy: string) => `fill this in ${tallyfy}`,
};

function noteBlock(
  field: KickoffField,
  reason: NonNullable<ReturnType<typeof notEditableReason>>,
  opts: KickoffBlocksOptions,
): ContextBlock {
  const label = mrkdwnText(fieldLabel(field, 200), 400);
  const tallyfy = mrkdwnLink(opts.webLink, "Tallyfy");
  const fillIn = FILL_IN[opts.purpose ?? "launch"](tallyfy);
  const known = field.field_type === "file" || field.field_type === "table";
  let text: string;
  if (reason === "too_long") {
    text = `📝 ${label}: too long to edit in Slack (over ${SLACK_TEXT_INPUT_MAX} characters); it stays as it is. Change it in ${tallyfy}.`;
  } else if (reason === "no_options") {
    text = `⚠️ ${label}: this field has no options to choose from yet; ${fillIn}`;
  } else if (known) {
    text = `📎 ${label}: ${fillIn}`;
  } else {
    const type = mrkdwnText(plainLine(field.field_type, 50), 100);
    text = `⚠️ ${label}: this kind of field (${type}) is not supported in Slack; ${fillIn}`;
  }
  return { type: "context", elements: [{ type: "mrkdwn", text }] };
}

/**
 * Input blocks for the kick-off form in Tallyfy's position order. Fields Slack cannot fill
 * become a note; the required ones among them that have no value yet are listed in `blocking`.
 */
export function kickoffBlocks(
  fields: KickoffField[],
  initial: Record<string, FieldAnswer>,
  opts: KickoffBlocksOptions = {},
): KickoffBlocks {
  const blocks: KnownBlock[] = [];
  const blocking: KickoffField[] = [];
  const ordered = [...fields].sort((a, b) => a.position - b.position);
  for (const field of ordered) {
    const answer = initial[field.id];
    const reason = notEditableReason(field, answer);
    if (reason) {
      blocks.push(noteBlock(field, reason, opts));
      if (field.required && isEmptyAnswer(answer)) blocking.push(field);
      continue;
    }
    blocks.push(inputBlock(field, fieldElement(field, answer, opts)));
  }
  return { blocks, blocking };
}
