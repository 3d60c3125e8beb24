import type { InputBlock, KnownBlock } from "@slack/types";
import { describe, expect, it, vi } from "vitest";
import type { z } from "zod";
import {
  fieldBlockId,
  fieldIdFromBlockId,
  kickoffBlocks,
  searchFieldOptions,
} from "../../src/blocks/kickoff/elements.ts";
import type { FieldAnswer } from "../../src/blocks/kickoff/model.ts";
import { type KickoffField, kickoffFieldSchema } from "../../src/tallyfy/schemas.ts";
import { assertBlockKit } from "../support/block-limits.ts";

type FieldInput = Partial<z.input<typeof kickoffFieldSchema>> & { field_type: string };
// biome-ignore lint/suspicious/noExplicitAny: element shapes are inspected loosely.
type Json = any;

function field(over: FieldInput): KickoffField {
  return kickoffFieldSchema.parse({ id: `f_${over.field_type}`, label: "Field", ...over });
}
const numbered = (n: number) =>
  Array.from({ length: n }, (_, i) => ({ id: i + 1, text: `Option ${i + 1}` }));

/** The one block built for a field. */
function blockFor(f: KickoffField, initial: Record<string, FieldAnswer> = {}, opts = {}): Json {
  const { blocks } = kickoffBlocks([f], initial, opts);
  expect(blocks).toHaveLength(1);
  return blocks[0];
}
const elementFor = (f: KickoffField, initial: Record<string, FieldAnswer> = {}, opts = {}) =>
  blockFor(f, initial, opts).element;

describe("block ids", () => {
  it("are ko_<fieldId> and map back", () => {
    expect(fieldBlockId("abc123")).toBe("ko_abc123");
    expect(fieldIdFromBlockId(fieldBlockId("abc123"))).toBe("abc123");
    expect(fieldIdFromBlockId("run_name")).toBeUndefined();
    expect(fieldIdFromBlockId("ko_")).toBeUndefined();
  });
});

describe("kickoffBlocks: the input block", () => {
  it("uses the label, guidance as hint, optional flag and action id 'value'", () => {
    const b = blockFor(
      field({
        field_type: "text",
        id: "f1",
        label: "Customer\nname",
        required: true,
        guidance: "Legal name",
      }),
    );
    expect(b).toMatchObject({
      type: "input",
      block_id: "ko_f1",
      label: { type: "plain_text", text: "Customer name" },
      hint: { type: "plain_text", text: "Legal name" },
      optional: false,
      element: { action_id: "value" },
    });
    expect(blockFor(field({ field_type: "text" })).optional).toBe(true);
    expect(blockFor(field({ field_type: "text" })).hint).toBeUndefined();
  });

  it("strips HTML and markdown from guidance and keeps labels and hints within 2000", () => {
    const b = blockFor(
      field({
        field_type: "text",
        label: "L".repeat(2500),
        guidance:
          "<p>Use the <b>legal</b> name &amp; <a href='x'>check</a></p><ul><li>one</li></ul>",
      }),
    );
    expect(b.hint.text).toBe("Use the legal name & check • one");
    expect(b.label.text.length).toBeLessThanOrEqual(2000);
    const md = blockFor(
      field({ field_type: "text", guidance: "**Bold** and [docs](https://d.io)" }),
    );
    expect(md.hint.text).toBe("Bold and docs (https://d.io)");
    const long = blockFor(
      field({ field_type: "text", guidance: "<i>g</i>".repeat(1000) + "x".repeat(3000) }),
    );
    expect(long.hint.text.length).toBeLessThanOrEqual(2000);
  });

  it("follows Tallyfy's position order", () => {
    const { blocks } = kickoffBlocks(
      [
        field({ field_type: "text", id: "c", position: 3 }),
        field({ field_type: "text", id: "a", position: 1 }),
        field({ field_type: "text", id: "b", position: 2 }),
      ],
      {},
    );
    expect(blocks.map((b) => b.block_id)).toEqual(["ko_a", "ko_b", "ko_c"]);
  });
});

describe("kickoffBlocks: element per field type", () => {
  it("text, textarea and email", () => {
    expect(elementFor(field({ field_type: "text" }))).toStrictEqual({
      type: "plain_text_input",
      action_id: "value",
      max_length: 3000,
    });
    expect(elementFor(field({ field_type: "textarea" }))).toMatchObject({
      type: "plain_text_input",
      multiline: true,
    });
    expect(elementFor(field({ field_type: "email" })).type).toBe("email_text_input");
  });

  it("date: datepicker, or datetimepicker when the field or its value has a time", () => {
    const day = field({ field_type: "date", id: "d" });
    expect(elementFor(day).type).toBe("datepicker");
    expect(elementFor(field({ field_type: "date", collect_time: true })).type).toBe(
      "datetimepicker",
    );
    const timed = elementFor(day, {
      d: { kind: "date", value: "2026-03-01T14:05:00.000Z", hasTime: true },
    });
    expect(timed).toMatchObject({ type: "datetimepicker", initial_date_time: 1772373900 });
    const dated = elementFor(day, {
      d: { kind: "date", value: "2026-03-01T00:00:00.000Z", hasTime: false },
    });
    expect(dated).toMatchObject({ type: "datepicker", initial_date: "2026-03-01" });
  });

  it.each([
    ["radio", 1, "radio_buttons"],
    ["radio", 10, "radio_buttons"],
    ["radio", 11, "static_select"],
    ["dropdown", 1, "static_select"],
    ["dropdown", 100, "static_select"],
    ["dropdown", 101, "external_select"],
    ["dropdown", 150, "external_select"],
    ["multiselect", 10, "checkboxes"],
    ["multiselect", 11, "multi_static_select"],
    ["multiselect", 100, "multi_static_select"],
    ["multiselect", 101, "multi_external_select"],
  ])("%s with %i options is a %s", (type, n, element) => {
    const e = elementFor(field({ field_type: type, options: numbered(n) }));
    expect(e.type).toBe(element);
    if (element.includes("external")) {
      expect(e.min_query_length).toBe(0);
      expect(e.options).toBeUndefined();
    } else expect(e.options).toHaveLength(n);
  });

  it("assignees_form is a multi_users_select", () => {
    expect(elementFor(field({ field_type: "assignees_form" })).type).toBe("multi_users_select");
  });

  it("option values are option ids; texts are kept, cut to 75", () => {
    const e = elementFor(
      field({
        field_type: "dropdown",
        options: [
          { id: 10, text: "Gold" },
          { id: 11, text: "gold" },
          { id: 12, text: "gold" },
          { id: 13, text: "y".repeat(100) },
        ],
      }),
    );
    expect(e.options.map((o: Json) => o.value)).toEqual(["10", "11", "12", "13"]);
    expect(e.options.slice(0, 3).map((o: Json) => o.text.text)).toEqual(["Gold", "gold", "gold"]);
    expect(e.options[3].text.text.length).toBeLessThanOrEqual(75);
  });
});

describe("kickoffBlocks: initial values", () => {
  const opts = [
    { id: 1, text: "Bronze" },
    { id: 2, text: "Gold" },
  ];

  it("fills text, email, option and options elements", () => {
    expect(
      elementFor(field({ field_type: "text", id: "t" }), { t: { kind: "text", value: "Acme" } })
        .initial_value,
    ).toBe("Acme");
    expect(
      elementFor(field({ field_type: "email", id: "e" }), { e: { kind: "text", value: "a@b.io" } })
        .initial_value,
    ).toBe("a@b.io");
    for (const type of ["radio", "dropdown"]) {
      const e = elementFor(field({ field_type: type, id: "o", options: opts }), {
        o: { kind: "option", optionId: "2" },
      });
      expect(e.initial_option).toStrictEqual({
        text: { type: "plain_text", text: "Gold" },
        value: "2",
      });
      expect(e.options).toContainEqual(e.initial_option);
    }
    const ms = elementFor(field({ field_type: "multiselect", id: "m", options: numbered(12) }), {
      m: { kind: "options", optionIds: ["12", "3"] },
    });
    expect(ms.initial_options.map((o: Json) => o.value)).toEqual(["3", "12"]);
    const big = elementFor(field({ field_type: "dropdown", id: "o", options: numbered(101) }), {
      o: { kind: "option", optionId: "101" },
    });
    expect(big.initial_option.value).toBe("101");
  });

  it("ignores an answer naming an option the field no longer has", () => {
    const e = elementFor(field({ field_type: "radio", id: "o", options: opts }), {
      o: { kind: "option", optionId: "9" },
    });
    expect(e.initial_option).toBeUndefined();
  });

  it("fills people through slackUserIdsFor, or straight from Slack ids", () => {
    const slackUserIdsFor = vi.fn((ids: number[]) => ids.map((id) => `U${id}`));
    const af = field({ field_type: "assignees_form", id: "a" });
    const e = elementFor(
      af,
      { a: { kind: "assignees", users: [5, 6], guests: ["g@x.io"], groups: [] } },
      { slackUserIdsFor },
    );
    expect(slackUserIdsFor).toHaveBeenCalledWith([5, 6]);
    expect(e.initial_users).toEqual(["U5", "U6"]);
    expect(
      elementFor(af, { a: { kind: "slack_users", slackUserIds: ["U9", "U9"] } }).initial_users,
    ).toEqual(["U9"]);
    expect(
      elementFor(af, { a: { kind: "assignees", users: [5], guests: [], groups: [] } })
        .initial_users,
    ).toBeUndefined();
  });
});

describe("kickoffBlocks: fields Slack cannot fill", () => {
  const contextText = (b: KnownBlock) => (b.type === "context" ? (b.elements[0] as Json).text : "");

  it("notes optional file and table fields and does not block", () => {
    const { blocks, blocking } = kickoffBlocks(
      [
        field({ field_type: "file", label: "Contract" }),
        field({ field_type: "table", id: "t", label: "Lines" }),
      ],
      {},
    );
    expect(blocks.map(contextText)).toEqual([
      "📎 Contract: fill this in Tallyfy after launch",
      "📎 Lines: fill this in Tallyfy after launch",
    ]);
    expect(blocking).toEqual([]);
  });

  it("blocks on required ones, linking to Tallyfy and escaping the label", () => {
    const doc = field({ field_type: "file", label: "<!channel> & docs", required: true });
    const { blocks, blocking } = kickoffBlocks(
      [doc],
      {},
      { webLink: "https://go.tallyfy.com/o/x" },
    );
    expect(blocking).toEqual([doc]);
    expect(contextText(blocks[0]!)).toBe(
      "📎 &lt;!channel&gt; &amp; docs: fill this in <https://go.tallyfy.com/o/x|Tallyfy> after launch",
    );
  });

  it("does not block an edit on a required file that already has a value", () => {
    const doc = field({ field_type: "file", id: "d", required: true, label: "Doc" });
    const { blocks, blocking } = kickoffBlocks(
      [doc],
      { d: { kind: "raw", value: [{ id: 1 }] } },
      { purpose: "edit" },
    );
    expect(blocking).toEqual([]);
    expect(contextText(blocks[0]!)).toBe("📎 Doc: change it in Tallyfy");
  });

  it("says unknown types are not supported, blocking when required", () => {
    const sig = field({ field_type: "signature", label: "Sign", required: true });
    const { blocks, blocking } = kickoffBlocks([sig], {});
    expect(contextText(blocks[0]!)).toMatch(
      /^⚠️ Sign: this kind of field \(signature\) is not supported in Slack/,
    );
    expect(blocking).toEqual([sig]);
    expect(kickoffBlocks([{ ...sig, required: false }], {}).blocking).toEqual([]);
  });

  it("notes choice fields without options", () => {
    const empty = field({ field_type: "dropdown", label: "Tier", required: true, options: [] });
    const { blocks, blocking } = kickoffBlocks([empty], {});
    expect(blocks[0]!.type).toBe("context");
    expect(blocking).toEqual([empty]);
  });

  it("shows a text too long for Slack as a note instead of cutting it", () => {
    const notes = field({ field_type: "textarea", id: "n", label: "Notes", required: true });
    const { blocks, blocking } = kickoffBlocks([notes], {
      n: { kind: "text", value: "x".repeat(3001) },
    });
    expect(blocks[0]!.type).toBe("context");
    expect(contextText(blocks[0]!)).toMatch(/too long to edit in Slack/);
    expect(blocking).toEqual([]);
  });
});

describe("searchFieldOptions", () => {
  const many = field({
    field_type: "dropdown",
    options: [
      ...numbered(150),
      { id: 500, text: "Gold" },
      { id: 501, text: "Rose gold" },
      { id: 502, text: `Golden ${"z".repeat(100)}` },
    ],
  });

  it("matches case-insensitively, prefix matches first, values are ids", () => {
    const found = searchFieldOptions(many, "  GOLD ");
    expect(found.map((o) => o.value)).toEqual(["500", "502", "501"]);
    expect(found.every((o) => o.text.text.length <= 75)).toBe(true);
  });

  it("returns at most 100, the template's first ones for an empty query", () => {
    const all = searchFieldOptions(many, "");
    expect(all).toHaveLength(100);
    expect(all[0]).toStrictEqual({ text: { type: "plain_text", text: "Option 1" }, value: "1" });
    expect(searchFieldOptions(many, "option 1")).toHaveLength(62); // 1, 10-19, 100-150
    expect(searchFieldOptions(many, "nothing like it")).toEqual([]);
  });
});

describe("Block Kit limits", () => {
  it("a modal of every field type, filled and at the size limits, passes the checker", () => {
    const fields = [
      field({
        field_type: "text",
        id: "t",
        label: "T".repeat(2100),
        guidance: "g".repeat(2500),
        required: true,
      }),
      field({ field_type: "textarea", id: "ta" }),
      field({ field_type: "email", id: "e" }),
      field({ field_type: "date", id: "d" }),
      field({ field_type: "date", id: "dt", collect_time: true }),
      field({ field_type: "radio", id: "r", options: numbered(10) }),
      field({ field_type: "radio", id: "r11", options: numbered(11) }),
      field({
        field_type: "dropdown",
        id: "dd",
        options: [
          { id: 1, text: "" },
          ...numbered(99).map((o) => ({ ...o, id: o.id + 1, text: "x".repeat(90) })),
        ],
      }),
      field({ field_type: "dropdown", id: "dd150", options: numbered(150) }),
      field({ field_type: "multiselect", id: "m", options: numbered(10) }),
      field({ field_type: "multiselect", id: "m11", options: numbered(11) }),
      field({ field_type: "multiselect", id: "m150", options: numbered(150) }),
      field({ field_type: "assignees_form", id: "a" }),
      field({ field_type: "file", id: "f", required: true }),
      field({ field_type: "table", id: "tb" }),
      field({ field_type: "mystery", id: "x", label: "" }),
    ];
    const initial: Record<string, FieldAnswer> = {
      t: { kind: "text", value: "v".repeat(3000) },
      ta: { kind: "text", value: "multi\nline" },
      e: { kind: "text", value: "a@b.io" },
      d: { kind: "date", value: "2026-03-01T00:00:00.000Z", hasTime: false },
      dt: { kind: "date", value: "2026-03-01T14:05:00.000Z", hasTime: true },
      r: { kind: "option", optionId: "10" },
      r11: { kind: "option", optionId: "11" },
      dd: { kind: "option", optionId: "1" },
      dd150: { kind: "option", optionId: "150" },
      m: { kind: "options", optionIds: ["1", "2"] },
      m11: { kind: "options", optionIds: ["11"] },
      m150: { kind: "options", optionIds: ["149", "150"] },
      a: { kind: "slack_users", slackUserIds: ["U1"] },
    };
    const { blocks } = kickoffBlocks(fields, initial, { webLink: "https://go.tallyfy.com/x" });
    expect(blocks).toHaveLength(fields.length);
    const inputs = blocks.filter((b): b is InputBlock => b.type === "input");
    expect(inputs).toHaveLength(13);
    assertBlockKit({
      type: "modal",
      title: { type: "plain_text", text: "Launch a process" },
      submit: { type: "plain_text", text: "Launch" },
      blocks,
    });
  });
});
