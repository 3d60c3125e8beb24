/**
 * Kick-off ("prerun") values as the live service reads them: by field id. A JSON array gives
 * keys "0", "1", … that match no field, so every value in it is silently dropped.
 */
import { invalid, invalidMessage } from "./http.ts";
import type { SandboxField } from "./types.ts";

export interface PrerunContext {
  userIds: ReadonlySet<number>;
  groupIds: ReadonlySet<string>;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const ISO_8601 =
  /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

type Obj = Record<string, unknown>;

function isObject(v: unknown): v is Obj {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** What PHP would see: an array becomes an object keyed "0", "1", … */
function asKeyed(input: unknown): Obj {
  if (input === undefined || input === null) return {};
  if (Array.isArray(input)) return Object.fromEntries(input.map((v, i) => [String(i), v]));
  if (isObject(input)) return input;
  throw invalid({ prerun: ["The prerun must be an array."] });
}

export function isEmpty(v: unknown): boolean {
  if (v === undefined || v === null) return true;
  if (typeof v === "string") return v.trim() === "";
  if (Array.isArray(v)) return v.length === 0;
  if (isObject(v)) {
    const lists = ["users", "guests", "groups"].map((k) => v[k]);
    if (lists.some((l) => l !== undefined))
      return lists.every((l) => !Array.isArray(l) || !l.length);
    return Object.keys(v).length === 0;
  }
  return false;
}

function sortedFields(fields: readonly SandboxField[]): SandboxField[] {
  return [...fields].sort((a, b) => a.position - b.position);
}

/** Launch: every field is checked; required ones must have a value. */
export function prerunForLaunch(
  fields: readonly SandboxField[],
  input: unknown,
  ctx: PrerunContext,
): Obj {
  const sent = asKeyed(input);
  const out: Obj = {};
  for (const field of sortedFields(fields)) {
    const value = Object.hasOwn(sent, field.id) ? sent[field.id] : undefined;
    if (isEmpty(value)) {
      if (field.required) throw invalidMessage(`${field.label} is required`);
      continue;
    }
    out[field.id] = normalize(field, value, ctx);
  }
  return out;
}

/** Update: merged by field id; only the keys sent are checked. */
export function prerunForUpdate(
  fields: readonly SandboxField[],
  current: Obj,
  input: unknown,
  ctx: PrerunContext,
): Obj {
  const sent = asKeyed(input);
  const out: Obj = { ...current };
  for (const field of sortedFields(fields)) {
    if (!Object.hasOwn(sent, field.id)) continue;
    const value = sent[field.id];
    if (isEmpty(value)) {
      if (field.required) throw invalidMessage(`${field.label} is required`);
      delete out[field.id];
      continue;
    }
    out[field.id] = normalize(field, value, ctx);
  }
  return out;
}

export function normalize(field: SandboxField, value: unknown, ctx: PrerunContext): unknown {
  const { label } = field;
  switch (field.field_type) {
    case "text":
    case "textarea":
      if (typeof value === "number") return String(value);
      if (typeof value !== "string") throw invalidMessage(`${label} must be a string.`);
      return value;
    case "email":
      if (typeof value !== "string" || !EMAIL.test(value.trim())) {
        throw invalidMessage(`${label} must be a valid email address.`);
      }
      return value.trim();
    case "date":
      if (typeof value !== "string" || !ISO_8601.test(value) || Number.isNaN(Date.parse(value))) {
        throw invalidMessage(`${label} must be a valid date.`);
      }
      return value;
    case "radio":
      if (typeof value !== "string" || !field.options.some((o) => o.text === value)) {
        throw invalidMessage("Invalid radio choice selected.");
      }
      return value;
    case "dropdown":
      return dropdown(field, value);
    case "multiselect":
      return multiselect(field, value);
    case "file":
      if (!Array.isArray(value) || !value.every((f) => isObject(f) && f.id !== undefined)) {
        throw invalidMessage(`${label} must be a list of uploaded files.`);
      }
      return value;
    case "table":
      if (!Array.isArray(value)) throw invalidMessage(`${label} must be a list.`);
      return value;
    case "assignees_form":
      return assignees(field, value, ctx);
  }
}

function matchOption(field: SandboxField, v: unknown) {
  if (!isObject(v)) return undefined;
  // PHP compares the id loosely (2 == "2"), the text exactly.
  return field.options.find((o) => String(o.id) === String(v.id) && o.text === v.text);
}

function dropdown(field: SandboxField, value: unknown) {
  const option = matchOption(field, value);
  if (!option) throw invalidMessage("Invalid dropdown choice selected.");
  return { id: option.id, text: option.text, value: option.value };
}

function multiselect(field: SandboxField, value: unknown) {
  if (!Array.isArray(value)) throw invalidMessage("Invalid multiselect choice selected.");
  return value.map((item) => {
    const option = matchOption(field, item);
    if (!option) throw invalidMessage("Invalid multiselect choice selected.");
    // Stored as sent: without selected:true the choice renders empty on Tallyfy's side.
    const selected = (item as Obj).selected;
    return {
      id: option.id,
      text: option.text,
      value: option.value,
      ...(selected !== undefined ? { selected } : {}),
    };
  });
}

function assignees(field: SandboxField, value: unknown, ctx: PrerunContext) {
  const problem = `${field.label} has an invalid assignee.`;
  if (!isObject(value)) throw invalidMessage(problem);
  const list = (k: string) => {
    const l = value[k] ?? [];
    if (!Array.isArray(l)) throw invalidMessage(problem);
    return l as unknown[];
  };
  const users = list("users");
  const guests = list("guests");
  const groups = list("groups");
  if (!users.every((u) => Number.isInteger(u) && ctx.userIds.has(u as number))) {
    throw invalidMessage(problem);
  }
  if (!guests.every((g) => typeof g === "string" && EMAIL.test(g))) throw invalidMessage(problem);
  if (!groups.every((g) => typeof g === "string" && ctx.groupIds.has(g))) {
    throw invalidMessage(problem);
  }
  return { users, guests, groups };
}
