import { describe, expect, it } from "vitest";
import {
  checkMessage,
  checkUnfurls,
  checkView,
  formatProblem,
  type Report,
} from "../../sandbox/slack/block-kit.ts";
import { assertBlockKit, checkBlockKit } from "../support/block-limits.ts";

// biome-ignore lint/suspicious/noExplicitAny: fixtures are free-form Block Kit JSON.
type Json = any;

const x = (n: number) => "x".repeat(n);
const pt = (text: string) => ({ type: "plain_text", text });
const md = (text: string) => ({ type: "mrkdwn", text });
const opt = (value: string, extra: Json = {}) => ({ text: pt(value), value, ...extra });
const opts = (n: number) => Array.from({ length: n }, (_, i) => opt(`o${i}`));
const section = (text: Json = md("hi"), extra: Json = {}) => ({ type: "section", text, ...extra });
const divider = { type: "divider" };
const dividers = (n: number) => Array.from({ length: n }, () => ({ ...divider }));
const actions = (...elements: Json[]) => ({ type: "actions", elements });
const context = (...elements: Json[]) => ({ type: "context", elements });
const accessory = (element: Json) => section(md("hi"), { accessory: element });
const input = (element: Json, extra: Json = {}) => ({
  type: "input",
  label: pt("Label"),
  element,
  ...extra,
});
const button = (extra: Json = {}) => ({ type: "button", action_id: "b", text: pt("Go"), ...extra });
const select = (extra: Json = {}) => ({ type: "static_select", action_id: "s", ...extra });
const multi = (extra: Json = {}) => ({ type: "multi_static_select", action_id: "m", ...extra });
const textInput = (extra: Json = {}) => ({ type: "plain_text_input", action_id: "t", ...extra });
const rich = (...elements: Json[]) => ({ type: "rich_text", elements });
const richSection = (...elements: Json[]) => ({ type: "rich_text_section", elements });
const richText = (text: string) => ({ type: "text", text });
const table = (rows: Json[][], extra: Json = {}) => ({ type: "table", rows, ...extra });
const cell = (text: string) => ({ type: "raw_text", text });
const image = (extra: Json = {}) => ({
  type: "image",
  image_url: "https://e.x/a.png",
  alt_text: "a",
  ...extra,
});
const confirm = (extra: Json = {}) => ({
  title: pt("Sure?"),
  text: md("Really"),
  confirm: pt("Yes"),
  deny: pt("No"),
  ...extra,
});
const video = (extra: Json = {}) => ({
  type: "video",
  alt_text: "demo",
  title: pt("Demo"),
  video_url: "https://go.tallyfy.com/v.mp4",
  thumbnail_url: "https://go.tallyfy.com/v.png",
  ...extra,
});

type Payload =
  | { message: Json }
  | { modal: Json }
  | { home: Json }
  | { unfurls: Json }
  | { viewAs: ["modal" | "home", Json] };

const msg = (...blocks: Json[]): Payload => ({ message: { blocks } });
const modal = (...blocks: Json[]): Payload => ({ modal: modalView(blocks) });
const modalView = (blocks: Json[], extra: Json = {}) => ({
  type: "modal",
  title: pt("Title"),
  submit: pt("Save"),
  blocks,
  ...extra,
});
const home = (...blocks: Json[]): Payload => ({ home: { type: "home", blocks } });

function run(p: Payload): Report {
  if ("message" in p) return checkMessage(p.message);
  if ("modal" in p) return checkView(p.modal, "modal");
  if ("home" in p) return checkView(p.home, "home");
  if ("unfurls" in p) return checkUnfurls(p.unfurls);
  return checkView(p.viewAs[1], p.viewAs[0]);
}

/** [rule, a payload Slack takes, one it refuses, `pointer: message` expected, error code]. */
type Case = [rule: string, good: Payload, bad: Payload, expected: RegExp, error?: string];

const SURFACE: Case[] = [
  [
    "S1 message: at most 50 blocks",
    msg(...dividers(50)),
    msg(...dividers(51)),
    /^\/blocks: no more than 50 items/,
    "invalid_blocks",
  ],
  [
    "S2 modal: at most 100 blocks",
    modal(...dividers(100)),
    modal(...dividers(101)),
    /^\/view\/blocks: no more than 100 items/,
    "invalid_arguments",
  ],
  ["S2 modal: at least 1 block", modal(divider), modal(), /^\/view\/blocks: must have at least 1/],
  [
    "S2 home: at most 100 blocks",
    home(...dividers(100)),
    home(...dividers(101)),
    /^\/view\/blocks: no more than 100 items/,
  ],
  [
    "S3 message text: at most 40,000 characters",
    { message: { text: x(40_000) } },
    { message: { text: x(40_001) } },
    /^\/text: must be less than 40001/,
    "msg_too_long",
  ],
  [
    "S4 message: about 12,000 characters of text across its blocks",
    msg(...Array.from({ length: 4 }, () => section(md(x(3000))))),
    msg(...Array.from({ length: 4 }, () => section(md(x(3000)))), context(md("y"))),
    /^\/blocks: blocks hold 12001 characters of text, limit 12000/,
    "msg_blocks_too_long",
  ],
  [
    "S4 counts button, option and rich text too",
    msg(
      ...Array.from({ length: 4 }, () => section(md(x(2750)))),
      actions(button({ text: pt(x(75)) })),
    ),
    msg(
      ...Array.from({ length: 4 }, () => section(md(x(2750)))),
      rich(richSection(richText(x(900)))),
      actions(select({ options: [opt(x(75)), opt(x(74))] })),
    ),
    /characters of text, limit 12000/,
    "msg_blocks_too_long",
  ],
  [
    "S5 markdown blocks: 12,000 characters together",
    msg({ type: "markdown", text: x(12_000) }),
    msg({ type: "markdown", text: x(6000) }, { type: "markdown", text: x(6001) }),
    /^\/blocks: markdown blocks hold 12001 characters together/,
  ],
  [
    "S6 table: one per message",
    msg(table([[cell("a")]])),
    msg(table([[cell("a")]]), table([[cell("b")]])),
    /^\/blocks\/1: only one table block/,
  ],
  [
    "S6 table: at most 100 rows",
    msg(table(Array.from({ length: 100 }, () => [cell("a")]))),
    msg(table(Array.from({ length: 101 }, () => [cell("a")]))),
    /^\/blocks\/0\/rows: no more than 100 items/,
  ],
  [
    "S6 table: at most 20 cells a row and 20 column settings",
    msg(table([Array.from({ length: 20 }, () => cell("a"))], { column_settings: dividers(0) })),
    msg(table([Array.from({ length: 21 }, () => cell("a"))])),
    /^\/blocks\/0\/rows\/0: no more than 20 items/,
  ],
  [
    "S7 modal title: required",
    modal(divider),
    { modal: { type: "modal", blocks: [divider] } },
    /^\/view: missing required field: title/,
  ],
  [
    "S7 modal title: plain_text, at most 24",
    { modal: modalView([divider], { title: pt(x(24)) }) },
    { modal: modalView([divider], { title: pt(x(25)) }) },
    /^\/view\/title\/text: must be less than 25/,
  ],
  [
    "S7 modal title: not mrkdwn",
    modal(divider),
    { modal: modalView([divider], { title: md("Title") }) },
    /^\/view\/title\/type: must be plain_text/,
  ],
  [
    "S8 submit and close: at most 24",
    { modal: modalView([divider], { submit: pt(x(24)), close: pt(x(24)) }) },
    { modal: modalView([divider], { close: pt(x(25)) }) },
    /^\/view\/close\/text: must be less than 25/,
  ],
  [
    "S8 submit: required with input blocks",
    modal(input(textInput())),
    { modal: { type: "modal", title: pt("T"), blocks: [input(textInput())] } },
    /^\/view: missing required field: submit/,
  ],
  [
    "S9 home: no title, submit or close",
    home(divider),
    { home: { type: "home", title: pt("Home"), blocks: [divider] } },
    /^\/view: invalid additional property: title/,
  ],
  [
    "S10 private_metadata at most 3000, callback_id and external_id at most 255",
    { modal: modalView([divider], { private_metadata: x(3000), callback_id: x(255) }) },
    { modal: modalView([divider], { private_metadata: x(3001), external_id: x(256) }) },
    /^\/view\/private_metadata: must be less than 3001/,
  ],
  [
    "S11 views.open takes modals only; views.publish homes only",
    { viewAs: ["home", { type: "home", blocks: [divider] }] },
    { viewAs: ["modal", { type: "home", blocks: [divider] }] },
    /^\/view\/type: must be a valid enum value/,
    "invalid_arguments",
  ],
  [
    "S12 a view is at most 250 kB",
    modal(...Array.from({ length: 80 }, () => section(md(x(3000))))),
    modal(...Array.from({ length: 90 }, () => section(md(x(3000))))),
    /^\/view: must be at most 250000 bytes/,
    "view_too_large",
  ],
  [
    "S13 unknown view property",
    modal(divider),
    { modal: modalView([divider], { submit_disabled: true }) },
    /^\/view: invalid additional property: submit_disabled/,
  ],
  [
    "S13 unknown block property (a misspelt key)",
    msg(section(md("a"), { block_id: "a" })),
    msg(section(md("a"), { blockid: "a" })),
    /^\/blocks\/0: invalid additional property: blockid/,
  ],
  [
    "S13 unknown property deep inside an element (options on external_select)",
    msg(accessory({ type: "external_select", action_id: "e" })),
    msg(accessory({ type: "external_select", action_id: "e", options: opts(2) })),
    /^\/blocks\/0\/accessory: invalid additional property: options/,
  ],
  [
    "S14 block_id at most 255",
    msg(section(md("a"), { block_id: x(255) })),
    msg(section(md("a"), { block_id: x(256) })),
    /^\/blocks\/0\/block_id: must be less than 256/,
  ],
  [
    "S14 block_id unique, empty ones included",
    msg(section(md("a"), { block_id: "" }), section(md("b"), { block_id: "b" })),
    msg(section(md("a"), { block_id: "" }), section(md("b"), { block_id: "" })),
    /^\/blocks\/1\/block_id: duplicate block_id ""/,
  ],
  [
    "S15 focus_on_load on one element per view",
    modal(input(textInput({ focus_on_load: true })), input(textInput())),
    modal(input(textInput({ focus_on_load: true })), input(textInput({ focus_on_load: true }))),
    /^\/view\/blocks\/1\/element\/focus_on_load: only one element per view/,
  ],
  [
    "S16 no input blocks in messages",
    modal(input(textInput())),
    msg(input(textInput())),
    /^\/blocks\/0\/type: input blocks are not allowed in a message/,
  ],
  [
    "S17 at most 100 attachments",
    { message: { attachments: Array.from({ length: 100 }, () => ({ text: "a" })) } },
    { message: { attachments: Array.from({ length: 101 }, () => ({ text: "a" })) } },
    /^\/attachments: no more than 100 items/,
    "too_many_attachments",
  ],
  [
    "unfurls: message rules for each URL's blocks",
    { unfurls: { "https://go.tallyfy.com/a/processes/1": { blocks: [section()] } } },
    { unfurls: { "https://go.tallyfy.com/a/processes/1": { blocks: [input(textInput())] } } },
    /^\/unfurls\/https:~1~1go.tallyfy.com~1a~1processes~11\/blocks\/0\/type: input blocks/,
  ],
];

const BLOCK_CASES: Case[] = [
  [
    "B1 section: text or fields",
    msg({ type: "section", fields: [md("a")] }),
    msg({ type: "section" }),
    /^\/blocks\/0: must define either `text` or `fields`/,
  ],
  [
    "B1 section text: 1..3000",
    msg(section(md(x(3000)))),
    msg(section(md(x(3001)))),
    /^\/blocks\/0\/text\/text: must be less than 3001/,
  ],
  [
    "B1 section fields: at most 10, each at most 2000",
    msg({ type: "section", fields: Array.from({ length: 5 }, () => md(x(2000))) }),
    msg({ type: "section", fields: [md(x(2001))] }),
    /^\/blocks\/0\/fields\/0\/text: must be less than 2001/,
  ],
  [
    "B1 section fields: at most 10 items",
    msg({ type: "section", fields: Array.from({ length: 10 }, () => md("a")) }),
    msg({ type: "section", fields: Array.from({ length: 11 }, () => md("a")) }),
    /^\/blocks\/0\/fields: no more than 10 items/,
  ],
  [
    "B1 section expand: a boolean",
    msg(section(md("a"), { expand: true })),
    msg(section(md("a"), { expand: "true" })),
    /^\/blocks\/0\/expand: must be a boolean/,
  ],
  [
    "B2 section accessory: multi-selects yes, text inputs no",
    msg(accessory(multi({ options: opts(2) }))),
    msg(accessory(textInput())),
    /^\/blocks\/0\/accessory\/type: plain_text_input is not allowed in a section accessory/,
  ],
  [
    "B3 actions: 1..25 elements",
    msg(actions(...Array.from({ length: 25 }, (_, i) => button({ action_id: `b${i}` })))),
    msg(actions(...Array.from({ length: 26 }, (_, i) => button({ action_id: `b${i}` })))),
    /^\/blocks\/0\/elements: no more than 25 items/,
  ],
  [
    "B3 actions: not empty",
    msg(actions(button())),
    msg(actions()),
    /^\/blocks\/0\/elements: must have at least 1 items/,
  ],
  ...[
    "multi_static_select",
    "multi_external_select",
    "multi_users_select",
    "multi_conversations_select",
    "multi_channels_select",
  ].map(
    (type): Case => [
      `B4 actions: no ${type}`,
      msg(
        actions({
          type: type.replace("multi_", ""),
          action_id: "a",
          ...(type === "multi_static_select" ? { options: opts(1) } : {}),
        }),
      ),
      msg(actions({ type, action_id: "a" })),
      new RegExp(`^/blocks/0/elements/0/type: ${type} is not allowed in actions blocks`),
    ],
  ),
  [
    "B5 context: 1..10 image and text elements",
    msg(context(...Array.from({ length: 9 }, () => md("a")), image({ type: "image" }))),
    msg(context(...Array.from({ length: 11 }, () => md("a")))),
    /^\/blocks\/0\/elements: no more than 10 items/,
  ],
  [
    "B5 context: no buttons",
    msg(context(pt("a"))),
    msg(context(button())),
    /^\/blocks\/0\/elements\/0\/type: button is not allowed in context blocks/,
  ],
  [
    "B6 context_actions: 1..5, feedback_buttons and icon_button only",
    msg({
      type: "context_actions",
      elements: [
        {
          type: "feedback_buttons",
          action_id: "f",
          positive_button: { text: pt("Good"), value: "up" },
          negative_button: { text: pt("Bad"), value: "down" },
        },
        { type: "icon_button", action_id: "i", icon: "trash", text: pt("Delete") },
      ],
    }),
    msg({ type: "context_actions", elements: [button()] }),
    /^\/blocks\/0\/elements\/0\/type: button is not allowed in context_actions blocks/,
  ],
  [
    "B7 header: plain_text 1..150",
    msg({ type: "header", text: pt(x(150)) }),
    msg({ type: "header", text: pt(x(151)) }),
    /^\/blocks\/0\/text\/text: must be less than 151/,
  ],
  [
    "B7 header: never mrkdwn",
    msg({ type: "header", text: pt("a") }),
    msg({ type: "header", text: md("a") }),
    /^\/blocks\/0\/text\/type: must be plain_text/,
  ],
  [
    "B8 image: alt_text required",
    msg(image({ title: pt("A picture") })),
    msg({ type: "image", image_url: "https://e.x/a.png" }),
    /^\/blocks\/0: missing required field: alt_text/,
  ],
  [
    "B8 image: exactly one of image_url or slack_file",
    msg(image({ image_url: undefined, slack_file: { id: "F1" } })),
    msg(image({ slack_file: { id: "F1" } })),
    /^\/blocks\/0: must provide exactly one of image_url or slack_file/,
  ],
  [
    "B10 input label: required, plain_text, at most 2000",
    modal(input(textInput(), { label: pt(x(2000)), hint: pt(x(2000)) })),
    modal(input(textInput(), { label: pt(x(2001)) })),
    /^\/view\/blocks\/0\/label\/text: must be less than 2001/,
  ],
  [
    "B10 input element: from the input set",
    modal(input({ type: "number_input", action_id: "n", is_decimal_allowed: false })),
    modal(input(button())),
    /^\/view\/blocks\/0\/element\/type: button is not allowed in input blocks/,
  ],
  [
    "B10 input optional/dispatch_action: booleans",
    modal(input(textInput(), { optional: true, dispatch_action: false })),
    modal(input(textInput(), { dispatch_action: "true" })),
    /^\/view\/blocks\/0\/dispatch_action: must be a boolean/,
  ],
  [
    "B11 file_input cannot dispatch actions",
    modal(input({ type: "file_input", action_id: "f" })),
    modal(input({ type: "file_input", action_id: "f" }, { dispatch_action: true })),
    /^\/view\/blocks\/0\/dispatch_action: unsupported type/,
  ],
  [
    "B12 markdown: messages only",
    msg({ type: "markdown", text: "**hi**" }),
    modal({ type: "markdown", text: "**hi**" }),
    /^\/view\/blocks\/0\/type: markdown blocks are not allowed in a modal/,
  ],
  [
    "B12 markdown: text required",
    msg({ type: "markdown", text: "a" }),
    msg({ type: "markdown", text: "" }),
    /^\/blocks\/0\/text: must be more than 0 characters/,
  ],
  [
    "B13 rich_text: an empty block fails",
    msg(rich(richSection(richText("a")))),
    msg(rich()),
    /^\/blocks\/0\/elements: must have at least 1 items/,
  ],
  [
    "B13 rich_text: an empty text element fails",
    msg(rich(richSection(richText("a"), { type: "emoji", name: "wave" }))),
    msg(rich(richSection(richText("")))),
    /^\/blocks\/0\/elements\/0\/elements\/0\/text: must be more than 0 characters/,
  ],
  [
    "B13 rich_text_list: style bullet|ordered, indent 0..8, sections only",
    msg(rich({ type: "rich_text_list", style: "ordered", indent: 8, elements: [richSection()] })),
    msg(rich({ type: "rich_text_list", style: "ordered", indent: 9, elements: [richSection()] })),
    /^\/blocks\/0\/elements\/0\/indent: must be at most 8/,
  ],
  [
    "B13 rich_text_list: items are sections",
    msg(rich({ type: "rich_text_list", style: "bullet", elements: [richSection()] })),
    msg(rich({ type: "rich_text_list", style: "bullet", elements: [richText("a")] })),
    /^\/blocks\/0\/elements\/0\/elements\/0\/type: must be a valid enum value/,
  ],
  [
    "B13 rich_text_preformatted: only text and link",
    msg(rich({ type: "rich_text_preformatted", elements: [richText("a")] })),
    msg(rich({ type: "rich_text_preformatted", elements: [{ type: "user", user_id: "U1" }] })),
    /^\/blocks\/0\/elements\/0\/elements\/0\/type: must be a valid enum value/,
  ],
  [
    "B13 rich text style: known flags only",
    msg(rich(richSection({ ...richText("a"), style: { bold: true, underline: true } }))),
    msg(rich(richSection({ ...richText("a"), style: { blink: true } }))),
    /\/style: invalid additional property: blink/,
  ],
  [
    "B13 broadcast range: here|channel|everyone",
    msg(rich(richSection({ type: "broadcast", range: "here" }))),
    msg(rich(richSection({ type: "broadcast", range: "all" }))),
    /\/range: must be a valid enum value/,
  ],
  [
    "B14 table cells: raw_text or rich_text",
    msg(table([[cell("a"), rich(richSection(richText("b")))]])),
    msg(table([[md("a")]])),
    /^\/blocks\/0\/rows\/0\/0: must be a rich_text object/,
  ],
  [
    "B14 table column_settings: align left|center|right",
    msg(table([[cell("a")]], { column_settings: [{ align: "right", is_wrapped: true }, null] })),
    msg(table([[cell("a")]], { column_settings: [{ align: "justify" }] })),
    /^\/blocks\/0\/column_settings\/0\/align: must be a valid enum value/,
  ],
  [
    "B15 video: alt_text, title, video_url, thumbnail_url required",
    msg(video()),
    msg(video({ thumbnail_url: undefined })),
    /^\/blocks\/0: missing required field: thumbnail_url/,
  ],
  [
    "B15 video: title under 200, author_name under 50, https",
    msg(video({ title: pt(x(199)), author_name: x(49) })),
    msg(video({ author_name: x(50) })),
    /^\/blocks\/0\/author_name: must be less than 50/,
  ],
  [
    "B15 video_url: https",
    msg(video()),
    msg(video({ video_url: "http://go.tallyfy.com/v.mp4" })),
    /^\/blocks\/0\/video_url: does not match/,
  ],
  [
    "B16 divider: type and block_id only",
    msg({ type: "divider", block_id: "d" }),
    msg({ type: "divider", text: md("a") }),
    /^\/blocks\/0: invalid additional property: text/,
  ],
  [
    "B17 newer or unknown blocks are refused",
    msg(divider),
    msg({ type: "carousel", elements: [] }),
    /^\/blocks\/0\/type: unknown block type "carousel"/,
  ],
];

const ELEMENT_CASES: Case[] = [
  [
    "E1 action_id: at most 255",
    msg(actions(button({ action_id: x(255) }))),
    msg(actions(button({ action_id: x(256) }))),
    /^\/blocks\/0\/elements\/0\/action_id: must be less than 256/,
  ],
  [
    "E1/E2 action_id: unique within a block, may repeat across blocks",
    msg(actions(button({ action_id: "a" })), actions(button({ action_id: "a" }))),
    msg(actions(button({ action_id: "a" }), button({ action_id: "a" }))),
    /^\/blocks\/0\/elements\/1\/action_id: duplicate action_id "a" in block/,
  ],
  [
    "E3 placeholder: plain_text at most 150",
    msg(actions(select({ options: opts(1), placeholder: pt(x(150)) }))),
    msg(actions(select({ options: opts(1), placeholder: md("Pick") }))),
    /^\/blocks\/0\/elements\/0\/placeholder\/type: must be plain_text/,
  ],
  [
    "E4 button text: 1..75",
    msg(actions(button({ text: pt(x(75)) }))),
    msg(actions(button({ text: pt(x(76)) }))),
    /^\/blocks\/0\/elements\/0\/text\/text: must be less than 76/,
  ],
  [
    "E4 button url 3000, value 2000, accessibility_label 75",
    msg(actions(button({ url: x(3000), value: x(2000), accessibility_label: x(75) }))),
    msg(actions(button({ value: x(2001) }))),
    /^\/blocks\/0\/elements\/0\/value: must be less than 2001/,
  ],
  [
    "E4 button style: primary or danger",
    msg(actions(button({ style: "danger" }))),
    msg(actions(button({ style: "secondary" }))),
    /^\/blocks\/0\/elements\/0\/style: must be a valid enum value/,
  ],
  [
    "E5 checkboxes: 1..10 options, mrkdwn allowed",
    modal(input({ type: "checkboxes", action_id: "c", options: [opt("a", { text: md("*a*") })] })),
    modal(input({ type: "checkboxes", action_id: "c", options: opts(11) })),
    /^\/view\/blocks\/0\/element\/options: no more than 10 items/,
  ],
  [
    "E5 radio_buttons: 1..10 options",
    msg(actions({ type: "radio_buttons", action_id: "r", options: opts(10) })),
    msg(actions({ type: "radio_buttons", action_id: "r", options: [] })),
    /^\/blocks\/0\/elements\/0\/options: must have at least 1 items/,
  ],
  [
    "E5 checkboxes initial_options: equal to options, description included",
    modal(
      input({
        type: "checkboxes",
        action_id: "c",
        options: [opt("a", { description: pt("d") })],
        initial_options: [opt("a", { description: pt("d") })],
      }),
    ),
    modal(
      input({
        type: "checkboxes",
        action_id: "c",
        options: [opt("a", { description: pt("d") })],
        initial_options: [opt("a")],
      }),
    ),
    /^\/view\/blocks\/0\/element\/initial_options\/0: must be one of the provided options/,
  ],
  [
    "E5 radio initial_option: equal to an option",
    msg(
      actions({
        type: "radio_buttons",
        action_id: "r",
        options: opts(2),
        initial_option: opt("o1"),
      }),
    ),
    msg(
      actions({
        type: "radio_buttons",
        action_id: "r",
        options: opts(2),
        initial_option: opt("o9"),
      }),
    ),
    /^\/blocks\/0\/elements\/0\/initial_option: must be one of the provided options/,
  ],
  [
    "E6 overflow: at least 2 options",
    msg(actions({ type: "overflow", action_id: "o", options: opts(2) })),
    msg(actions({ type: "overflow", action_id: "o", options: opts(1) })),
    /^\/blocks\/0\/elements\/0\/options: must have at least 2 items/,
  ],
  [
    "E6 overflow: at most 5 options",
    msg(actions({ type: "overflow", action_id: "o", options: opts(5) })),
    msg(actions({ type: "overflow", action_id: "o", options: opts(6) })),
    /^\/blocks\/0\/elements\/0\/options: no more than 5 items/,
  ],
  [
    "E6/C5 option url: overflow menus only",
    msg(
      actions({
        type: "overflow",
        action_id: "o",
        options: [opt("a", { url: "https://e.x" }), opt("b")],
      }),
    ),
    msg(actions(select({ options: [opt("a", { url: "https://e.x" })] }))),
    /^\/blocks\/0\/elements\/0\/options\/0: invalid additional property: url/,
  ],
  [
    "E7 static_select: exactly one of options or option_groups",
    msg(actions(select({ option_groups: [{ label: pt("G"), options: opts(1) }] }))),
    msg(
      actions(select({ options: opts(1), option_groups: [{ label: pt("G"), options: opts(1) }] })),
    ),
    /^\/blocks\/0\/elements\/0: `options` or `option_groups` must be specified/,
  ],
  [
    "E7 static_select: 1..100 options",
    msg(actions(select({ options: opts(100) }))),
    msg(actions(select({ options: opts(101) }))),
    /^\/blocks\/0\/elements\/0\/options: no more than 100 items/,
  ],
  [
    "E7 static_select: options plain_text only",
    msg(actions(select({ options: opts(1) }))),
    msg(actions(select({ options: [opt("a", { text: md("a") })] }))),
    /^\/blocks\/0\/elements\/0\/options\/0\/text\/type: must be plain_text/,
  ],
  [
    "E8 initial_options: never empty",
    modal(input(multi({ options: opts(2), initial_options: [opt("o0")] }))),
    modal(input(multi({ options: opts(2), initial_options: [] }))),
    /^\/view\/blocks\/0\/element\/initial_options: must have at least 1 items/,
  ],
  [
    "E8 initial_option: one of the options",
    msg(actions(select({ options: opts(2), initial_option: opt("o1") }))),
    msg(actions(select({ options: opts(2), initial_option: opt("o1", { text: pt("O1") }) }))),
    /^\/blocks\/0\/elements\/0\/initial_option: must be one of the provided options/,
  ],
  [
    "E8 multi-select initial_options: from one option group",
    modal(
      input(
        multi({
          option_groups: [
            { label: pt("A"), options: [opt("a1"), opt("a2")] },
            { label: pt("B"), options: [opt("b1")] },
          ],
          initial_options: [opt("a1"), opt("a2")],
        }),
      ),
    ),
    modal(
      input(
        multi({
          option_groups: [
            { label: pt("A"), options: [opt("a1")] },
            { label: pt("B"), options: [opt("b1")] },
          ],
          initial_options: [opt("a1"), opt("b1")],
        }),
      ),
    ),
    /^\/view\/blocks\/0\/element\/initial_options: must all come from the same option group/,
  ],
  [
    "E9 max_selected_items: at least 1",
    modal(input({ type: "multi_users_select", action_id: "u", max_selected_items: 1 })),
    modal(input({ type: "multi_users_select", action_id: "u", max_selected_items: 0 })),
    /^\/view\/blocks\/0\/element\/max_selected_items: must be at least 1/,
  ],
  [
    "E10 external_select: min_query_length, no options",
    msg(actions({ type: "external_select", action_id: "e", min_query_length: 0 })),
    msg(actions({ type: "external_select", action_id: "e", option_groups: [] })),
    /^\/blocks\/0\/elements\/0: invalid additional property: option_groups/,
  ],
  [
    "E11 response_url_enabled: modal input blocks only",
    modal(input({ type: "conversations_select", action_id: "c", response_url_enabled: true })),
    msg(accessory({ type: "conversations_select", action_id: "c", response_url_enabled: true })),
    /^\/blocks\/0\/accessory\/response_url_enabled: is only allowed in input blocks/,
  ],
  [
    "E11 response_url_enabled: one per view",
    modal(input({ type: "channels_select", action_id: "c", response_url_enabled: true })),
    modal(
      input({ type: "channels_select", action_id: "c", response_url_enabled: true }),
      input({ type: "conversations_select", action_id: "d", response_url_enabled: true }),
    ),
    /^\/view\/blocks\/1\/element\/response_url_enabled: only one element per view/,
  ],
  [
    "E11/C9 filter.include: not empty, known kinds",
    modal(
      input({
        type: "conversations_select",
        action_id: "c",
        filter: { include: ["public", "im"], exclude_bot_users: true },
      }),
    ),
    modal(input({ type: "conversations_select", action_id: "c", filter: { include: [] } })),
    /^\/view\/blocks\/0\/element\/filter\/include: must have at least 1 items/,
  ],
  [
    "E12 datepicker initial_date: a real YYYY-MM-DD",
    modal(input({ type: "datepicker", action_id: "d", initial_date: "2026-12-31" })),
    modal(input({ type: "datepicker", action_id: "d", initial_date: "2026-13-01" })),
    /^\/view\/blocks\/0\/element\/initial_date: does not match the required format/,
  ],
  [
    "E13 timepicker initial_time: HH:mm 00:00..23:59",
    modal(input({ type: "timepicker", action_id: "t", initial_time: "23:59" })),
    modal(input({ type: "timepicker", action_id: "t", initial_time: "24:00" })),
    /^\/view\/blocks\/0\/element\/initial_time: does not match/,
  ],
  [
    "E13 timepicker timezone: an IANA name",
    modal(input({ type: "timepicker", action_id: "t", timezone: "Europe/London" })),
    modal(input({ type: "timepicker", action_id: "t", timezone: "Mars/Olympus" })),
    /^\/view\/blocks\/0\/element\/timezone: must be a valid IANA time zone/,
  ],
  [
    "E14 datetimepicker initial_date_time: Unix seconds",
    modal(input({ type: "datetimepicker", action_id: "d", initial_date_time: 1_790_000_000 })),
    modal(input({ type: "datetimepicker", action_id: "d", initial_date_time: 1_790_000_000_000 })),
    /^\/view\/blocks\/0\/element\/initial_date_time: must be at most 9999999999/,
  ],
  [
    "E15 plain_text_input: max_length 1..3000",
    modal(input(textInput({ min_length: 0, max_length: 3000, multiline: true }))),
    modal(input(textInput({ max_length: 3001 }))),
    /^\/view\/blocks\/0\/element\/max_length: must be at most 3000/,
  ],
  [
    "E15 plain_text_input: min_length <= max_length",
    modal(input(textInput({ min_length: 5, max_length: 5 }))),
    modal(input(textInput({ min_length: 6, max_length: 5 }))),
    /^\/view\/blocks\/0\/element\/min_length: must not be greater than max_length/,
  ],
  [
    "E15 plain_text_input: initial_value within max_length",
    modal(input(textInput({ max_length: 3, initial_value: "abc" }))),
    modal(input(textInput({ max_length: 3, initial_value: "abcd" }))),
    /^\/view\/blocks\/0\/element\/initial_value: must be less than 4 characters/,
  ],
  [
    "E15/C8 dispatch_action_config.trigger_actions_on: known triggers",
    modal(
      input(textInput({ dispatch_action_config: { trigger_actions_on: ["on_enter_pressed"] } })),
    ),
    modal(input(textInput({ dispatch_action_config: { trigger_actions_on: ["on_blur"] } }))),
    /dispatch_action_config\/trigger_actions_on\/0: must be a valid enum value/,
  ],
  [
    "E16 number_input: is_decimal_allowed required",
    modal(
      input({
        type: "number_input",
        action_id: "n",
        is_decimal_allowed: true,
        min_value: "1",
        max_value: "2",
      }),
    ),
    modal(input({ type: "number_input", action_id: "n" })),
    /^\/view\/blocks\/0\/element: missing required field: is_decimal_allowed/,
  ],
  [
    "E16 number_input: min_value <= max_value",
    modal(
      input({
        type: "number_input",
        action_id: "n",
        is_decimal_allowed: false,
        min_value: "2",
        max_value: "2",
      }),
    ),
    modal(
      input({
        type: "number_input",
        action_id: "n",
        is_decimal_allowed: false,
        min_value: "3",
        max_value: "2",
      }),
    ),
    /^\/view\/blocks\/0\/element\/min_value: must not be greater than max_value/,
  ],
  [
    "E17 file_input: max_files 1..10",
    modal(input({ type: "file_input", action_id: "f", max_files: 10, filetypes: ["pdf"] })),
    modal(input({ type: "file_input", action_id: "f", max_files: 11 })),
    /^\/view\/blocks\/0\/element\/max_files: must be at most 10/,
  ],
  [
    "E18 rich_text_input: min_lines/max_lines 1..100",
    modal(
      input({
        type: "rich_text_input",
        action_id: "r",
        max_lines: 100,
        initial_value: rich(richSection(richText("a"))),
      }),
    ),
    modal(input({ type: "rich_text_input", action_id: "r", max_lines: 101 })),
    /^\/view\/blocks\/0\/element\/max_lines: must be at most 100/,
  ],
  [
    "E19 image element: section accessory or context only",
    msg(accessory({ type: "image", image_url: "https://e.x/a.png", alt_text: "a" })),
    msg(actions({ type: "image", image_url: "https://e.x/a.png", alt_text: "a" })),
    /^\/blocks\/0\/elements\/0\/type: image is not allowed in actions blocks/,
  ],
  [
    "E19 image element: alt_text required",
    msg(context({ type: "image", image_url: "https://e.x/a.png", alt_text: "a" })),
    msg(context({ type: "image", image_url: "https://e.x/a.png" })),
    /^\/blocks\/0\/elements\/0: missing required field: alt_text/,
  ],
  [
    "E20 icon_button: context_actions only",
    msg({
      type: "context_actions",
      elements: [{ type: "icon_button", icon: "trash", text: pt("Delete") }],
    }),
    msg(actions({ type: "icon_button", icon: "trash", text: pt("Delete") })),
    /^\/blocks\/0\/elements\/0\/type: icon_button is not allowed in actions blocks/,
  ],
  [
    "E20 feedback button text: at most 75",
    msg({
      type: "context_actions",
      elements: [
        {
          type: "feedback_buttons",
          positive_button: { text: pt(x(75)), value: "up" },
          negative_button: { text: pt("Bad"), value: "down" },
        },
      ],
    }),
    msg({
      type: "context_actions",
      elements: [
        {
          type: "feedback_buttons",
          positive_button: { text: pt(x(76)), value: "up" },
          negative_button: { text: pt("Bad"), value: "down" },
        },
      ],
    }),
    /positive_button\/text\/text: must be less than 76/,
  ],
];

const COMPOSITION_CASES: Case[] = [
  [
    "C1 text: plain_text or mrkdwn",
    msg(section(pt("a"))),
    msg(section({ type: "markdown", text: "a" })),
    /^\/blocks\/0\/text\/type: must be a valid enum value/,
  ],
  [
    "C1 text: not empty",
    msg(section(md(" "))),
    msg(section(md(""))),
    /^\/blocks\/0\/text\/text: must be more than 0 characters/,
  ],
  [
    "C2 emoji: plain_text only, also deep inside elements",
    msg(
      actions({
        type: "checkboxes",
        action_id: "c",
        options: [{ text: { ...pt("a"), emoji: true }, value: "a" }],
      }),
    ),
    msg(
      actions({
        type: "checkboxes",
        action_id: "c",
        options: [{ text: { ...md("a"), emoji: true }, value: "a" }],
      }),
    ),
    /^\/blocks\/0\/elements\/0\/options\/0\/text: invalid additional property: emoji/,
  ],
  [
    "C3 verbatim: mrkdwn only, a real boolean",
    msg(section({ ...md("a"), verbatim: false })),
    msg(section({ ...md("a"), verbatim: "{false}" })),
    /^\/blocks\/0\/text\/verbatim: must be a boolean/,
  ],
  [
    "C4 plain_text-only places: option group labels",
    msg(actions(select({ option_groups: [{ label: pt("G"), options: opts(1) }] }))),
    msg(actions(select({ option_groups: [{ label: md("G"), options: opts(1) }] }))),
    /^\/blocks\/0\/elements\/0\/option_groups\/0\/label\/type: must be plain_text/,
  ],
  [
    "C5 option: text at most 75",
    msg(actions(select({ options: [opt(x(75))] }))),
    msg(actions(select({ options: [{ text: pt(x(76)), value: "v" }] }))),
    /^\/blocks\/0\/elements\/0\/options\/0\/text\/text: must be less than 76/,
  ],
  [
    "C5 option: value required, at most 150",
    msg(actions(select({ options: [{ text: pt("a"), value: x(150) }] }))),
    msg(actions(select({ options: [{ text: pt("a"), value: x(151) }] }))),
    /^\/blocks\/0\/elements\/0\/options\/0\/value: must be less than 151/,
  ],
  [
    "C5 option: description at most 75",
    msg(actions(select({ options: [opt("a", { description: pt(x(75)) })] }))),
    msg(actions(select({ options: [opt("a", { description: pt(x(76)) })] }))),
    /^\/blocks\/0\/elements\/0\/options\/0\/description\/text: must be less than 76/,
  ],
  [
    "C6 option_group: label at most 75, 1..100 options",
    msg(actions(select({ option_groups: [{ label: pt(x(75)), options: opts(100) }] }))),
    msg(actions(select({ option_groups: [{ label: pt("G"), options: [] }] }))),
    /^\/blocks\/0\/elements\/0\/option_groups\/0\/options: must have at least 1 items/,
  ],
  [
    "C7 confirm: title 100, text 300, confirm and deny 30",
    msg(
      actions(
        button({
          confirm: confirm({
            title: pt(x(100)),
            text: md(x(300)),
            confirm: pt(x(30)),
            deny: pt(x(30)),
            style: "danger",
          }),
        }),
      ),
    ),
    msg(actions(button({ confirm: confirm({ deny: pt(x(31)) }) }))),
    /^\/blocks\/0\/elements\/0\/confirm\/deny\/text: must be less than 31/,
  ],
  [
    "C7 confirm: all four texts required",
    msg(actions(button({ confirm: confirm() }))),
    msg(actions(button({ confirm: confirm({ deny: undefined }) }))),
    /^\/blocks\/0\/elements\/0\/confirm: missing required field: deny/,
  ],
  [
    "C10 slack_file: url or id, never both",
    msg(image({ image_url: undefined, slack_file: { url: "https://files.slack.com/a.png" } })),
    msg(
      image({
        image_url: undefined,
        slack_file: { url: "https://files.slack.com/a.png", id: "F1" },
      }),
    ),
    /^\/blocks\/0\/slack_file: must provide exactly one of url or id/,
  ],
];

/** `undefined` in a fixture means "leave the key out", as JSON.stringify would. */
function clean<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}

function shown(r: Report): string[] {
  return r.problems.map((p) => `${p.pointer}: ${p.message}`);
}

describe.each([
  ["surface rules", SURFACE],
  ["block rules", BLOCK_CASES],
  ["element rules", ELEMENT_CASES],
  ["composition object rules", COMPOSITION_CASES],
])("Block Kit %s", (_group, cases) => {
  it.each(cases)("%s", (_rule, good, bad, expected, error) => {
    expect(shown(run(clean(good)))).toEqual([]);
    const r = run(clean(bad));
    const hit = r.problems.find((p) => expected.test(`${p.pointer}: ${p.message}`));
    expect(hit, shown(r).join("\n") || "no problems").toBeDefined();
    if (error) expect(hit?.error).toBe(error);
  });
});

describe("Block Kit checker", () => {
  it("counts length in UTF-16 units, never fewer than Slack's characters", () => {
    const r = checkMessage({ blocks: [{ type: "header", text: pt("😀".repeat(76)) }] });
    expect(shown(r)).toEqual(["/blocks/0/text/text: must be less than 151 characters"]);
  });

  it("warns, without refusing, about a Home tab input that can never send its value", () => {
    const r = checkView({ type: "home", blocks: [input(textInput())] }, "home");
    expect(r.problems).toEqual([]);
    expect(r.warnings.map((w) => w.pointer)).toEqual(["/view/blocks/0"]);
    expect(
      checkView({ type: "home", blocks: [input(textInput(), { dispatch_action: true })] }, "home")
        .warnings,
    ).toEqual([]);
  });

  it("words problems like Slack's response_metadata lines", () => {
    const [p] = checkMessage({ blocks: [section(md(""))] }).problems;
    expect(p && formatProblem(p)).toBe(
      "[ERROR] must be more than 0 characters [json-pointer:/blocks/0/text/text]",
    );
  });

  it("the tests' checker is the same table: messages, and views as sent or as Slack returns them", () => {
    const view = modalView([input(textInput())]);
    expect(checkBlockKit({ ...view })).toEqual([]);
    const returned = { ...view, id: "V1", hash: "h", state: { values: {} }, close: null };
    expect(checkBlockKit(returned)).toEqual([]);
    expect(checkBlockKit({ type: "message", blocks: [input(textInput())] })).toEqual([
      "/blocks/0/type: input blocks are not allowed in a message",
    ]);
    expect(() => assertBlockKit({ ...view, title: pt(x(30)), private_metadata: x(3001) })).toThrow(
      /violations \(2\):\n- \/view\/title\/text: .*\n- \/view\/private_metadata: /,
    );
  });
});
