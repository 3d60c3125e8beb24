/**
 * What changed between two sets of form answers, encoded for an update: a run's prerun (edit)
 * or a task's taskdata (only changed fields are sent). Pure.
 */
import type { KickoffField } from "../../tallyfy/schemas.ts";
import { encodeFieldValue } from "./codec.ts";
import { type AnswerOf, editableInSlack, type FieldAnswer, isEmptyAnswer } from "./model.ts";

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

/** What a cleared field is sent as. */
function clearedValue(field: KickoffField): unknown {
  switch (field.field_type) {
    case "dropdown":
      return null;
    case "multiselect":
      return [];
    case "assignees_form":
      return { users: [], guests: [], groups: [] };
    default:
      return "";
  }
}

/** Encoded value in a form where equal answers compare equal (assignee order does not matter). */
function comparable(field: KickoffField, answer: FieldAnswer): string {
  const value = encodeFieldValue(field, answer);
  if (field.field_type === "assignees_form" && isObj(value)) {
    const sorted = (v: unknown) => (Array.isArray(v) ? [...v].map(String).sort() : v);
    return JSON.stringify([sorted(value.users), sorted(value.guests), sorted(value.groups)]);
  }
  return JSON.stringify(value);
}

function sameAnswer(field: KickoffField, was: FieldAnswer, now: FieldAnswer): boolean {
  let previous: string;
  try {
    previous = comparable(field, was);
  } catch {
    return false; // a stale earlier answer (say, a removed option) is simply replaced
  }
  return previous === comparable(field, now);
}

/**
 * Only the fields whose answer changed, encoded for an update. A field Slack shows as an input
 * (editableInSlack) and left empty in `after` was cleared: optional text becomes "", a dropdown
 * null, a multiselect [], assignees all empty. A field Slack cannot show (file, table, unknown,
 * too long to edit) counts only when `after` holds an answer for it.
 */
export function fieldValueChanges(
  fields: KickoffField[],
  before: Record<string, FieldAnswer>,
  after: Record<string, FieldAnswer | undefined>,
): Record<string, unknown> {
  const changes: Record<string, unknown> = {};
  for (const field of fields) {
    const was = isEmptyAnswer(before[field.id]) ? undefined : before[field.id];
    const now = isEmptyAnswer(after[field.id]) ? undefined : after[field.id];
    if (!now) {
      if (was && editableInSlack(field, was)) changes[field.id] = clearedValue(field);
      continue;
    }
    if (was && sameAnswer(field, was, now)) continue;
    changes[field.id] = encodeFieldValue(field, now);
  }
  return changes;
}

/**
 * Assignees after an edit in Slack. Slack's user picker shows neither guests nor groups, nor
 * Tallyfy users without a Slack account; those stay assigned. `picked` are the Tallyfy ids of
 * the Slack users chosen; `shown` the Tallyfy ids the picker started with (they can be removed).
 */
export function mergePickedAssignees(
  before: FieldAnswer | undefined,
  picked: number[],
  shown: number[],
): AnswerOf<"assignees"> {
  const prior = before?.kind === "assignees" ? before : undefined;
  const hidden = (prior?.users ?? []).filter((u) => !shown.includes(u));
  return {
    kind: "assignees",
    users: [...new Set([...picked, ...hidden])],
    guests: [...(prior?.guests ?? [])],
    groups: [...(prior?.groups ?? [])],
  };
}

/** The kick-off form's name for fieldValueChanges. */
export const prerunChanges = fieldValueChanges;
