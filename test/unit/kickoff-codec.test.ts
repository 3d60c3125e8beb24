import { describe, expect, it } from "vitest";
import type { z } from "zod";
import { mergePickedAssignees, prerunChanges } from "../../src/blocks/kickoff/changes.ts";
import {
  decodePrerun,
  decodePrerunValue,
  encodePrerun,
  encodePrerunValue,
  KickoffValueError,
} from "../../src/blocks/kickoff/codec.ts";
import type { FieldAnswer } from "../../src/blocks/kickoff/model.ts";
import { type KickoffField, kickoffFieldSchema } from "../../src/tallyfy/schemas.ts";

type FieldInput = Partial<z.input<typeof kickoffFieldSchema>> & { field_type: string };

function field(over: FieldInput): KickoffField {
  return kickoffFieldSchema.parse({ id: `f_${over.field_type}`, label: "Field", ...over });
}
const options = (...texts: string[]) => texts.map((text, i) => ({ id: i + 1, text, value: null }));

const tiers = field({ field_type: "dropdown", id: "tier", options: options("Bronze", "Gold") });
const pick = (optionId: string): FieldAnswer => ({ kind: "option", optionId });

describe("encodePrerunValue: REFERENCE value shapes", () => {
  it("sends text, textarea and email as the string itself", () => {
    for (const type of ["text", "textarea", "email"]) {
      const value = `a ${type} <value> & more`;
      expect(encodePrerunValue(field({ field_type: type }), { kind: "text", value })).toBe(value);
    }
  });

  it("sends a day as midnight UTC and a time as a UTC ISO string", () => {
    const date = field({ field_type: "date" });
    expect(encodePrerunValue(date, { kind: "date", value: "2026-03-01", hasTime: false })).toBe(
      "2026-03-01T00:00:00.000Z",
    );
    expect(
      encodePrerunValue(date, { kind: "date", value: "2026-03-01T09:30:00+02:00", hasTime: true }),
    ).toBe("2026-03-01T07:30:00.000Z");
    // A day keeps the calendar day it was written with, whatever the offset.
    expect(
      encodePrerunValue(date, { kind: "date", value: "2026-03-01T23:30:00-05:00", hasTime: false }),
    ).toBe("2026-03-01T00:00:00.000Z");
    expect(() => encodePrerunValue(date, { kind: "date", value: "soon", hasTime: false })).toThrow(
      /not a date/,
    );
  });

  it("sends radio as the chosen option's text, a bare string", () => {
    const radio = field({ field_type: "radio", options: options("Yes", "No") });
    expect(encodePrerunValue(radio, pick("2"))).toBe("No");
  });

  it("sends dropdown as {id, text} with the template's id type and exact text", () => {
    expect(encodePrerunValue(tiers, pick("2"))).toStrictEqual({ id: 2, text: "Gold" });
    const stringIds = field({
      field_type: "dropdown",
      options: [{ id: "opt-a", text: "  Spaced  Text " }],
    });
    expect(encodePrerunValue(stringIds, pick("opt-a"))).toStrictEqual({
      id: "opt-a",
      text: "  Spaced  Text ",
    });
  });

  it("sends multiselect as [{id, text, selected: true}] in the template's order", () => {
    const ms = field({ field_type: "multiselect", options: options("SSO", "SCIM", "Audit") });
    expect(encodePrerunValue(ms, { kind: "options", optionIds: ["3", "1"] })).toStrictEqual([
      { id: 1, text: "SSO", selected: true },
      { id: 3, text: "Audit", selected: true },
    ]);
  });

  it("sends assignees as {users, guests, groups}", () => {
    const af = field({ field_type: "assignees_form" });
    const answer: FieldAnswer = {
      kind: "assignees",
      users: [7, 9],
      guests: ["g@x.io"],
      groups: ["gr1"],
    };
    expect(encodePrerunValue(af, answer)).toStrictEqual({
      users: [7, 9],
      guests: ["g@x.io"],
      groups: ["gr1"],
    });
  });

  it("passes file, table and unknown values through untouched", () => {
    for (const type of ["file", "table", "signature"]) {
      const value = [{ id: "x", nested: { keep: [1, 2] } }];
      expect(encodePrerunValue(field({ field_type: type }), { kind: "raw", value })).toBe(value);
    }
  });

  it("refuses unmapped Slack users, unknown option ids and answers of the wrong kind", () => {
    const af = field({ field_type: "assignees_form", label: "Reviewers" });
    expect(() => encodePrerunValue(af, { kind: "slack_users", slackUserIds: ["U1"] })).toThrow(
      /Reviewers.*map the Slack users/,
    );
    expect(() => encodePrerunValue(tiers, pick("99"))).toThrow(KickoffValueError);
    expect(() => encodePrerunValue(tiers, pick("99"))).toThrow(/no option with id "99"/);
    const ms = field({ field_type: "multiselect", options: options("A") });
    expect(() => encodePrerunValue(ms, { kind: "options", optionIds: ["1", "2"] })).toThrow(
      /no option with id "2"/,
    );
    expect(() => encodePrerunValue(tiers, { kind: "text", value: "Gold" })).toThrow(
      /takes a "option" answer, got "text"/,
    );
    expect(() =>
      encodePrerunValue(field({ field_type: "table" }), { kind: "text", value: "x" }),
    ).toThrow(/raw/);
  });
});

describe("options whose texts differ only in case, or repeat", () => {
  const cased = field({ field_type: "radio", options: options("Gold", "gold", "Silver") });

  it("keeps Gold and gold apart both ways", () => {
    expect(encodePrerunValue(cased, pick("1"))).toBe("Gold");
    expect(encodePrerunValue(cased, pick("2"))).toBe("gold");
    expect(decodePrerunValue(cased, "Gold")).toStrictEqual(pick("1"));
    expect(decodePrerunValue(cased, "gold")).toStrictEqual(pick("2"));
  });

  it("matches case-insensitively only when exactly one option fits", () => {
    expect(decodePrerunValue(cased, "GOLD")).toBeUndefined();
    expect(decodePrerunValue(cased, "silver")).toStrictEqual(pick("3"));
  });

  it("tells duplicate texts apart by id", () => {
    const dup = field({ field_type: "dropdown", options: options("Same", "Same") });
    expect(encodePrerunValue(dup, pick("2"))).toStrictEqual({ id: 2, text: "Same" });
    expect(decodePrerunValue(dup, { id: 2, text: "Same" })).toStrictEqual(pick("2"));
    const ms = field({ field_type: "multiselect", options: options("Same", "Same") });
    const stored = encodePrerunValue(ms, { kind: "options", optionIds: ["2"] });
    expect(stored).toStrictEqual([{ id: 2, text: "Same", selected: true }]);
    expect(decodePrerunValue(ms, stored)).toStrictEqual({ kind: "options", optionIds: ["2"] });
  });
});

describe("decodePrerunValue", () => {
  it("reads dropdowns stored as objects, ids or texts; id first, then exact text", () => {
    expect(decodePrerunValue(tiers, { id: 2, text: "Gold" })).toStrictEqual(pick("2"));
    expect(decodePrerunValue(tiers, { id: 99, text: "Bronze" })).toStrictEqual(pick("1"));
    expect(decodePrerunValue(tiers, 2)).toStrictEqual(pick("2"));
    expect(decodePrerunValue(tiers, "1")).toStrictEqual(pick("1"));
    expect(decodePrerunValue(tiers, "Gold")).toStrictEqual(pick("2"));
    expect(decodePrerunValue(tiers, [{ id: 1, text: "Bronze" }])).toStrictEqual(pick("1"));
    expect(decodePrerunValue(tiers, { id: 42, text: "Platinum" })).toBeUndefined();
    expect(decodePrerunValue(tiers, true)).toBeUndefined();
  });

  it("prefers a radio option's text over an id that looks the same", () => {
    const radio = field({
      field_type: "radio",
      options: [
        { id: 1, text: "2" },
        { id: 2, text: "Two" },
      ],
    });
    expect(decodePrerunValue(radio, "2")).toStrictEqual(pick("1"));
    expect(decodePrerunValue(radio, "nothing")).toBeUndefined();
  });

  it("reads multiselects: selected entries only, template order, unknown entries dropped", () => {
    const ms = field({ field_type: "multiselect", options: options("SSO", "SCIM", "Audit") });
    const stored = [
      { id: 3, text: "Audit", selected: true },
      { id: 2, text: "SCIM", selected: false },
      { id: 1, text: "SSO" },
      { id: 77, text: "Gone" },
    ];
    expect(decodePrerunValue(ms, stored)).toStrictEqual({ kind: "options", optionIds: ["1", "3"] });
    expect(decodePrerunValue(ms, ["SCIM"])).toStrictEqual({ kind: "options", optionIds: ["2"] });
    expect(decodePrerunValue(ms, [])).toBeUndefined();
    expect(decodePrerunValue(ms, [{ id: 2, text: "SCIM", selected: false }])).toBeUndefined();
    expect(decodePrerunValue(ms, "SSO")).toBeUndefined();
  });

  it("reads dates; a time of day, or a field that collects time, makes hasTime", () => {
    const day = field({ field_type: "date" });
    const timed = field({ field_type: "date", collect_time: true });
    expect(decodePrerunValue(day, "2026-03-01")).toStrictEqual({
      kind: "date",
      value: "2026-03-01T00:00:00.000Z",
      hasTime: false,
    });
    expect(decodePrerunValue(day, "2026-03-01T00:00:00Z")).toMatchObject({ hasTime: false });
    expect(decodePrerunValue(timed, "2026-03-01T00:00:00Z")).toMatchObject({ hasTime: true });
    expect(decodePrerunValue(day, "2026-03-01 14:05:00")).toStrictEqual({
      kind: "date",
      value: "2026-03-01T14:05:00.000Z",
      hasTime: true,
    });
    expect(decodePrerunValue(day, "not a date")).toBeUndefined();
    expect(decodePrerunValue(day, 1700000000)).toBeUndefined();
  });

  it("reads assignees, accepting numeric strings and member objects", () => {
    const af = field({ field_type: "assignees_form" });
    expect(
      decodePrerunValue(af, { users: [1, "2", { id: 3 }, "x"], guests: ["a@b.co"], groups: [5] }),
    ).toStrictEqual({ kind: "assignees", users: [1, 2, 3], guests: ["a@b.co"], groups: ["5"] });
    expect(decodePrerunValue(af, { users: [] })).toBeUndefined();
    expect(decodePrerunValue(af, "Alice")).toBeUndefined();
  });

  it("reads text, and treats empty or unreadable values as no answer", () => {
    const text = field({ field_type: "text" });
    expect(decodePrerunValue(text, "hi")).toStrictEqual({ kind: "text", value: "hi" });
    expect(decodePrerunValue(text, 42)).toStrictEqual({ kind: "text", value: "42" });
    expect(decodePrerunValue(text, "")).toBeUndefined();
    expect(decodePrerunValue(text, null)).toBeUndefined();
    expect(decodePrerunValue(text, { a: 1 })).toBeUndefined();
  });

  it("keeps file, table and unknown values raw", () => {
    const value = { files: [{ id: "f1" }] };
    expect(decodePrerunValue(field({ field_type: "file" }), value)).toStrictEqual({
      kind: "raw",
      value,
    });
    expect(decodePrerunValue(field({ field_type: "whatever" }), "x")).toStrictEqual({
      kind: "raw",
      value: "x",
    });
  });
});

describe("round trips for every field type", () => {
  const cases: [KickoffField, FieldAnswer][] = [
    [field({ field_type: "text" }), { kind: "text", value: "Acme & <Co>" }],
    [field({ field_type: "textarea" }), { kind: "text", value: "line 1\nline 2" }],
    [field({ field_type: "email" }), { kind: "text", value: "ops@acme.io" }],
    [
      field({ field_type: "date" }),
      { kind: "date", value: "2026-03-01T00:00:00.000Z", hasTime: false },
    ],
    [
      field({ field_type: "date" }),
      { kind: "date", value: "2026-03-01T14:05:00.000Z", hasTime: true },
    ],
    [field({ field_type: "radio", options: options("Yes", "No") }), pick("2")],
    [tiers, pick("1")],
    [
      field({ field_type: "multiselect", options: options("A", "B", "C") }),
      { kind: "options", optionIds: ["1", "3"] },
    ],
    [
      field({ field_type: "assignees_form" }),
      { kind: "assignees", users: [1], guests: ["g@x.io"], groups: ["g1"] },
    ],
    [field({ field_type: "table" }), { kind: "raw", value: [["a", "b"]] }],
    [field({ field_type: "file" }), { kind: "raw", value: [{ id: "up1" }] }],
    [field({ field_type: "signature" }), { kind: "raw", value: { drawn: true } }],
  ];

  it.each(cases)("%# %o", (f, answer) => {
    const stored = JSON.parse(JSON.stringify(encodePrerunValue(f, answer)));
    expect(decodePrerunValue(f, stored)).toStrictEqual(answer);
  });
});

describe("encodePrerun / decodePrerun", () => {
  const name = field({ field_type: "text", id: "name" });
  const notes = field({ field_type: "textarea", id: "notes" });
  const ms = field({ field_type: "multiselect", id: "ms", options: options("A") });
  const fields = [name, notes, tiers, ms];

  it("is always an object keyed by field id, without empty or missing answers", () => {
    const prerun = encodePrerun(fields, {
      name: { kind: "text", value: "Acme" },
      notes: { kind: "text", value: "   " },
      ms: { kind: "options", optionIds: [] },
      tier: pick("2"),
      stranger: { kind: "text", value: "not a field" },
    });
    expect(Array.isArray(prerun)).toBe(false);
    expect(prerun).toStrictEqual({ name: "Acme", tier: { id: 2, text: "Gold" } });
    expect(encodePrerun(fields, {})).toStrictEqual({});
  });

  it("decodes what it can and skips the rest", () => {
    expect(
      decodePrerun(fields, {
        name: "Acme",
        notes: "",
        tier: { id: 1, text: "Bronze" },
        other: "x",
      }),
    ).toStrictEqual({ name: { kind: "text", value: "Acme" }, tier: pick("1") });
  });
});

describe("prerunChanges", () => {
  const name = field({ field_type: "text", id: "name" });
  const due = field({ field_type: "date", id: "due" });
  const ms = field({ field_type: "multiselect", id: "ms", options: options("A", "B") });
  const af = field({ field_type: "assignees_form", id: "af" });
  const doc = field({ field_type: "file", id: "doc" });
  const fields = [name, tiers, due, ms, af, doc];
  const before: Record<string, FieldAnswer> = {
    name: { kind: "text", value: "Acme" },
    tier: pick("1"),
    due: { kind: "date", value: "2026-03-01T00:00:00.000Z", hasTime: false },
    ms: { kind: "options", optionIds: ["1"] },
    af: { kind: "assignees", users: [1, 2], guests: [], groups: [] },
    doc: { kind: "raw", value: [{ id: "up1" }] },
  };

  it("is empty when nothing changed, however the same answer is written", () => {
    const same = {
      ...before,
      due: { kind: "date", value: "2026-03-01", hasTime: false } as FieldAnswer,
      af: { kind: "assignees", users: [2, 1], guests: [], groups: [] } as FieldAnswer,
    };
    delete (same as Record<string, unknown>).doc; // not an input in Slack
    expect(prerunChanges(fields, before, same)).toStrictEqual({});
  });

  it("sends only the changed fields, encoded", () => {
    const after = { ...before, tier: pick("2"), ms: { kind: "options", optionIds: ["2", "1"] } };
    expect(prerunChanges(fields, before, after as Record<string, FieldAnswer>)).toStrictEqual({
      tier: { id: 2, text: "Gold" },
      ms: [
        { id: 1, text: "A", selected: true },
        { id: 2, text: "B", selected: true },
      ],
    });
  });

  it("sends cleared inputs as empty values, and new answers for fields that had none", () => {
    const after: Record<string, FieldAnswer | undefined> = {
      name: undefined,
      tier: undefined,
      af: { kind: "assignees", users: [], guests: [], groups: [] },
    };
    expect(prerunChanges(fields, before, after)).toStrictEqual({
      name: "",
      tier: null,
      due: "",
      ms: [],
      af: { users: [], guests: [], groups: [] },
    });
    expect(prerunChanges([name], {}, { name: { kind: "text", value: "New" } })).toStrictEqual({
      name: "New",
    });
    expect(prerunChanges([name], {}, { name: { kind: "text", value: "" } })).toStrictEqual({});
  });

  it("changes a field Slack cannot show only when given a new value for it", () => {
    const value = [{ id: "up2" }];
    expect(prerunChanges([doc], before, { doc: { kind: "raw", value } })).toStrictEqual({
      doc: value,
    });
    expect(prerunChanges([doc], before, {})).toStrictEqual({});
  });

  it("never clears a text too long for Slack to show", () => {
    const long: Record<string, FieldAnswer> = { name: { kind: "text", value: "x".repeat(3001) } };
    expect(prerunChanges([name], long, {})).toStrictEqual({});
  });

  it("replaces a stale earlier answer instead of failing on it", () => {
    expect(prerunChanges([tiers], { tier: pick("404") }, { tier: pick("1") })).toStrictEqual({
      tier: { id: 1, text: "Bronze" },
    });
  });

  it("needs Slack users mapped first", () => {
    expect(() =>
      prerunChanges([af], before, { af: { kind: "slack_users", slackUserIds: ["U1"] } }),
    ).toThrow(KickoffValueError);
  });
});

describe("mergePickedAssignees", () => {
  it("keeps guests, groups and users the Slack picker could not show", () => {
    const before: FieldAnswer = {
      kind: "assignees",
      users: [1, 2, 3],
      guests: ["g@x.io"],
      groups: ["gr"],
    };
    // 1 and 2 were shown (have Slack accounts); 2 was removed, 4 added; 3 had no Slack account.
    expect(mergePickedAssignees(before, [1, 4], [1, 2])).toStrictEqual({
      kind: "assignees",
      users: [1, 4, 3],
      guests: ["g@x.io"],
      groups: ["gr"],
    });
    expect(mergePickedAssignees(undefined, [5], [])).toStrictEqual({
      kind: "assignees",
      users: [5],
      guests: [],
      groups: [],
    });
  });
});
