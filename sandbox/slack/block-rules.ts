/**
 * Block Kit as Slack's server enforces it, as one table: every composition object, element and
 * block with the properties it may carry (anything else is "invalid additional property", as
 * Slack answers), their limits, where each element may sit and on which surfaces each block may
 * appear. `block-kit.ts` walks payloads through this table; the fake Slack Web API and the
 * tests' checker both use it, so there is one answer to "would Slack take this?".
 *
 * Where Slack's docs, its SDKs and reported API errors disagree, the stricter rule that Slack has
 * been seen to enforce wins (e.g. overflow menus need 2 to 5 options; multi-selects are refused in
 * actions blocks; `initial_options: []` is refused). Rules marked "reported" come from API errors
 * people posted rather than from Slack's reference docs.
 */
import type { Json } from "./types.ts";

export type Surface = "message" | "modal" | "home" | "unfurl";

/** Where an element sits; decides which element types are allowed. */
export type Place = "actions" | "accessory" | "input" | "context" | "context_actions";

/** What a rule's extra check may do: report a problem, and see where it is. */
export interface RuleContext {
  surface: Surface;
  add(at: string, message: string): void;
}

export type Spec =
  | { t: "str"; min?: number; max?: number; re?: RegExp; oneOf?: readonly string[] }
  | { t: "bool" }
  | { t: "int"; min?: number; max?: number }
  | { t: "text"; max: number; plain?: boolean }
  | { t: "obj"; name: string }
  | { t: "list"; of: Spec; min?: number; max?: number }
  | { t: "el"; place: Place }
  /** A rich_text block object (rich_text_input values, table cells). */
  | { t: "rich" }
  /** The `elements` of a rich_text block: sections, lists, quotes, preformatted. */
  | { t: "rich_elements" }
  /** A table cell: raw_text or rich_text. */
  | { t: "cell" }
  | { t: "nullable"; of: Spec };

export interface Shape {
  props: Record<string, Spec>;
  required?: readonly string[];
  /** Rules across properties, run after every property passed its own spec. */
  check?: (v: Json, at: string, ctx: RuleContext) => void;
}

export interface BlockShape extends Shape {
  surfaces: readonly Surface[];
}

const str = (max?: number, min = 0): Spec => ({ t: "str", min, ...(max ? { max } : {}) });
const bool: Spec = { t: "bool" };
const int = (min?: number, max?: number): Spec => ({
  t: "int",
  ...(min === undefined ? {} : { min }),
  ...(max === undefined ? {} : { max }),
});
const oneOf = (...values: string[]): Spec => ({ t: "str", oneOf: values });
/** A text object: plain_text or mrkdwn, 1..max characters. */
const text = (max: number): Spec => ({ t: "text", max });
/** A text object that must be plain_text. */
const plain = (max: number): Spec => ({ t: "text", max, plain: true });
const obj = (name: string): Spec => ({ t: "obj", name });
const list = (of: Spec, min?: number, max?: number): Spec => ({
  t: "list",
  of,
  ...(min === undefined ? {} : { min }),
  ...(max === undefined ? {} : { max }),
});
const el = (place: Place): Spec => ({ t: "el", place });

export const LIMITS = {
  messageBlocks: 50,
  viewBlocks: 100,
  /** Top-level `text` of a message; longer is `msg_too_long`. */
  messageText: 40_000,
  /**
   * Text across all blocks of one message. Slack states "12,000 text characters with a buffer
   * for block containers" and answers `msg_blocks_too_long` past it (reported; the exact count
   * is undocumented, so the checker holds the text itself to 12,000).
   */
  messageBlocksText: 12_000,
  /** All markdown blocks of one message together. */
  markdownText: 12_000,
  attachments: 100,
  /** A whole view, serialized; larger is `view_too_large`. */
  viewBytes: 250_000,
  privateMetadata: 3000,
  id: 255,
} as const;

const id = str(LIMITS.id);
const interactive = { action_id: id, confirm: obj("confirm"), focus_on_load: bool };
const style = oneOf("primary", "danger");

// ---- composition objects ----------------------------------------------------------------------

const exactlyOne =
  (a: string, b: string) =>
  (v: Json, at: string, ctx: RuleContext): void => {
    if ((v[a] === undefined) === (v[b] === undefined))
      ctx.add(at, `must provide exactly one of ${a} or ${b}`);
  };

export const OBJECTS: Record<string, Shape> = {
  confirm: {
    props: { title: plain(100), text: text(300), confirm: plain(30), deny: plain(30), style },
    required: ["title", "text", "confirm", "deny"],
  },
  /** Options of selects and multi-selects: plain_text only, no url. */
  option: {
    props: { text: plain(75), value: str(150), description: plain(75) },
    required: ["text", "value"],
  },
  /** Options of checkboxes and radio buttons: text and description may be mrkdwn. */
  choice: {
    props: { text: text(75), value: str(150), description: text(75) },
    required: ["text", "value"],
  },
  /** Options of overflow menus: the only options that may carry a url. */
  overflow_option: {
    props: { text: plain(75), value: str(150), description: plain(75), url: str(3000) },
    required: ["text", "value"],
  },
  option_group: {
    props: { label: plain(75), options: list(obj("option"), 1, 100) },
    required: ["label", "options"],
  },
  dispatch_action_config: {
    props: {
      trigger_actions_on: list(oneOf("on_enter_pressed", "on_character_entered"), 1, 2),
    },
  },
  filter: {
    props: {
      include: list(oneOf("im", "mpim", "private", "public"), 1, 4),
      exclude_external_shared_channels: bool,
      exclude_bot_users: bool,
    },
  },
  slack_file: { props: { url: str(3000), id: str() }, check: exactlyOne("url", "id") },
  workflow: { props: { trigger: obj("trigger") }, required: ["trigger"] },
  trigger: {
    props: { url: str(), customizable_input_parameters: list(obj("input_parameter")) },
    required: ["url"],
  },
  input_parameter: { props: { name: str(), value: str() }, required: ["name", "value"] },
  feedback_button: {
    props: { text: plain(75), value: str(2000), accessibility_label: str(75) },
    required: ["text", "value"],
  },
  column_setting: {
    props: { align: oneOf("left", "center", "right"), is_wrapped: bool },
  },
};

// ---- elements ---------------------------------------------------------------------------------

const SINGLE_SELECTS = [
  "static_select",
  "external_select",
  "users_select",
  "conversations_select",
  "channels_select",
];
const MULTI_SELECTS = SINGLE_SELECTS.map((t) => `multi_${t}`);

/** Which element types may sit where. Context blocks also take text objects. */
export const PLACES: Record<Place, ReadonlySet<string>> = {
  // Multi-selects are not allowed in actions blocks: Slack refuses them although its JS SDK
  // types allow them (reported against every Slack SDK).
  actions: new Set([
    "button",
    "checkboxes",
    "datepicker",
    "datetimepicker",
    "overflow",
    "radio_buttons",
    "timepicker",
    "workflow_button",
    "rich_text_input",
    ...SINGLE_SELECTS,
  ]),
  accessory: new Set([
    "button",
    "checkboxes",
    "datepicker",
    "image",
    "overflow",
    "radio_buttons",
    "timepicker",
    "workflow_button",
    ...SINGLE_SELECTS,
    ...MULTI_SELECTS,
  ]),
  input: new Set([
    "plain_text_input",
    "email_text_input",
    "url_text_input",
    "number_input",
    "checkboxes",
    "radio_buttons",
    "datepicker",
    "timepicker",
    "datetimepicker",
    "rich_text_input",
    "file_input",
    ...SINGLE_SELECTS,
    ...MULTI_SELECTS,
  ]),
  context: new Set(["image", "plain_text", "mrkdwn"]),
  context_actions: new Set(["feedback_buttons", "icon_button"]),
};

const DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$/;
const TIME = /^([01][0-9]|2[0-3]):[0-5][0-9]$/;

const sameOption = (a: Json, b: Json) => JSON.stringify(canon(a)) === JSON.stringify(canon(b));
function canon(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canon);
  if (typeof v !== "object" || v === null) return v;
  return Object.fromEntries(
    Object.keys(v)
      .sort()
      .map((k) => [k, canon((v as Json)[k])]),
  );
}

/** initial_option(s) must equal one of the options exactly: text, value and description. */
function initialAmong(options: Json[], key: "initial_option" | "initial_options") {
  return (v: Json, at: string, ctx: RuleContext) => {
    const initial: unknown[] = key === "initial_option" ? [v[key]] : (v[key] ?? []);
    if (v[key] === undefined) return;
    initial.forEach((o, i) => {
      if (!options.some((opt) => sameOption(opt, o as Json)))
        ctx.add(
          key === "initial_option" ? `${at}/${key}` : `${at}/${key}/${i}`,
          "must be one of the provided options",
        );
    });
  };
}

function staticSelectCheck(v: Json, at: string, ctx: RuleContext): void {
  if ((v.options === undefined) === (v.option_groups === undefined)) {
    ctx.add(at, "`options` or `option_groups` must be specified (exactly one)");
    return;
  }
  const groups: Json[][] = v.options ? [v.options] : v.option_groups.map((g: Json) => g.options);
  const key = v.type === "static_select" ? "initial_option" : "initial_options";
  initialAmong(groups.flat(), key)(v, at, ctx);
  // Initial options from different option groups are refused (a long-standing Slack bug).
  if (v.option_groups && key === "initial_options" && Array.isArray(v.initial_options)) {
    const used = new Set(
      v.initial_options.map((o: Json) => groups.findIndex((g) => g.some((x) => sameOption(x, o)))),
    );
    if (used.size > 1) ctx.add(`${at}/initial_options`, "must all come from the same option group");
  }
}

function responseUrlCheck(v: Json, at: string, ctx: RuleContext): void {
  if (v.response_url_enabled === true && ctx.surface !== "modal")
    ctx.add(`${at}/response_url_enabled`, "is only allowed in modals");
}

const selectBase = { ...interactive, placeholder: plain(150) };
const multi = { max_selected_items: int(1) };
const textInput = {
  ...interactive,
  placeholder: plain(150),
  initial_value: str(),
  dispatch_action_config: obj("dispatch_action_config"),
};

export const ELEMENTS: Record<string, Shape> = {
  button: {
    props: {
      text: plain(75),
      action_id: id,
      url: str(3000),
      value: str(2000),
      style,
      confirm: obj("confirm"),
      accessibility_label: str(75),
    },
    required: ["text"],
  },
  workflow_button: {
    props: {
      text: plain(75),
      workflow: obj("workflow"),
      action_id: id,
      style,
      accessibility_label: str(75),
    },
    required: ["text", "workflow"],
  },
  overflow: {
    props: { action_id: id, confirm: obj("confirm"), options: list(obj("overflow_option"), 2, 5) },
    required: ["options"],
  },
  checkboxes: {
    props: {
      ...interactive,
      options: list(obj("choice"), 1, 10),
      initial_options: list(obj("choice"), 1, 10),
    },
    required: ["options"],
    check: (v, at, ctx) => initialAmong(v.options, "initial_options")(v, at, ctx),
  },
  radio_buttons: {
    props: { ...interactive, options: list(obj("choice"), 1, 10), initial_option: obj("choice") },
    required: ["options"],
    check: (v, at, ctx) => initialAmong(v.options, "initial_option")(v, at, ctx),
  },
  datepicker: {
    props: { ...interactive, placeholder: plain(150), initial_date: { t: "str", re: DATE } },
  },
  timepicker: {
    props: {
      ...interactive,
      placeholder: plain(150),
      initial_time: { t: "str", re: TIME },
      timezone: str(),
    },
    check: (v, at, ctx) => {
      if (typeof v.timezone === "string" && !isTimeZone(v.timezone))
        ctx.add(`${at}/timezone`, "must be a valid IANA time zone");
    },
  },
  datetimepicker: {
    // Unix time in seconds: at most 10 digits, so milliseconds are refused.
    props: { ...interactive, initial_date_time: int(0, 9_999_999_999) },
  },
  static_select: {
    props: {
      ...selectBase,
      options: list(obj("option"), 1, 100),
      option_groups: list(obj("option_group"), 1, 100),
      initial_option: obj("option"),
    },
    check: staticSelectCheck,
  },
  multi_static_select: {
    props: {
      ...selectBase,
      ...multi,
      options: list(obj("option"), 1, 100),
      option_groups: list(obj("option_group"), 1, 100),
      initial_options: list(obj("option"), 1, 100),
    },
    check: staticSelectCheck,
  },
  external_select: {
    props: { ...selectBase, initial_option: obj("option"), min_query_length: int(0) },
  },
  multi_external_select: {
    props: {
      ...selectBase,
      ...multi,
      initial_options: list(obj("option"), 1, 100),
      min_query_length: int(0),
    },
  },
  users_select: { props: { ...selectBase, initial_user: str() } },
  multi_users_select: { props: { ...selectBase, ...multi, initial_users: list(str(), 1) } },
  conversations_select: {
    props: {
      ...selectBase,
      initial_conversation: str(),
      default_to_current_conversation: bool,
      response_url_enabled: bool,
      filter: obj("filter"),
    },
    check: responseUrlCheck,
  },
  multi_conversations_select: {
    props: {
      ...selectBase,
      ...multi,
      initial_conversations: list(str(), 1),
      default_to_current_conversation: bool,
      filter: obj("filter"),
    },
  },
  channels_select: {
    props: { ...selectBase, initial_channel: str(), response_url_enabled: bool },
    check: responseUrlCheck,
  },
  multi_channels_select: {
    props: { ...selectBase, ...multi, initial_channels: list(str(), 1) },
  },
  plain_text_input: {
    props: {
      ...textInput,
      multiline: bool,
      min_length: int(0, 3000),
      max_length: int(1, 3000),
    },
    check: (v, at, ctx) => {
      const max = v.max_length ?? 3000;
      if (typeof v.min_length === "number" && v.min_length > max)
        ctx.add(`${at}/min_length`, "must not be greater than max_length");
      if (typeof v.initial_value === "string" && v.initial_value.length > max)
        ctx.add(`${at}/initial_value`, `must be less than ${max + 1} characters (max_length)`);
    },
  },
  email_text_input: { props: textInput },
  url_text_input: { props: textInput },
  number_input: {
    props: { ...textInput, is_decimal_allowed: bool, min_value: str(), max_value: str() },
    required: ["is_decimal_allowed"],
    check: (v, at, ctx) => {
      for (const k of ["initial_value", "min_value", "max_value"])
        if (typeof v[k] === "string" && !Number.isFinite(Number(v[k])))
          ctx.add(`${at}/${k}`, "must be a number");
      if (Number(v.min_value) > Number(v.max_value))
        ctx.add(`${at}/min_value`, "must not be greater than max_value");
    },
  },
  file_input: { props: { action_id: id, filetypes: list(str()), max_files: int(1, 10) } },
  rich_text_input: {
    props: {
      ...interactive,
      placeholder: plain(150),
      initial_value: { t: "rich" },
      dispatch_action_config: obj("dispatch_action_config"),
      min_lines: int(1, 100),
      max_lines: int(1, 100),
    },
  },
  image: {
    props: { image_url: str(3000), slack_file: obj("slack_file"), alt_text: str(2000, 1) },
    required: ["alt_text"],
    check: exactlyOne("image_url", "slack_file"),
  },
  feedback_buttons: {
    props: {
      action_id: id,
      positive_button: obj("feedback_button"),
      negative_button: obj("feedback_button"),
    },
    required: ["positive_button", "negative_button"],
  },
  icon_button: {
    props: {
      icon: str(),
      text: plain(75),
      action_id: id,
      value: str(2000),
      confirm: obj("confirm"),
      accessibility_label: str(75),
      visible_to_user_ids: list(str()),
    },
    required: ["icon", "text"],
  },
};

/** Element types whose `focus_on_load` counts against the one-per-view rule. */
export const FOCUSABLE = new Set(
  Object.entries(ELEMENTS)
    .filter(([, s]) => "focus_on_load" in s.props)
    .map(([t]) => t),
);

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

// ---- rich text --------------------------------------------------------------------------------

const richStyle = obj("rich_style");
const border = int(0, 1);
OBJECTS.rich_style = {
  props: { bold: bool, italic: bool, strike: bool, code: bool, underline: bool },
};

/** Inline elements of rich text sections, quotes and preformatted blocks. */
/** The raw_text table cell. */
export const RAW_TEXT: Shape = { props: { text: str(undefined, 1) }, required: ["text"] };

export const RICH_INLINE: Record<string, Shape> = {
  text: { props: { text: str(undefined, 1), style: richStyle }, required: ["text"] },
  link: {
    props: { url: str(), text: str(), unsafe: bool, style: richStyle },
    required: ["url"],
  },
  emoji: { props: { name: str(undefined, 1), unicode: str(), skin_tone: int(1, 6) } },
  user: { props: { user_id: str(), style: richStyle }, required: ["user_id"] },
  channel: { props: { channel_id: str(), style: richStyle }, required: ["channel_id"] },
  usergroup: { props: { usergroup_id: str(), style: richStyle }, required: ["usergroup_id"] },
  team: { props: { team_id: str(), style: richStyle }, required: ["team_id"] },
  date: {
    props: { timestamp: int(0), format: str(), url: str(), fallback: str() },
    required: ["timestamp", "format"],
  },
  broadcast: { props: { range: oneOf("here", "channel", "everyone") }, required: ["range"] },
  color: { props: { value: str() }, required: ["value"] },
};

/** Top-level elements of a rich_text block; `elements` lists what each may contain. */
export const RICH_SECTIONS: Record<string, Shape & { children: readonly string[] }> = {
  rich_text_section: { props: {}, children: Object.keys(RICH_INLINE) },
  rich_text_list: {
    props: { style: oneOf("bullet", "ordered"), indent: int(0, 8), offset: int(0), border },
    required: ["style"],
    children: ["rich_text_section"],
  },
  rich_text_preformatted: { props: { border }, children: ["text", "link"] },
  rich_text_quote: { props: { border }, children: Object.keys(RICH_INLINE) },
};

// ---- blocks -----------------------------------------------------------------------------------

const ALL: readonly Surface[] = ["message", "modal", "home", "unfurl"];
const MESSAGES: readonly Surface[] = ["message", "unfurl"];
const VIEWS: readonly Surface[] = ["modal", "home"];

export const BLOCKS: Record<string, BlockShape> = {
  section: {
    surfaces: ALL,
    props: {
      block_id: id,
      text: text(3000),
      fields: list(text(2000), 1, 10),
      accessory: el("accessory"),
      expand: bool,
    },
    check: (v, at, ctx) => {
      if (v.text === undefined && v.fields === undefined)
        ctx.add(at, "must define either `text` or `fields`");
    },
  },
  actions: {
    surfaces: ALL,
    props: { block_id: id, elements: list(el("actions"), 1, 25) },
    required: ["elements"],
  },
  context: {
    surfaces: ALL,
    props: { block_id: id, elements: list(el("context"), 1, 10) },
    required: ["elements"],
  },
  context_actions: {
    surfaces: MESSAGES,
    props: { block_id: id, elements: list(el("context_actions"), 1, 5) },
    required: ["elements"],
  },
  divider: { surfaces: ALL, props: { block_id: id } },
  header: { surfaces: ALL, props: { block_id: id, text: plain(150) }, required: ["text"] },
  image: {
    surfaces: ALL,
    props: {
      block_id: id,
      image_url: str(3000),
      slack_file: obj("slack_file"),
      alt_text: str(2000, 1),
      title: plain(2000),
    },
    required: ["alt_text"],
    check: exactlyOne("image_url", "slack_file"),
  },
  // Input blocks belong to modals and the Home tab; chat.postMessage refuses them (reported).
  input: {
    surfaces: VIEWS,
    props: {
      block_id: id,
      label: plain(2000),
      element: el("input"),
      hint: plain(2000),
      optional: bool,
      dispatch_action: bool,
    },
    required: ["label", "element"],
    check: (v, at, ctx) => {
      if (v.dispatch_action === true && v.element?.type === "file_input")
        ctx.add(`${at}/dispatch_action`, "unsupported type: file_input cannot dispatch actions");
    },
  },
  markdown: {
    surfaces: MESSAGES,
    props: { block_id: id, text: str(LIMITS.markdownText, 1) },
    required: ["text"],
  },
  rich_text: {
    surfaces: ALL,
    props: { block_id: id, elements: { t: "rich_elements" } },
    required: ["elements"],
  },
  table: {
    surfaces: MESSAGES,
    props: {
      block_id: id,
      rows: list(list({ t: "cell" }, 1, 20), 1, 100),
      column_settings: list({ t: "nullable", of: obj("column_setting") }, 0, 20),
    },
    required: ["rows"],
  },
  video: {
    surfaces: ALL,
    props: {
      block_id: id,
      alt_text: str(undefined, 1),
      title: plain(199),
      title_url: str(3000),
      description: plain(3000),
      video_url: { t: "str", re: /^https:\/\// },
      thumbnail_url: str(3000),
      author_name: str(49),
      provider_name: str(),
      provider_icon_url: str(3000),
    },
    required: ["alt_text", "title", "video_url", "thumbnail_url"],
  },
  file: {
    surfaces: MESSAGES,
    props: { block_id: id, external_id: str(), source: oneOf("remote") },
    required: ["external_id", "source"],
  },
};

/** Top-level properties of a view as the app sends it, per view type. */
export const VIEW_SHAPES: Record<"modal" | "home", Shape> = {
  modal: {
    props: {
      title: plain(24),
      submit: plain(24),
      close: plain(24),
      private_metadata: str(LIMITS.privateMetadata),
      callback_id: id,
      external_id: id,
      clear_on_close: bool,
      notify_on_close: bool,
    },
    required: ["title"],
  },
  // The Home tab has no title, submit or close.
  home: {
    props: { private_metadata: str(LIMITS.privateMetadata), callback_id: id, external_id: id },
  },
};
