/**
 * What a kick-off field's answer is, independent of Slack and of Tallyfy's wire shapes, plus the
 * option lookups and limits the codec, the element builder and the state reader share. Pure.
 */
import type { FieldOption, KickoffField } from "../../tallyfy/schemas.ts";

/** A kick-off field or a task's form field: the same shape, the same codec. */
export type FormField = KickoffField;

export type FieldAnswer =
  /** text, textarea, email */
  | { kind: "text"; value: string }
  /** ISO 8601; a day without a time is "YYYY-MM-DDT00:00:00.000Z". */
  | { kind: "date"; value: string; hasTime: boolean }
  /** radio, dropdown: the option id as a string. */
  | { kind: "option"; optionId: string }
  /** multiselect */
  | { kind: "options"; optionIds: string[] }
  /** assignees_form, as Tallyfy ids. */
  | { kind: "assignees"; users: number[]; guests: string[]; groups: string[] }
  /** assignees as picked in Slack; the listener maps them to Tallyfy users by email. */
  | { kind: "slack_users"; slackUserIds: string[] }
  /** file, table, unknown types: passed through untouched. */
  | { kind: "raw"; value: unknown };

export type AnswerOf<K extends FieldAnswer["kind"]> = Extract<FieldAnswer, { kind: K }>;

/**
 * Slack's plain_text_input takes at most 3000 characters (its documented max_length ceiling),
 * so that is the most a text or textarea answer can be when it is typed in Slack. Tallyfy
 * publishes no lower limit. Emails follow RFC 5321's 254.
 */
export const SLACK_TEXT_INPUT_MAX = 3000;
export const TEXT_LIMITS = {
  text: SLACK_TEXT_INPUT_MAX,
  textarea: SLACK_TEXT_INPUT_MAX,
  email: 254,
} as const;

/** Slack element thresholds: radio_buttons and checkboxes take 10 options, selects 100. */
export const RADIO_MAX = 10;
export const CHECKBOXES_MAX = 10;
export const STATIC_SELECT_MAX = 100;
export const OPTION_TEXT_MAX = 75;
export const OPTION_VALUE_MAX = 150;

/** Field types a Slack input can fill in. */
const SLACK_TYPES = new Set([
  "text",
  "textarea",
  "email",
  "date",
  "radio",
  "dropdown",
  "multiselect",
  "assignees_form",
]);

/** Types whose answer is an option chosen from field.options. */
export const OPTION_TYPES = new Set(["radio", "dropdown", "multiselect"]);

/** Why a field cannot be an input in Slack, or undefined when it can. */
export function notEditableReason(
  field: KickoffField,
  initial?: FieldAnswer,
): "unsupported" | "no_options" | "too_long" | undefined {
  if (!SLACK_TYPES.has(field.field_type)) return "unsupported";
  if (OPTION_TYPES.has(field.field_type) && field.options.length === 0) return "no_options";
  // Showing a longer value would cut it, and saving the form would store the cut copy.
  if (initial?.kind === "text" && initial.value.length > SLACK_TEXT_INPUT_MAX) return "too_long";
  return undefined;
}

/** Whether kickoffBlocks renders this field as an input (given the value it starts with). */
export function editableInSlack(field: KickoffField, initial?: FieldAnswer): boolean {
  return notEditableReason(field, initial) === undefined;
}

export function findOption(field: KickoffField, optionId: string): FieldOption | undefined {
  return field.options.find((o) => String(o.id) === optionId);
}

/** Exact text first; a case-insensitive match only when exactly one option has it. */
export function optionByText(field: KickoffField, text: string): FieldOption | undefined {
  const exact = field.options.find((o) => o.text === text);
  if (exact) return exact;
  const lower = text.trim().toLowerCase();
  const loose = field.options.filter((o) => o.text.trim().toLowerCase() === lower);
  return loose.length === 1 ? loose[0] : undefined;
}

/** Whether an answer carries nothing (an empty text, no options, nobody assigned). */
export function isEmptyAnswer(answer: FieldAnswer | undefined): boolean {
  if (!answer) return true;
  switch (answer.kind) {
    case "text":
    case "date":
      return answer.value.trim() === "";
    case "option":
      return answer.optionId === "";
    case "options":
      return answer.optionIds.length === 0;
    case "assignees":
      return answer.users.length + answer.guests.length + answer.groups.length === 0;
    case "slack_users":
      return answer.slackUserIds.length === 0;
    case "raw":
      return answer.value === undefined || answer.value === null;
  }
}

/** "Priority" for messages; never empty. */
export function fieldName(field: KickoffField): string {
  return field.label.trim() || "this field";
}
