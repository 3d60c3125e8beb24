/**
 * Form answers <-> the values Tallyfy stores, for kick-off `prerun` and task `taskdata` alike
 * (one validator on Tallyfy's side, FormValuesValidator; REFERENCE.md "Launch",
 * TASKS-AND-WEBHOOKS.md §4.3): text/textarea/email/date a string, radio the option's text,
 * dropdown {id, text}, multiselect [{id, text, selected: true}], assignees_form {users, guests,
 * groups}, table one entry per column; file and unknown types pass through untouched. Both
 * are objects keyed by field id. Pure.
 */
import type { FieldOption, KickoffField } from "../../tallyfy/schemas.ts";
import { isDateOnly, parseInstant } from "../dates.ts";
import {
  type AnswerOf,
  type FieldAnswer,
  fieldName,
  findOption,
  isEmptyAnswer,
  optionByText,
} from "./model.ts";

/** An answer that cannot be sent for its field (wrong kind, unknown option, unmapped users). */
export class FieldValueError extends Error {
  readonly fieldId: string;
  constructor(field: KickoffField, problem: string) {
    super(`Form field "${fieldName(field)}" (${field.id}): ${problem}`);
    this.name = "FieldValueError";
    this.fieldId = field.id;
  }
}
/** The kick-off form's name for FieldValueError. */
export const KickoffValueError = FieldValueError;
export type KickoffValueError = FieldValueError;

function expectKind<K extends FieldAnswer["kind"]>(
  field: KickoffField,
  answer: FieldAnswer,
  kind: K,
): AnswerOf<K> {
  if (answer.kind !== kind) {
    throw new FieldValueError(
      field,
      `a ${field.field_type} field takes a "${kind}" answer, got "${answer.kind}"`,
    );
  }
  return answer as AnswerOf<K>;
}

function optionOrThrow(field: KickoffField, optionId: string): FieldOption {
  const option = findOption(field, optionId);
  if (!option) throw new FieldValueError(field, `there is no option with id "${optionId}"`);
  return option;
}

const DAY_PREFIX = /^(\d{4}-\d{2}-\d{2})/;

/** A day as midnight UTC, anything else as a full UTC ISO string. */
function encodeDate(field: KickoffField, answer: AnswerOf<"date">): string {
  const instant = parseInstant(answer.value);
  if (!instant) throw new FieldValueError(field, `"${answer.value}" is not a date`);
  if (answer.hasTime) return instant.toISOString();
  const day = DAY_PREFIX.exec(answer.value.trim())?.[1] ?? instant.toISOString().slice(0, 10);
  return `${day}T00:00:00.000Z`;
}

/** A table takes exactly one entry per configured column (else Tallyfy answers 422). */
function encodeRaw(field: KickoffField, value: unknown): unknown {
  const columns = field.columns.length;
  if (field.field_type === "table" && columns > 0 && Array.isArray(value)) {
    if (value.length !== columns) {
      throw new FieldValueError(field, `a table takes one entry per column (${columns})`);
    }
  }
  return value;
}

/** The stored value for one field. Throws FieldValueError when the answer does not fit. */
export function encodeFieldValue(field: KickoffField, answer: FieldAnswer): unknown {
  if (answer.kind === "raw") return encodeRaw(field, answer.value);
  if (answer.kind === "slack_users") {
    throw new FieldValueError(field, "map the Slack users to Tallyfy users before sending");
  }
  switch (field.field_type) {
    case "text":
    case "textarea":
    case "email":
      return expectKind(field, answer, "text").value;
    case "date":
      return encodeDate(field, expectKind(field, answer, "date"));
    case "radio":
      return optionOrThrow(field, expectKind(field, answer, "option").optionId).text;
    case "dropdown": {
      const option = optionOrThrow(field, expectKind(field, answer, "option").optionId);
      return { id: option.id, text: option.text };
    }
    case "multiselect": {
      const chosen = new Set(expectKind(field, answer, "options").optionIds);
      for (const id of chosen) optionOrThrow(field, id);
      const seen = new Set<string>();
      return field.options
        .filter((o) => chosen.has(String(o.id)) && !seen.has(String(o.id)))
        .map((o) => {
          seen.add(String(o.id));
          return { id: o.id, text: o.text, selected: true };
        });
    }
    case "assignees_form": {
      const a = expectKind(field, answer, "assignees");
      return { users: [...a.users], guests: [...a.guests], groups: [...a.groups] };
    }
    default:
      throw new FieldValueError(
        field,
        `a ${field.field_type} field takes a "raw" answer, got "${answer.kind}"`,
      );
  }
}

/** Values for a launch (prerun) or a task (taskdata): only answered fields, keyed by field id. */
export function encodeFieldValues(
  fields: KickoffField[],
  answers: Record<string, FieldAnswer | undefined>,
): Record<string, unknown> {
  const prerun: Record<string, unknown> = {};
  for (const field of fields) {
    const answer = answers[field.id];
    if (!answer || isEmptyAnswer(answer)) continue;
    prerun[field.id] = encodeFieldValue(field, answer);
  }
  return prerun;
}

// ---- decoding (prefilling an edit form from a run's prerun) ----

type Obj = Record<string, unknown>;
export const isObj = (v: unknown): v is Obj =>
  typeof v === "object" && v !== null && !Array.isArray(v);
const isScalar = (v: unknown): v is string | number =>
  typeof v === "string" || (typeof v === "number" && Number.isFinite(v));

/** Match a stored option (object, id or text): by id first, then by text. */
function optionFromStored(field: KickoffField, stored: unknown): FieldOption | undefined {
  if (isObj(stored)) {
    const byId = isScalar(stored.id) ? findOption(field, String(stored.id)) : undefined;
    if (byId) return byId;
    return typeof stored.text === "string" ? optionByText(field, stored.text) : undefined;
  }
  if (!isScalar(stored)) return undefined;
  return findOption(field, String(stored)) ?? optionByText(field, String(stored));
}

/** Entries of a stored list that are chosen: `selected: false` entries are not. */
function selectedEntries(stored: unknown): unknown[] {
  const list = Array.isArray(stored) ? stored : [stored];
  return list.filter((e) => !(isObj(e) && e.selected === false));
}

function decodeRadio(field: KickoffField, stored: unknown): FieldAnswer | undefined {
  const [first] = selectedEntries(stored);
  // Radio values are the option's text; ids are only a fallback for odd stored shapes.
  const option =
    typeof first === "string"
      ? (optionByText(field, first) ?? findOption(field, first))
      : optionFromStored(field, first);
  return option ? { kind: "option", optionId: String(option.id) } : undefined;
}

function decodeDropdown(field: KickoffField, stored: unknown): FieldAnswer | undefined {
  const [first] = selectedEntries(stored);
  const option = optionFromStored(field, first);
  return option ? { kind: "option", optionId: String(option.id) } : undefined;
}

function decodeMultiselect(field: KickoffField, stored: unknown): FieldAnswer | undefined {
  if (!Array.isArray(stored)) return undefined;
  const ids = new Set<string>();
  for (const entry of selectedEntries(stored)) {
    const option = optionFromStored(field, entry);
    if (option) ids.add(String(option.id));
  }
  // Template order, whatever order they were stored in.
  const optionIds = [...new Set(field.options.map((o) => String(o.id)))].filter((id) =>
    ids.has(id),
  );
  return optionIds.length ? { kind: "options", optionIds } : undefined;
}

function decodeDate(field: KickoffField, stored: unknown): FieldAnswer | undefined {
  if (typeof stored !== "string" || !stored.trim()) return undefined;
  const instant = parseInstant(stored);
  if (!instant) return undefined;
  const iso = instant.toISOString();
  const midnight = iso.endsWith("T00:00:00.000Z");
  if (isDateOnly(stored) || midnight) {
    return {
      kind: "date",
      value: `${iso.slice(0, 10)}T00:00:00.000Z`,
      hasTime: field.collect_time,
    };
  }
  return { kind: "date", value: iso, hasTime: true };
}

function idList(v: unknown, key: "id" | "email"): unknown[] {
  if (!Array.isArray(v)) return [];
  return v.map((e) => (isObj(e) ? e[key] : e));
}

function decodeAssignees(stored: unknown): FieldAnswer | undefined {
  if (!isObj(stored)) return undefined;
  const users = idList(stored.users, "id")
    .map((u) => (typeof u === "string" && u.trim() ? Number(u) : u))
    .filter((u): u is number => typeof u === "number" && Number.isInteger(u));
  const guests = idList(stored.guests, "email").filter(
    (g): g is string => typeof g === "string" && g !== "",
  );
  const groups = idList(stored.groups, "id")
    .filter(isScalar)
    .map(String)
    .filter((g) => g !== "");
  const answer: FieldAnswer = { kind: "assignees", users, guests, groups };
  return isEmptyAnswer(answer) ? undefined : answer;
}

/** The answer a stored value means for this field; undefined when it means nothing. */
export function decodeFieldValue(field: KickoffField, stored: unknown): FieldAnswer | undefined {
  if (stored === undefined || stored === null) return undefined;
  switch (field.field_type) {
    case "text":
    case "textarea":
    case "email":
      if (typeof stored === "string")
        return stored === "" ? undefined : { kind: "text", value: stored };
      return isScalar(stored) || typeof stored === "boolean"
        ? { kind: "text", value: String(stored) }
        : undefined;
    case "date":
      return decodeDate(field, stored);
    case "radio":
      return decodeRadio(field, stored);
    case "dropdown":
      return decodeDropdown(field, stored);
    case "multiselect":
      return decodeMultiselect(field, stored);
    case "assignees_form":
      return decodeAssignees(stored);
    default:
      return { kind: "raw", value: stored };
  }
}

/** Answers for every field the values (keyed by field id) hold something meaningful for. */
export function decodeFieldValues(
  fields: KickoffField[],
  prerun: Record<string, unknown>,
): Record<string, FieldAnswer> {
  const answers: Record<string, FieldAnswer> = {};
  for (const field of fields) {
    if (!Object.hasOwn(prerun, field.id)) continue;
    const answer = decodeFieldValue(field, prerun[field.id]);
    if (answer) answers[field.id] = answer;
  }
  return answers;
}

/** The kick-off form's names for the codec (prerun), kept for the launch and edit flows. */
export const encodePrerunValue = encodeFieldValue;
export const encodePrerun = encodeFieldValues;
export const decodePrerunValue = decodeFieldValue;
export const decodePrerun = decodeFieldValues;
export { fieldValueChanges, mergePickedAssignees, prerunChanges } from "./changes.ts";
