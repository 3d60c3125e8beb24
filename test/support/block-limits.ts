/**
 * Test-side Block Kit checker: the documented limits Slack enforces (or silently truncates at)
 * for messages and modals. Lengths are counted in UTF-16 code units, which is never fewer than
 * Slack's own character count, so anything passing here fits there.
 */

export interface Surface {
  type: "message" | "modal";
  blocks: unknown[];
  text?: string | undefined;
  title?: unknown;
  submit?: unknown;
  close?: unknown;
  private_metadata?: string | undefined;
  callback_id?: string | undefined;
}

type Obj = Record<string, unknown>;
type Where = "actions" | "section" | "input";

const ID_MAX = 255;

const ELEMENTS_IN: Record<Where, ReadonlySet<string>> = {
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
    "static_select",
    "external_select",
    "users_select",
    "conversations_select",
    "channels_select",
    "multi_static_select",
    "multi_external_select",
    "multi_users_select",
    "multi_conversations_select",
    "multi_channels_select",
  ]),
  section: new Set([
    "button",
    "checkboxes",
    "datepicker",
    "image",
    "overflow",
    "radio_buttons",
    "timepicker",
    "workflow_button",
    "static_select",
    "external_select",
    "users_select",
    "conversations_select",
    "channels_select",
    "multi_static_select",
    "multi_external_select",
    "multi_users_select",
    "multi_conversations_select",
    "multi_channels_select",
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
    "static_select",
    "external_select",
    "users_select",
    "conversations_select",
    "channels_select",
    "multi_static_select",
    "multi_external_select",
    "multi_users_select",
    "multi_conversations_select",
    "multi_channels_select",
  ]),
};

/** Block types Slack accepts; only the common ones are inspected in depth. */
const BLOCK_TYPES = new Set([
  "actions",
  "context",
  "divider",
  "file",
  "header",
  "image",
  "input",
  "markdown",
  "rich_text",
  "section",
  "table",
  "video",
]);

function isObj(v: unknown): v is Obj {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

class Report {
  readonly problems: string[] = [];

  add(path: string, problem: string): void {
    this.problems.push(`${path}: ${problem}`);
  }

  /** An optional string no longer than `max`. */
  str(v: unknown, path: string, max: number, required = false): void {
    if (v === undefined) {
      if (required) this.add(path, "is required");
      return;
    }
    if (typeof v !== "string") this.add(path, `must be a string, got ${typeof v}`);
    else if (required && v.length === 0) this.add(path, "must not be empty");
    else if (v.length > max) this.add(path, `is ${v.length} characters, limit ${max}`);
  }

  /** A text object: plain_text (or mrkdwn when allowed) with a non-empty text <= max. */
  text(
    v: unknown,
    path: string,
    max: number,
    opts: { plainOnly?: boolean; required?: boolean } = {},
  ) {
    if (v === undefined) {
      if (opts.required !== false) this.add(path, "is required");
      return;
    }
    if (!isObj(v)) {
      this.add(path, "must be a text object");
      return;
    }
    if (v.type !== "plain_text" && v.type !== "mrkdwn") {
      this.add(`${path}.type`, `must be plain_text or mrkdwn, got ${JSON.stringify(v.type)}`);
      return;
    }
    if (opts.plainOnly && v.type !== "plain_text") this.add(`${path}.type`, "must be plain_text");
    if (typeof v.text !== "string") {
      this.add(`${path}.text`, "must be a string");
      return;
    }
    if (v.text.trim().length === 0) this.add(`${path}.text`, "must not be empty");
    if (v.text.length > max)
      this.add(`${path}.text`, `is ${v.text.length} characters, limit ${max}`);
    if (v.type === "plain_text" && "verbatim" in v) this.add(path, "verbatim is only for mrkdwn");
    if (v.type === "mrkdwn" && "emoji" in v) this.add(path, "emoji is only for plain_text");
  }

  list(v: unknown, path: string, min: number, max: number): unknown[] {
    if (!Array.isArray(v)) {
      this.add(path, "must be an array");
      return [];
    }
    if (v.length < min) this.add(path, `has ${v.length} items, minimum ${min}`);
    if (v.length > max) this.add(path, `has ${v.length} items, limit ${max}`);
    return v;
  }

  confirm(v: unknown, path: string): void {
    if (v === undefined) return;
    if (!isObj(v)) {
      this.add(path, "must be a confirmation object");
      return;
    }
    this.text(v.title, `${path}.title`, 100, { plainOnly: true });
    this.text(v.text, `${path}.text`, 300);
    this.text(v.confirm, `${path}.confirm`, 30, { plainOnly: true });
    this.text(v.deny, `${path}.deny`, 30, { plainOnly: true });
    this.style(v.style, `${path}.style`);
  }

  style(v: unknown, path: string): void {
    if (v !== undefined && v !== "primary" && v !== "danger") {
      this.add(path, `must be primary or danger, got ${JSON.stringify(v)}`);
    }
  }

  option(v: unknown, path: string, opts: { allowMrkdwn?: boolean; url?: boolean } = {}): void {
    if (!isObj(v)) {
      this.add(path, "must be an option object");
      return;
    }
    this.text(v.text, `${path}.text`, 75, { plainOnly: !opts.allowMrkdwn });
    this.str(v.value, `${path}.value`, 150, true);
    this.text(v.description, `${path}.description`, 75, {
      plainOnly: !opts.allowMrkdwn,
      required: false,
    });
    if (opts.url) this.str(v.url, `${path}.url`, 3000);
    else if (v.url !== undefined) this.add(`${path}.url`, "is only allowed in overflow menus");
  }

  options(v: unknown, path: string, max: number, opts: { allowMrkdwn?: boolean; url?: boolean }) {
    this.list(v, path, 1, max).forEach((o, i) => {
      this.option(o, `${path}[${i}]`, opts);
    });
  }

  /** static/external selects: options or option_groups (not both), initial options among them. */
  select(e: Obj, path: string, multi: boolean): void {
    const isStatic = e.type === "static_select" || e.type === "multi_static_select";
    if (isStatic) {
      const hasOptions = e.options !== undefined;
      const hasGroups = e.option_groups !== undefined;
      if (hasOptions === hasGroups) this.add(path, "needs exactly one of options or option_groups");
      if (hasOptions) this.options(e.options, `${path}.options`, 100, {});
      if (hasGroups) {
        this.list(e.option_groups, `${path}.option_groups`, 1, 100).forEach((g, i) => {
          const gp = `${path}.option_groups[${i}]`;
          if (!isObj(g)) {
            this.add(gp, "must be an option group object");
            return;
          }
          this.text(g.label, `${gp}.label`, 75, { plainOnly: true });
          this.options(g.options, `${gp}.options`, 100, {});
        });
      }
    }
    const initial = multi ? e.initial_options : e.initial_option;
    if (initial !== undefined) {
      const ip = `${path}.${multi ? "initial_options" : "initial_option"}`;
      const list = multi ? this.list(initial, ip, 0, 100) : [initial];
      list.forEach((o, i) => {
        this.option(o, multi ? `${ip}[${i}]` : ip, {});
      });
    }
    if (e.max_selected_items !== undefined) {
      const n = e.max_selected_items;
      if (typeof n !== "number" || n < 1) this.add(`${path}.max_selected_items`, "must be >= 1");
    }
  }

  element(v: unknown, path: string, where: Where, actionIds: Set<string>): void {
    if (!isObj(v)) {
      this.add(path, "must be an element object");
      return;
    }
    const type = typeof v.type === "string" ? v.type : String(v.type);
    if (!ELEMENTS_IN[where].has(type)) {
      this.add(`${path}.type`, `element type ${JSON.stringify(type)} is not allowed in ${where}`);
      return;
    }
    if (type === "image") {
      this.image(v, path);
      return;
    }
    this.str(v.action_id, `${path}.action_id`, ID_MAX);
    if (typeof v.action_id === "string") {
      if (actionIds.has(v.action_id)) {
        this.add(
          `${path}.action_id`,
          `duplicate action_id ${JSON.stringify(v.action_id)} in block`,
        );
      }
      actionIds.add(v.action_id);
    }
    this.confirm(v.confirm, `${path}.confirm`);
    if (v.placeholder !== undefined) {
      this.text(v.placeholder, `${path}.placeholder`, 150, { plainOnly: true });
    }
    switch (type) {
      case "button":
      case "workflow_button":
        this.text(v.text, `${path}.text`, 75, { plainOnly: true });
        this.str(v.value, `${path}.value`, 2000);
        this.str(v.url, `${path}.url`, 3000);
        this.str(v.accessibility_label, `${path}.accessibility_label`, 75);
        this.style(v.style, `${path}.style`);
        break;
      case "overflow":
        this.list(v.options, `${path}.options`, 1, 5).forEach((o, i) => {
          this.option(o, `${path}.options[${i}]`, { url: true });
        });
        break;
      case "checkboxes":
      case "radio_buttons":
        this.options(v.options, `${path}.options`, 10, { allowMrkdwn: true });
        break;
      case "static_select":
      case "external_select":
        this.select(v, path, false);
        break;
      case "multi_static_select":
      case "multi_external_select":
        this.select(v, path, true);
        break;
      case "plain_text_input":
        this.textInput(v, path);
        break;
      case "datepicker":
        if (v.initial_date !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(String(v.initial_date))) {
          this.add(`${path}.initial_date`, "must be YYYY-MM-DD");
        }
        break;
      case "timepicker":
        if (v.initial_time !== undefined && !/^\d{2}:\d{2}$/.test(String(v.initial_time))) {
          this.add(`${path}.initial_time`, "must be HH:mm");
        }
        break;
    }
  }

  textInput(v: Obj, path: string): void {
    const { min_length: min, max_length: max, initial_value: initial } = v;
    if (min !== undefined && (typeof min !== "number" || min < 0 || min > 3000)) {
      this.add(`${path}.min_length`, "must be 0..3000");
    }
    if (max !== undefined && (typeof max !== "number" || max < 1 || max > 3000)) {
      this.add(`${path}.max_length`, "must be 1..3000");
    }
    if (typeof min === "number" && typeof max === "number" && min > max) {
      this.add(path, "min_length is greater than max_length");
    }
    if (initial !== undefined && typeof initial !== "string") {
      this.add(`${path}.initial_value`, "must be a string");
    }
    if (typeof initial === "string" && typeof max === "number" && initial.length > max) {
      this.add(`${path}.initial_value`, `is ${initial.length} characters, max_length ${max}`);
    }
  }

  image(v: Obj, path: string): void {
    if (v.image_url === undefined && v.slack_file === undefined) {
      this.add(path, "needs image_url or slack_file");
    }
    this.str(v.image_url, `${path}.image_url`, 3000);
    this.str(v.alt_text, `${path}.alt_text`, 2000, true);
  }

  block(v: unknown, path: string, blockIds: Set<string>): void {
    if (!isObj(v)) {
      this.add(path, "must be a block object");
      return;
    }
    const type = v.type;
    if (typeof type !== "string" || !BLOCK_TYPES.has(type)) {
      this.add(`${path}.type`, `unknown block type ${JSON.stringify(type)}`);
      return;
    }
    if (v.block_id !== undefined) {
      this.str(v.block_id, `${path}.block_id`, ID_MAX);
      if (typeof v.block_id === "string") {
        if (blockIds.has(v.block_id)) {
          this.add(`${path}.block_id`, `duplicate block_id ${JSON.stringify(v.block_id)}`);
        }
        blockIds.add(v.block_id);
      }
    }
    const actionIds = new Set<string>();
    switch (type) {
      case "header":
        this.text(v.text, `${path}.text`, 150, { plainOnly: true });
        break;
      case "section":
        if (v.text === undefined && v.fields === undefined) this.add(path, "needs text or fields");
        if (v.text !== undefined) this.text(v.text, `${path}.text`, 3000);
        if (v.fields !== undefined) {
          this.list(v.fields, `${path}.fields`, 1, 10).forEach((f, i) => {
            this.text(f, `${path}.fields[${i}]`, 2000);
          });
        }
        if (v.accessory !== undefined) {
          this.element(v.accessory, `${path}.accessory`, "section", actionIds);
        }
        break;
      case "context":
        this.list(v.elements, `${path}.elements`, 1, 10).forEach((e, i) => {
          const ep = `${path}.elements[${i}]`;
          if (isObj(e) && e.type === "image") this.image(e, ep);
          else this.text(e, ep, 2000);
        });
        break;
      case "actions":
        this.list(v.elements, `${path}.elements`, 1, 25).forEach((e, i) => {
          this.element(e, `${path}.elements[${i}]`, "actions", actionIds);
        });
        break;
      case "input":
        this.text(v.label, `${path}.label`, 2000, { plainOnly: true });
        this.text(v.hint, `${path}.hint`, 2000, { plainOnly: true, required: false });
        if (v.element === undefined) this.add(`${path}.element`, "is required");
        else this.element(v.element, `${path}.element`, "input", actionIds);
        break;
      case "image":
        this.image(v, path);
        this.text(v.title, `${path}.title`, 2000, { plainOnly: true, required: false });
        break;
      case "markdown":
        this.str(v.text, `${path}.text`, 12000, true);
        break;
    }
  }
}

/** Every Block Kit limit the surface breaks; empty when it is fine. */
export function checkBlockKit(surface: Surface): string[] {
  const r = new Report();
  const modal = surface.type === "modal";
  const blocks = r.list(surface.blocks, "blocks", 0, modal ? 100 : 50);
  const blockIds = new Set<string>();
  blocks.forEach((b, i) => {
    r.block(b, `blocks[${i}]`, blockIds);
  });

  if (modal) {
    r.text(surface.title, "title", 24, { plainOnly: true });
    r.text(surface.submit, "submit", 24, { plainOnly: true, required: false });
    r.text(surface.close, "close", 24, { plainOnly: true, required: false });
    r.str(surface.private_metadata, "private_metadata", 3000);
    r.str(surface.callback_id, "callback_id", ID_MAX);
    const hasInput = blocks.some((b) => isObj(b) && b.type === "input");
    if (blocks.length === 0) r.add("blocks", "a modal needs at least one block");
    if (hasInput && surface.submit === undefined) r.add("submit", "is required with input blocks");
  } else {
    // Top-level text is the notification and screen-reader fallback; checked when given.
    if (surface.text !== undefined) {
      if (typeof surface.text !== "string" || surface.text.trim() === "") {
        r.add("text", "fallback text must be a non-empty string when given");
      } else r.str(surface.text, "text", 40000);
    }
  }
  return r.problems;
}

/** Throws listing every violation, so a failing test shows what broke and where. */
export function assertBlockKit(surface: Surface): void {
  const problems = checkBlockKit(surface);
  if (problems.length > 0) {
    throw new Error(`Block Kit violations (${problems.length}):\n- ${problems.join("\n- ")}`);
  }
}
