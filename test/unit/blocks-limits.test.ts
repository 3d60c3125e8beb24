import { describe, expect, it } from "vitest";
import { assertBlockKit, checkBlockKit, type Surface } from "../support/block-limits.ts";

// biome-ignore lint/suspicious/noExplicitAny: fixtures are deliberately mutated into bad shapes.
type Json = any;

const pt = (text: string) => ({ type: "plain_text", text });
const md = (text: string) => ({ type: "mrkdwn", text });
const x = (n: number) => "x".repeat(n);
const option = (text: string, value: string) => ({ text: pt(text), value });

/** A message using every block the checker inspects, all at their limits. */
function goodMessage(): Surface & { blocks: Json[] } {
  return {
    type: "message",
    text: x(40000),
    blocks: [
      { type: "header", text: pt(x(150)) },
      {
        type: "section",
        block_id: x(255),
        text: md(x(3000)),
        accessory: {
          type: "static_select",
          action_id: "pick",
          placeholder: pt(x(150)),
          options: Array.from({ length: 100 }, (_, i) => option(x(75), `${i}${x(140)}`)),
        },
      },
      { type: "section", fields: Array.from({ length: 10 }, () => md(x(2000))) },
      { type: "context", elements: Array.from({ length: 10 }, () => md(x(2000))) },
      { type: "divider" },
      {
        type: "actions",
        block_id: "acts",
        elements: [
          {
            type: "button",
            action_id: x(255),
            text: pt(x(75)),
            value: x(2000),
            url: `https://e.x/${x(2988)}`,
            style: "danger",
            confirm: {
              title: pt(x(100)),
              text: md(x(300)),
              confirm: pt(x(30)),
              deny: pt(x(30)),
            },
          },
          ...Array.from({ length: 23 }, (_, i) => ({
            type: "button",
            action_id: `b${i}`,
            text: pt("B"),
          })),
          {
            type: "external_select",
            action_id: "ext",
            initial_option: option(x(75), x(150)),
          },
        ],
      },
      {
        type: "actions",
        elements: [
          {
            type: "multi_static_select",
            action_id: "groups",
            option_groups: [{ label: pt(x(75)), options: [option("a", "a")] }],
          },
          {
            type: "checkboxes",
            action_id: "cb",
            options: Array.from({ length: 10 }, (_, i) => ({ text: md("c"), value: `${i}` })),
          },
          {
            type: "radio_buttons",
            action_id: "rb",
            options: Array.from({ length: 10 }, (_, i) => option("r", `${i}`)),
          },
        ],
      },
    ],
  };
}

function goodModal(): Surface & { blocks: Json[] } {
  return {
    type: "modal",
    title: pt(x(24)),
    submit: pt(x(24)),
    close: pt(x(24)),
    private_metadata: x(3000),
    blocks: [
      {
        type: "input",
        block_id: "name",
        label: pt(x(2000)),
        hint: pt(x(2000)),
        element: {
          type: "plain_text_input",
          action_id: "v",
          placeholder: pt(x(150)),
          max_length: 10,
          initial_value: x(10),
        },
      },
      ...Array.from({ length: 99 }, () => ({ type: "divider" })),
    ],
  };
}

type Case = [
  name: string,
  base: () => ReturnType<typeof goodMessage>,
  mutate: (s: Json) => void,
  expected: RegExp,
];

const CASES: Case[] = [
  [
    "message over 50 blocks",
    goodMessage,
    (s) => s.blocks.push(...Array.from({ length: 44 }, () => ({ type: "divider" }))),
    /^blocks: has 51 items, limit 50/,
  ],
  [
    "modal over 100 blocks",
    goodModal,
    (s) => s.blocks.push({ type: "divider" }),
    /^blocks: has 101 items, limit 100/,
  ],
  [
    "header over 150",
    goodMessage,
    (s) => (s.blocks[0].text.text += "x"),
    /blocks\[0\]\.text\.text: is 151 characters, limit 150/,
  ],
  [
    "header in mrkdwn",
    goodMessage,
    (s) => (s.blocks[0].text = md("hi")),
    /blocks\[0\]\.text\.type: must be plain_text/,
  ],
  [
    "section text over 3000",
    goodMessage,
    (s) => (s.blocks[1].text.text += "x"),
    /blocks\[1\]\.text\.text: is 3001 characters/,
  ],
  [
    "section with neither text nor fields",
    goodMessage,
    (s) => delete s.blocks[2].fields,
    /blocks\[2\]: needs text or fields/,
  ],
  [
    "eleven fields",
    goodMessage,
    (s) => s.blocks[2].fields.push(md("y")),
    /blocks\[2\]\.fields: has 11 items, limit 10/,
  ],
  [
    "field over 2000",
    goodMessage,
    (s) => (s.blocks[2].fields[3].text += "x"),
    /blocks\[2\]\.fields\[3\]\.text: is 2001/,
  ],
  [
    "eleven context elements",
    goodMessage,
    (s) => s.blocks[3].elements.push(md("y")),
    /blocks\[3\]\.elements: has 11 items, limit 10/,
  ],
  [
    "context text over 2000",
    goodMessage,
    (s) => (s.blocks[3].elements[0].text += "x"),
    /blocks\[3\]\.elements\[0\]\.text: is 2001/,
  ],
  [
    "26 actions",
    goodMessage,
    (s) => s.blocks[5].elements.push({ type: "button", action_id: "z", text: pt("z") }),
    /blocks\[5\]\.elements: has 26 items, limit 25/,
  ],
  [
    "button text over 75",
    goodMessage,
    (s) => (s.blocks[5].elements[0].text.text += "x"),
    /elements\[0\]\.text\.text: is 76 characters, limit 75/,
  ],
  [
    "button text in mrkdwn",
    goodMessage,
    (s) => (s.blocks[5].elements[1].text = md("B")),
    /elements\[1\]\.text\.type: must be plain_text/,
  ],
  [
    "button value over 2000",
    goodMessage,
    (s) => (s.blocks[5].elements[0].value += "x"),
    /elements\[0\]\.value: is 2001 characters, limit 2000/,
  ],
  [
    "button url over 3000",
    goodMessage,
    (s) => (s.blocks[5].elements[0].url += "x"),
    /elements\[0\]\.url: is 3001 characters, limit 3000/,
  ],
  [
    "action_id over 255",
    goodMessage,
    (s) => (s.blocks[5].elements[0].action_id += "x"),
    /elements\[0\]\.action_id: is 256 characters/,
  ],
  [
    "duplicate action ids in a block",
    goodMessage,
    (s) => (s.blocks[5].elements[2].action_id = "b0"),
    /elements\[2\]\.action_id: duplicate action_id "b0"/,
  ],
  [
    "block_id over 255",
    goodMessage,
    (s) => (s.blocks[1].block_id += "x"),
    /blocks\[1\]\.block_id: is 256 characters/,
  ],
  [
    "duplicate block ids",
    goodMessage,
    (s) => (s.blocks[6].block_id = "acts"),
    /blocks\[6\]\.block_id: duplicate block_id "acts"/,
  ],
  [
    "bad button style",
    goodMessage,
    (s) => (s.blocks[5].elements[1].style = "secondary"),
    /elements\[1\]\.style: must be primary or danger/,
  ],
  [
    "confirm title over 100",
    goodMessage,
    (s) => (s.blocks[5].elements[0].confirm.title.text += "x"),
    /confirm\.title\.text: is 101/,
  ],
  [
    "confirm text over 300",
    goodMessage,
    (s) => (s.blocks[5].elements[0].confirm.text.text += "x"),
    /confirm\.text\.text: is 301/,
  ],
  [
    "confirm button over 30",
    goodMessage,
    (s) => (s.blocks[5].elements[0].confirm.confirm.text += "x"),
    /confirm\.confirm\.text: is 31/,
  ],
  [
    "deny button over 30",
    goodMessage,
    (s) => (s.blocks[5].elements[0].confirm.deny.text += "x"),
    /confirm\.deny\.text: is 31/,
  ],
  [
    "confirm without deny",
    goodMessage,
    (s) => delete s.blocks[5].elements[0].confirm.deny,
    /confirm\.deny: is required/,
  ],
  [
    "option text over 75",
    goodMessage,
    (s) => (s.blocks[1].accessory.options[9].text.text += "x"),
    /accessory\.options\[9\]\.text\.text: is 76/,
  ],
  [
    "option value over 150",
    goodMessage,
    (s) => (s.blocks[1].accessory.options[0].value = x(151)),
    /accessory\.options\[0\]\.value: is 151/,
  ],
  [
    "option value missing",
    goodMessage,
    (s) => delete s.blocks[1].accessory.options[0].value,
    /accessory\.options\[0\]\.value: is required/,
  ],
  [
    "101 select options",
    goodMessage,
    (s) => s.blocks[1].accessory.options.push(option("a", "b")),
    /accessory\.options: has 101 items, limit 100/,
  ],
  [
    "select placeholder over 150",
    goodMessage,
    (s) => (s.blocks[1].accessory.placeholder.text += "x"),
    /accessory\.placeholder\.text: is 151/,
  ],
  [
    "external initial option value over 150",
    goodMessage,
    (s) => (s.blocks[5].elements[24].initial_option.value += "x"),
    /initial_option\.value: is 151/,
  ],
  [
    "option group label over 75",
    goodMessage,
    (s) => (s.blocks[6].elements[0].option_groups[0].label.text = x(76)),
    /option_groups\[0\]\.label\.text: is 76/,
  ],
  [
    "options and groups together",
    goodMessage,
    (s) => (s.blocks[6].elements[0].options = [option("a", "a")]),
    /needs exactly one of options or option_groups/,
  ],
  [
    "11 checkboxes",
    goodMessage,
    (s) => s.blocks[6].elements[1].options.push(option("c", "c")),
    /elements\[1\]\.options: has 11 items, limit 10/,
  ],
  [
    "11 radio buttons",
    goodMessage,
    (s) => s.blocks[6].elements[2].options.push(option("r", "r")),
    /elements\[2\]\.options: has 11 items, limit 10/,
  ],
  [
    "empty text",
    goodMessage,
    (s) => (s.blocks[3].elements[4].text = " "),
    /elements\[4\]\.text: must not be empty/,
  ],
  [
    "text not a string",
    goodMessage,
    (s) => (s.blocks[1].text = { type: "mrkdwn" }),
    /blocks\[1\]\.text\.text: must be a string/,
  ],
  [
    "unknown text type",
    goodMessage,
    (s) => (s.blocks[1].text.type = "markdown"),
    /blocks\[1\]\.text\.type: must be plain_text or mrkdwn/,
  ],
  [
    "fallback over 40000",
    goodMessage,
    (s) => (s.text += "x"),
    /^text: is 40001 characters, limit 40000/,
  ],
  [
    "blank fallback text",
    goodMessage,
    (s) => (s.text = " "),
    /^text: fallback text must be a non-empty string/,
  ],
  [
    "unknown block type",
    goodMessage,
    (s) => s.blocks.push({ type: "carousel" }),
    /blocks\[7\]\.type: unknown block type "carousel"/,
  ],
  [
    "element not allowed there",
    goodMessage,
    (s) => (s.blocks[1].accessory = { type: "plain_text_input", action_id: "p" }),
    /accessory\.type: element type "plain_text_input" is not allowed in section/,
  ],
  [
    "input label over 2000",
    goodModal,
    (s) => (s.blocks[0].label.text += "x"),
    /blocks\[0\]\.label\.text: is 2001/,
  ],
  [
    "input hint over 2000",
    goodModal,
    (s) => (s.blocks[0].hint.text += "x"),
    /blocks\[0\]\.hint\.text: is 2001/,
  ],
  [
    "input placeholder over 150",
    goodModal,
    (s) => (s.blocks[0].element.placeholder.text += "x"),
    /element\.placeholder\.text: is 151/,
  ],
  [
    "initial value longer than max_length",
    goodModal,
    (s) => (s.blocks[0].element.initial_value += "x"),
    /element\.initial_value: is 11 characters, max_length 10/,
  ],
  [
    "input without element",
    goodModal,
    (s) => delete s.blocks[0].element,
    /blocks\[0\]\.element: is required/,
  ],
  [
    "button inside an input",
    goodModal,
    (s) => (s.blocks[0].element = { type: "button", action_id: "b", text: pt("b") }),
    /element type "button" is not allowed in input/,
  ],
  [
    "modal title over 24",
    goodModal,
    (s) => (s.title.text += "x"),
    /^title\.text: is 25 characters, limit 24/,
  ],
  ["modal without title", goodModal, (s) => delete s.title, /^title: is required/],
  ["submit over 24", goodModal, (s) => (s.submit.text += "x"), /^submit\.text: is 25/],
  ["close over 24", goodModal, (s) => (s.close.text += "x"), /^close\.text: is 25/],
  [
    "inputs without submit",
    goodModal,
    (s) => delete s.submit,
    /^submit: is required with input blocks/,
  ],
  [
    "private_metadata over 3000",
    goodModal,
    (s) => (s.private_metadata += "x"),
    /^private_metadata: is 3001 characters, limit 3000/,
  ],
];

describe("checkBlockKit", () => {
  it("accepts surfaces that sit exactly at every limit", () => {
    expect(checkBlockKit(goodMessage())).toEqual([]);
    expect(checkBlockKit(goodModal())).toEqual([]);
  });

  it.each(CASES)("catches %s", (_name, base, mutate, expected) => {
    const surface = base();
    mutate(surface);
    const problems = checkBlockKit(surface);
    expect(
      problems.some((p) => expected.test(p)),
      problems.join("\n"),
    ).toBe(true);
  });

  it("counts emoji by UTF-16 units, Slack's worst case", () => {
    const s = goodMessage();
    s.blocks[0]!.text.text = "😀".repeat(76);
    expect(checkBlockKit(s)).toEqual(["blocks[0].text.text: is 152 characters, limit 150"]);
  });

  it("assertBlockKit throws listing every problem, and passes a good surface", () => {
    expect(() => assertBlockKit(goodMessage())).not.toThrow();
    const s = goodModal();
    s.title = pt(x(30));
    s.private_metadata = x(3001);
    expect(() => assertBlockKit(s)).toThrow(
      /violations \(2\):\n- title\.text: .*\n- private_metadata: /,
    );
  });
});

describe("checkBlockKit on messages without fallback text", () => {
  it("checks blocks alone when no text is given", () => {
    const s = goodMessage();
    delete s.text;
    expect(checkBlockKit(s)).toEqual([]);
  });
});
