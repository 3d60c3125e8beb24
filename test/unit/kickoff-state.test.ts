import type { KnownBlock } from "@slack/types";
import { describe, expect, it } from "vitest";
import type { z } from "zod";
import { prerunChanges } from "../../src/blocks/kickoff/changes.ts";
import { decodePrerun, encodePrerun } from "../../src/blocks/kickoff/codec.ts";
import { kickoffBlocks } from "../../src/blocks/kickoff/elements.ts";
import type { FieldAnswer } from "../../src/blocks/kickoff/model.ts";
import { type KickoffStateValues, readKickoffState } from "../../src/blocks/kickoff/state.ts";
import { type KickoffField, kickoffFieldSchema } from "../../src/tallyfy/schemas.ts";

type FieldInput = Partial<z.input<typeof kickoffFieldSchema>> & { field_type: string };
// biome-ignore lint/suspicious/noExplicitAny: Slack state is built loosely, as Slack sends it.
type Json = any;

function field(over: FieldInput): KickoffField {
  return kickoffFieldSchema.parse({ id: `f_${over.field_type}`, label: "Field", ...over });
}
const numbered = (n: number) =>
  Array.from({ length: n }, (_, i) => ({ id: i + 1, text: `Option ${i + 1}` }));

/** Slack echoes option text with emoji: true; the reader must not depend on it. */
const stateOption = (value: string, text = `Option ${value}`) => ({
  text: { type: "plain_text", text, emoji: true },
  value,
});

/** view.state.values for one field's block. */
const one = (f: KickoffField, state: Json): KickoffStateValues => ({
  [`ko_${f.id}`]: { value: state },
});

/** What Slack sends when the form is submitted without touching anything. */
function submitUnchanged(blocks: KnownBlock[]): KickoffStateValues {
  const values: KickoffStateValues = {};
  for (const b of blocks) {
    if (b.type !== "input" || !b.block_id) continue;
    const e: Json = b.element;
    const state: Json = { type: e.type };
    switch (e.type) {
      case "plain_text_input":
      case "email_text_input":
        state.value = e.initial_value ?? null;
        break;
      case "datepicker":
        state.selected_date = e.initial_date ?? null;
        break;
      case "datetimepicker":
        state.selected_date_time = e.initial_date_time ?? null;
        break;
      case "radio_buttons":
      case "static_select":
      case "external_select":
        state.selected_option = e.initial_option
          ? { ...e.initial_option, text: { ...e.initial_option.text, emoji: true } }
          : null;
        break;
      case "multi_users_select":
        state.selected_users = e.initial_users ?? [];
        break;
      default:
        state.selected_options = e.initial_options ?? [];
    }
    values[b.block_id] = { [e.action_id]: state };
  }
  return values;
}

describe("readKickoffState: each element's state", () => {
  it("plain_text_input and email_text_input", () => {
    const text = field({ field_type: "text" });
    expect(
      readKickoffState([text], one(text, { type: "plain_text_input", value: "  Acme " })),
    ).toStrictEqual({
      answers: { f_text: { kind: "text", value: "Acme" } },
      errors: {},
    });
    const area = field({ field_type: "textarea" });
    expect(
      readKickoffState([area], one(area, { type: "plain_text_input", value: "a\n\n b\n" })).answers,
    ).toStrictEqual({ f_textarea: { kind: "text", value: "a\n\n b" } });
    const email = field({ field_type: "email" });
    expect(
      readKickoffState([email], one(email, { type: "email_text_input", value: "ops@acme.io" }))
        .answers,
    ).toStrictEqual({ f_email: { kind: "text", value: "ops@acme.io" } });
  });

  it("datepicker as midnight UTC, datetimepicker as the instant", () => {
    const date = field({ field_type: "date" });
    expect(
      readKickoffState([date], one(date, { type: "datepicker", selected_date: "2026-03-01" }))
        .answers,
    ).toStrictEqual({
      f_date: { kind: "date", value: "2026-03-01T00:00:00.000Z", hasTime: false },
    });
    expect(
      readKickoffState(
        [date],
        one(date, { type: "datetimepicker", selected_date_time: 1772373900 }),
      ).answers,
    ).toStrictEqual({ f_date: { kind: "date", value: "2026-03-01T14:05:00.000Z", hasTime: true } });
    expect(
      readKickoffState([date], one(date, { type: "datepicker", selected_date: "2026-02-31" }))
        .errors,
    ).toStrictEqual({ ko_f_date: "Pick a date from the calendar." });
  });

  it.each(["radio_buttons", "static_select", "external_select"])("%s", (type) => {
    const f = field({ field_type: "dropdown", options: numbered(3) });
    expect(
      readKickoffState([f], one(f, { type, selected_option: stateOption("2") })).answers,
    ).toStrictEqual({ f_dropdown: { kind: "option", optionId: "2" } });
  });

  it.each(["checkboxes", "multi_static_select", "multi_external_select"])("%s", (type) => {
    const f = field({ field_type: "multiselect", options: numbered(3) });
    const state = { type, selected_options: [stateOption("3"), stateOption("1")] };
    expect(readKickoffState([f], one(f, state)).answers).toStrictEqual({
      f_multiselect: { kind: "options", optionIds: ["1", "3"] },
    });
  });

  it("multi_users_select as Slack users for the listener to map", () => {
    const f = field({ field_type: "assignees_form" });
    const state = { type: "multi_users_select", selected_users: ["U1", "U2", "U1"] };
    expect(readKickoffState([f], one(f, state)).answers).toStrictEqual({
      f_assignees_form: { kind: "slack_users", slackUserIds: ["U1", "U2"] },
    });
  });

  it("takes option ids, so texts differing only in case stay apart", () => {
    const f = field({
      field_type: "radio",
      options: [
        { id: 1, text: "Gold" },
        { id: 2, text: "gold" },
      ],
    });
    const state = { type: "radio_buttons", selected_option: stateOption("2", "gold") };
    const { answers } = readKickoffState([f], one(f, state));
    expect(encodePrerun([f], answers)).toStrictEqual({ f_radio: "gold" });
  });
});

describe("readKickoffState: empty values", () => {
  const cases: [string, Json][] = [
    ["text", { type: "plain_text_input", value: null }],
    ["textarea", { type: "plain_text_input", value: "   \n " }],
    ["email", { type: "email_text_input", value: null }],
    ["date", { type: "datepicker", selected_date: null }],
    ["date", { type: "datetimepicker", selected_date_time: null }],
    ["radio", { type: "radio_buttons", selected_option: null }],
    ["dropdown", { type: "external_select", selected_option: null }],
    ["multiselect", { type: "checkboxes", selected_options: [] }],
    ["assignees_form", { type: "multi_users_select", selected_users: [] }],
  ];

  it.each(cases)("optional %s left empty is no answer and no error", (type, state) => {
    const f = field({ field_type: type, options: numbered(2) });
    expect(readKickoffState([f], one(f, state))).toStrictEqual({ answers: {}, errors: {} });
  });

  it.each(cases)("required %s left empty asks for it", (type, state) => {
    const f = field({
      field_type: type,
      options: numbered(2),
      required: true,
      label: "Budget code",
    });
    expect(readKickoffState([f], one(f, state))).toStrictEqual({
      answers: {},
      errors: { [`ko_f_${type}`]: "Please fill in Budget code." },
    });
  });

  it("skips fields with no input in the view (notes for file and table fields)", () => {
    const doc = field({ field_type: "file", required: true });
    const text = field({ field_type: "text" });
    expect(readKickoffState([doc, text], {})).toStrictEqual({ answers: {}, errors: {} });
  });
});

describe("readKickoffState: validation", () => {
  it("checks email shape", () => {
    const f = field({ field_type: "email" });
    expect(
      readKickoffState([f], one(f, { type: "email_text_input", value: "ops at acme" })).errors,
    ).toStrictEqual({
      ko_f_email: "Enter an email address like name@example.com.",
    });
  });

  it("checks length", () => {
    const text = field({ field_type: "text" });
    const long = { type: "plain_text_input", value: "x".repeat(3001) };
    expect(readKickoffState([text], one(text, long)).errors).toStrictEqual({
      ko_f_text: "Keep this under 3000 characters.",
    });
    const ok = { type: "plain_text_input", value: "x".repeat(3000) };
    expect(readKickoffState([text], one(text, ok)).errors).toStrictEqual({});
    const email = field({ field_type: "email" });
    const longEmail = { type: "email_text_input", value: `${"a".repeat(250)}@b.io` };
    expect(readKickoffState([email], one(email, longEmail)).errors).toStrictEqual({
      ko_f_email: "Keep this under 254 characters.",
    });
  });

  it("rejects options the field does not have", () => {
    const f = field({ field_type: "dropdown", options: numbered(2) });
    const single = { type: "static_select", selected_option: stateOption("7") };
    expect(readKickoffState([f], one(f, single)).errors).toStrictEqual({
      ko_f_dropdown: "Pick one of the listed options.",
    });
    const m = field({ field_type: "multiselect", options: numbered(2) });
    const multi = { type: "checkboxes", selected_options: [stateOption("1"), stateOption("9")] };
    expect(readKickoffState([m], one(m, multi))).toStrictEqual({
      answers: {},
      errors: { ko_f_multiselect: "Pick one of the listed options." },
    });
  });
});

describe("an edit form submitted unchanged", () => {
  const fields = [
    field({ field_type: "text", id: "t" }),
    field({ field_type: "textarea", id: "ta" }),
    field({ field_type: "email", id: "e" }),
    field({ field_type: "date", id: "d" }),
    field({ field_type: "date", id: "dt", collect_time: true }),
    field({ field_type: "radio", id: "r", options: numbered(3) }),
    field({ field_type: "radio", id: "r11", options: numbered(11) }),
    field({ field_type: "dropdown", id: "dd", options: numbered(5) }),
    field({ field_type: "dropdown", id: "dd150", options: numbered(150) }),
    field({ field_type: "multiselect", id: "m", options: numbered(4) }),
    field({ field_type: "multiselect", id: "m50", options: numbered(50) }),
    field({ field_type: "multiselect", id: "m150", options: numbered(150) }),
    field({ field_type: "text", id: "blank" }),
    field({ field_type: "file", id: "doc" }),
  ];
  const prerun = {
    t: "Acme",
    ta: "line 1\nline 2",
    e: "ops@acme.io",
    d: "2026-03-01T00:00:00.000Z",
    dt: "2026-03-01T14:05:00.000Z",
    r: "Option 2",
    r11: "Option 11",
    dd: { id: 5, text: "Option 5" },
    dd150: { id: 150, text: "Option 150" },
    m: [
      { id: 4, text: "Option 4", selected: true },
      { id: 2, text: "Option 2", selected: true },
    ],
    m50: [{ id: 50, text: "Option 50", selected: true }],
    m150: [{ id: 149, text: "Option 149", selected: true }],
    doc: [{ id: "upload-1" }],
  };

  it("reads back exactly the answers it started with, and changes nothing", () => {
    const before = decodePrerun(fields, prerun);
    const { blocks } = kickoffBlocks(fields, before, { purpose: "edit" });
    const { answers, errors } = readKickoffState(fields, submitUnchanged(blocks));
    expect(errors).toStrictEqual({});
    const { doc: _file, ...editable } = before;
    expect(answers).toStrictEqual(editable);
    expect(prerunChanges(fields, before, answers)).toStrictEqual({});
  });

  it("picks up initial users as Slack users", () => {
    const af = field({ field_type: "assignees_form", id: "a" });
    const before: Record<string, FieldAnswer> = {
      a: { kind: "assignees", users: [7], guests: [], groups: [] },
    };
    const { blocks } = kickoffBlocks([af], before, {
      slackUserIdsFor: (ids) => ids.map((i) => `U${i}`),
    });
    expect(readKickoffState([af], submitUnchanged(blocks)).answers).toStrictEqual({
      a: { kind: "slack_users", slackUserIds: ["U7"] },
    });
  });
});
