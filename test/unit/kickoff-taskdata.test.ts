import { describe, expect, it } from "vitest";
import {
  decodeTaskForm,
  encodeFieldValue,
  encodeTaskdata,
  FieldValueError,
  KickoffValueError,
  taskdataChanges,
} from "../../src/blocks/kickoff/index.ts";
import type { FieldAnswer } from "../../src/blocks/kickoff/model.ts";
import { type TaskFormField, taskFormFieldSchema } from "../../src/tallyfy/task-schemas.ts";

/** A form field as Tallyfy sends it on `GET …/tasks/{id}?with=form_fields`. */
function field(json: Record<string, unknown>): TaskFormField {
  return taskFormFieldSchema.parse({ label: "Field", required: false, ...json });
}
const opts = (...texts: string[]) => texts.map((text, i) => ({ id: 11 + i, text, value: null }));

const FIELDS = [
  field({ id: "t1", field_type: "text", label: "Team", position: 1, field_value: "Ops" }),
  field({ id: "ta", field_type: "textarea", position: 2, field_value: null }),
  field({
    id: "r1",
    field_type: "radio",
    position: 3,
    options: opts("macOS", "Windows"),
    field_value: "Windows",
  }),
  field({
    id: "d1",
    field_type: "dropdown",
    position: 4,
    options: opts("Floor 1", "Floor 2"),
    field_value: { id: 12, text: "Floor 2", value: null },
  }),
  field({
    id: "m1",
    field_type: "multiselect",
    position: 5,
    options: opts("Monitor", "Dock", "Webcam"),
    field_value: [
      { id: 13, text: "Webcam", selected: true },
      { id: 11, text: "Monitor", selected: true },
      { id: 12, text: "Dock", selected: false },
    ],
  }),
  field({ id: "dt", field_type: "date", position: 6, field_value: "2026-03-01T00:00:00.000Z" }),
  field({ id: "em", field_type: "email", position: 7, field_value: "a@b.co" }),
  field({
    id: "tb",
    field_type: "table",
    position: 8,
    columns: [
      { id: 1, label: "Item" },
      { id: 2, label: "Serial" },
    ],
    field_value: [["laptop"], ["SN-1"]],
  }),
  field({
    id: "as",
    field_type: "assignees_form",
    position: 9,
    field_value: { users: [{ id: 7 }] },
  }),
  field({ id: "fi", field_type: "file", position: 10, required: true, field_value: null }),
];

describe("task form fields", () => {
  it("reads Tallyfy's form field: field_value is the answer, a missing label is blank", () => {
    const f = taskFormFieldSchema.parse({ id: "x", field_type: "text", field_value: "Hi" });
    expect(f).toMatchObject({ id: "x", label: "", value: "Hi", options: [], required: false });
  });

  it("decodes every type's stored value into the same answers the kick-off form uses", () => {
    expect(decodeTaskForm(FIELDS)).toEqual({
      t1: { kind: "text", value: "Ops" },
      r1: { kind: "option", optionId: "12" },
      d1: { kind: "option", optionId: "12" },
      m1: { kind: "options", optionIds: ["11", "13"] },
      dt: { kind: "date", value: "2026-03-01T00:00:00.000Z", hasTime: false },
      em: { kind: "text", value: "a@b.co" },
      tb: { kind: "raw", value: [["laptop"], ["SN-1"]] },
      as: { kind: "assignees", users: [7], guests: [], groups: [] },
    });
  });

  it("encodes taskdata with the per-type shapes Tallyfy validates", () => {
    const answers: Record<string, FieldAnswer> = {
      t1: { kind: "text", value: "Platform" },
      r1: { kind: "option", optionId: "11" },
      d1: { kind: "option", optionId: "11" },
      m1: { kind: "options", optionIds: ["12"] },
      dt: { kind: "date", value: "2026-04-02T09:30:00.000Z", hasTime: true },
      tb: { kind: "raw", value: [["monitor"], ["SN-2"]] },
      as: { kind: "assignees", users: [7, 8], guests: ["g@x.co"], groups: [] },
    };
    expect(encodeTaskdata(FIELDS, answers)).toStrictEqual({
      t1: "Platform",
      r1: "macOS",
      d1: { id: 11, text: "Floor 1" },
      m1: [{ id: 12, text: "Dock", selected: true }],
      dt: "2026-04-02T09:30:00.000Z",
      tb: [["monitor"], ["SN-2"]],
      as: { users: [7, 8], guests: ["g@x.co"], groups: [] },
    });
  });

  it("round-trips: what was decoded encodes back to a value Tallyfy accepts", () => {
    const encoded = encodeTaskdata(FIELDS, decodeTaskForm(FIELDS));
    expect(encoded.r1).toBe("Windows");
    expect(encoded.d1).toStrictEqual({ id: 12, text: "Floor 2" });
    expect(encoded.m1).toStrictEqual([
      { id: 11, text: "Monitor", selected: true },
      { id: 13, text: "Webcam", selected: true },
    ]);
  });

  it("refuses a table without one entry per column, for prerun and taskdata alike", () => {
    const table = FIELDS.find((f) => f.id === "tb")!;
    expect(() => encodeFieldValue(table, { kind: "raw", value: [["only one"]] })).toThrow(
      FieldValueError,
    );
    expect(() => encodeFieldValue(table, { kind: "raw", value: [["only one"]] })).toThrow(
      /one entry per column \(2\)/,
    );
    expect(KickoffValueError).toBe(FieldValueError);
  });

  it("refuses an option that is not the field's", () => {
    expect(() => encodeTaskdata(FIELDS, { d1: { kind: "option", optionId: "99" } })).toThrow(
      /no option with id "99"/,
    );
  });
});

describe("taskdataChanges: only changed fields", () => {
  const unchanged = () => decodeTaskForm(FIELDS);

  it("sends nothing when nothing changed (multiselect order and assignee order aside)", () => {
    const after = unchanged();
    after.m1 = { kind: "options", optionIds: ["13", "11"] };
    expect(taskdataChanges(FIELDS, after)).toEqual({});
  });

  it("sends only the fields that changed", () => {
    const after = unchanged();
    after.t1 = { kind: "text", value: "Platform" };
    after.d1 = { kind: "option", optionId: "11" };
    expect(taskdataChanges(FIELDS, after)).toStrictEqual({
      t1: "Platform",
      d1: { id: 11, text: "Floor 1" },
    });
  });

  it("clears a field shown in Slack and left empty, with the type's empty value", () => {
    const after: Record<string, FieldAnswer | undefined> = unchanged();
    after.t1 = undefined;
    after.d1 = undefined;
    after.m1 = { kind: "options", optionIds: [] };
    expect(taskdataChanges(FIELDS, after)).toStrictEqual({ t1: "", d1: null, m1: [] });
  });

  it("never touches a table or file field Slack does not show", () => {
    const after: Record<string, FieldAnswer | undefined> = unchanged();
    delete after.tb;
    expect(taskdataChanges(FIELDS, after)).toEqual({});
  });

  it("sends a newly answered field that had no value", () => {
    const after = unchanged();
    after.ta = { kind: "text", value: "Line one\nline two" };
    expect(taskdataChanges(FIELDS, after)).toStrictEqual({ ta: "Line one\nline two" });
  });
});
