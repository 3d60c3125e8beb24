/**
 * A task's form through the same codec as the kick-off form: a task's form fields have the
 * kick-off field's shape plus their current answer (`field_value`), and `taskdata` takes the
 * same value per field type as `prerun`. Pure.
 */
import type { TaskFormField } from "../../tallyfy/task-schemas.ts";
import { fieldValueChanges } from "./changes.ts";
import { decodeFieldValues, encodeFieldValues } from "./codec.ts";
import type { FieldAnswer } from "./model.ts";

/** The answers a task's form starts with, from each field's stored value. */
export function decodeTaskForm(fields: readonly TaskFormField[]): Record<string, FieldAnswer> {
  return decodeFieldValues([...fields], Object.fromEntries(fields.map((f) => [f.id, f.value])));
}

/** taskdata for every answered field, keyed by field id. */
export function encodeTaskdata(
  fields: readonly TaskFormField[],
  answers: Record<string, FieldAnswer | undefined>,
): Record<string, unknown> {
  return encodeFieldValues([...fields], answers);
}

/**
 * Only the fields whose answer differs from what the task holds, encoded for
 * `PUT …/tasks/{task} {taskdata}`. A field shown in Slack and left empty is cleared; a field
 * Slack cannot show (file, table) is never touched unless `after` holds an answer for it.
 */
export function taskdataChanges(
  fields: readonly TaskFormField[],
  after: Record<string, FieldAnswer | undefined>,
): Record<string, unknown> {
  return fieldValueChanges([...fields], decodeTaskForm(fields), after);
}
