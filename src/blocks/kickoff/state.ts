/**
 * A submitted kick-off form (view.state.values) back into answers, checked the way Tallyfy will
 * check them, so the person sees the problem on the input instead of a failed launch. Pure.
 */
import type { KickoffField } from "../../tallyfy/schemas.ts";
import { plainLine } from "../text.ts";
import { fieldBlockId, KICKOFF_ACTION_ID } from "./elements.ts";
import { type FieldAnswer, fieldName, findOption, TEXT_LIMITS } from "./model.ts";

/** Slack's view.state.values: block id -> action id -> element state. */
export type KickoffStateValues = Record<string, Record<string, unknown> | undefined>;

export interface KickoffState {
  answers: Record<string, FieldAnswer>;
  /** Block id -> message, for response_action "errors". */
  errors: Record<string, string>;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

export const MESSAGES = {
  required: (field: KickoffField) => `Please fill in ${plainLine(fieldName(field), 150)}.`,
  email: "Enter an email address like name@example.com.",
  tooLong: (max: number) => `Keep this under ${max} characters.`,
  option: "Pick one of the listed options.",
  date: "Pick a date from the calendar.",
} as const;

/** What any element's state holds, whichever element it was. */
interface Picked {
  text?: string;
  day?: string;
  epoch?: number;
  one?: string;
  many?: string[];
  users?: string[];
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const optionValue = (o: unknown) => (isObj(o) && typeof o.value === "string" ? o.value : undefined);

function readElement(state: unknown): Picked {
  if (!isObj(state)) return {};
  switch (state.type) {
    case "plain_text_input":
    case "email_text_input":
      return typeof state.value === "string" ? { text: state.value } : {};
    case "datepicker":
      return typeof state.selected_date === "string" ? { day: state.selected_date } : {};
    case "datetimepicker":
      return typeof state.selected_date_time === "number"
        ? { epoch: state.selected_date_time }
        : {};
    case "radio_buttons":
    case "static_select":
    case "external_select": {
      const one = optionValue(state.selected_option);
      return one === undefined ? {} : { one };
    }
    case "checkboxes":
    case "multi_static_select":
    case "multi_external_select": {
      const list = Array.isArray(state.selected_options) ? state.selected_options : [];
      return { many: list.map(optionValue).filter((v): v is string => v !== undefined) };
    }
    case "multi_users_select": {
      const list = Array.isArray(state.selected_users) ? state.selected_users : [];
      return { users: list.filter((u): u is string => typeof u === "string" && u !== "") };
    }
    default:
      return {};
  }
}

type Outcome = { answer?: FieldAnswer; error?: string };

function readText(field: KickoffField, picked: Picked): Outcome {
  const value = (picked.text ?? "").trim();
  if (!value) return {};
  const max = TEXT_LIMITS[field.field_type as keyof typeof TEXT_LIMITS];
  if (value.length > max) return { error: MESSAGES.tooLong(max) };
  if (field.field_type === "email" && !EMAIL.test(value)) return { error: MESSAGES.email };
  return { answer: { kind: "text", value } };
}

function readDate(picked: Picked): Outcome {
  if (picked.epoch !== undefined) {
    const date = new Date(picked.epoch * 1000);
    if (!Number.isFinite(date.getTime())) return { error: MESSAGES.date };
    return { answer: { kind: "date", value: date.toISOString(), hasTime: true } };
  }
  if (picked.day === undefined || picked.day === "") return {};
  const value = `${picked.day}T00:00:00.000Z`;
  // Date.parse accepts 2026-02-31; the round trip does not.
  const valid = DAY.test(picked.day) && new Date(value).toISOString() === value;
  return valid ? { answer: { kind: "date", value, hasTime: false } } : { error: MESSAGES.date };
}

function readOptions(field: KickoffField, picked: Picked): Outcome {
  if (field.field_type !== "multiselect") {
    if (picked.one === undefined || picked.one === "") return {};
    if (!findOption(field, picked.one)) return { error: MESSAGES.option };
    return { answer: { kind: "option", optionId: picked.one } };
  }
  const chosen = new Set(picked.many ?? []);
  if (chosen.size === 0) return {};
  for (const id of chosen) if (!findOption(field, id)) return { error: MESSAGES.option };
  const optionIds = [...new Set(field.options.map((o) => String(o.id)))].filter((id) =>
    chosen.has(id),
  );
  return { answer: { kind: "options", optionIds } };
}

function readField(field: KickoffField, picked: Picked): Outcome {
  switch (field.field_type) {
    case "text":
    case "textarea":
    case "email":
      return readText(field, picked);
    case "date":
      return readDate(picked);
    case "radio":
    case "dropdown":
    case "multiselect":
      return readOptions(field, picked);
    case "assignees_form":
      return picked.users?.length
        ? { answer: { kind: "slack_users", slackUserIds: [...new Set(picked.users)] } }
        : {};
    default:
      return {};
  }
}

/**
 * Answers for the kick-off inputs present in the view (fields shown as notes have no state and
 * are skipped), with errors keyed by block id. Assignees come back as slack_users.
 */
export function readKickoffState(fields: KickoffField[], values: KickoffStateValues): KickoffState {
  const answers: Record<string, FieldAnswer> = {};
  const errors: Record<string, string> = {};
  for (const field of fields) {
    const blockId = fieldBlockId(field.id);
    const block = values[blockId];
    if (!block) continue;
    const state = block[KICKOFF_ACTION_ID] ?? Object.values(block)[0];
    const { answer, error } = readField(field, readElement(state));
    if (error) errors[blockId] = error;
    else if (answer) answers[field.id] = answer;
    else if (field.required) errors[blockId] = MESSAGES.required(field);
  }
  return { answers, errors };
}
