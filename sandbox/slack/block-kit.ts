/**
 * Checks messages and views against the Block Kit rule table (`block-rules.ts`) the way Slack's
 * server does. Each problem carries a JSON pointer, a message worded like Slack's
 * `[ERROR] … [json-pointer:…]` lines, and the error code the Web API method would answer with.
 */
import {
  BLOCKS,
  ELEMENTS,
  FOCUSABLE,
  LIMITS,
  OBJECTS,
  PLACES,
  type Place,
  RAW_TEXT,
  RICH_INLINE,
  RICH_SECTIONS,
  type RuleContext,
  type Shape,
  type Spec,
  type Surface,
  VIEW_SHAPES,
} from "./block-rules.ts";
import type { Json } from "./types.ts";

export type { Surface } from "./block-rules.ts";

export interface Problem {
  /** JSON pointer into the payload, e.g. `/blocks/0/text/text` or `/view/title`. */
  pointer: string;
  message: string;
  /** What the Web API method answers: invalid_blocks, msg_blocks_too_long, invalid_arguments… */
  error: string;
}

export interface Report {
  problems: Problem[];
  /** Allowed by Slack but almost certainly a mistake (e.g. a Home tab input nobody can send). */
  warnings: Problem[];
}

/** `[ERROR] must be less than 151 characters [json-pointer:/blocks/0/text/text]` */
export function formatProblem(p: Problem): string {
  return `[ERROR] ${p.message} [json-pointer:${p.pointer}]`;
}

/** A message (chat.postMessage, chat.update, chat.postEphemeral, response_url): text and blocks. */
export function checkMessage(
  msg: { text?: unknown; blocks?: unknown; attachments?: unknown },
  surface: "message" | "unfurl" = "message",
): Report {
  const w = new Walker(surface, "invalid_blocks");
  if (typeof msg.text === "string" && msg.text.length > LIMITS.messageText)
    w.add("/text", `must be less than ${LIMITS.messageText + 1} characters`, "msg_too_long");
  if (msg.blocks !== undefined) w.blocks(msg.blocks, "/blocks");
  if (msg.attachments !== undefined) {
    if (!Array.isArray(msg.attachments)) w.add("/attachments", "must be an array");
    else {
      if (msg.attachments.length > LIMITS.attachments)
        w.add("/attachments", tooMany(LIMITS.attachments), "too_many_attachments");
      msg.attachments.forEach((a, i) => {
        if (isObj(a) && a.blocks !== undefined) w.blocks(a.blocks, `/attachments/${i}/blocks`);
      });
    }
  }
  w.finish();
  return w.report();
}

/** chat.unfurl's `unfurls`: a map from each URL to an attachment-like object with blocks. */
export function checkUnfurls(unfurls: unknown): Report {
  if (!isObj(unfurls)) {
    const w = new Walker("unfurl", "invalid_arguments");
    w.add("/unfurls", "must provide an object");
    return w.report();
  }
  const all: Report = { problems: [], warnings: [] };
  for (const [url, unfurl] of Object.entries(unfurls)) {
    const r = checkMessage(isObj(unfurl) ? { blocks: unfurl.blocks } : {}, "unfurl");
    const at = `/unfurls/${url.replaceAll("~", "~0").replaceAll("/", "~1")}`;
    for (const p of r.problems) all.problems.push({ ...p, pointer: at + p.pointer });
  }
  return all;
}

/**
 * A view for views.open/push/update and response_action (`modal`) or views.publish (`home`).
 * Slack answers a bad view with invalid_arguments (view_too_large past 250 kB).
 */
export function checkView(view: unknown, accept: "modal" | "home"): Report {
  const w = new Walker(accept, "invalid_arguments");
  if (!isObj(view)) {
    w.add("/view", "must provide an object");
    return w.report();
  }
  if (view.type !== accept) {
    w.add("/view/type", "must be a valid enum value");
    return w.report();
  }
  w.shape(view, VIEW_SHAPES[accept], "/view", { typed: true, extra: ["blocks"] });
  if (view.blocks === undefined) w.add("/view", "missing required field: blocks");
  else w.blocks(view.blocks, "/view/blocks");
  w.finish();
  const blocks = Array.isArray(view.blocks) ? view.blocks : [];
  const inputs = blocks.filter((b) => isObj(b) && b.type === "input");
  if (accept === "modal" && inputs.length > 0 && view.submit === undefined)
    w.add("/view", "missing required field: submit (required when blocks contain input blocks)");
  if (accept === "home") {
    blocks.forEach((b, i) => {
      if (isObj(b) && b.type === "input" && b.dispatch_action !== true)
        w.warnings.push({
          pointer: `/view/blocks/${i}`,
          message:
            "input without dispatch_action: a Home tab has no submit, so its value never reaches the app",
          error: "",
        });
    });
  }
  if (Buffer.byteLength(JSON.stringify(view)) > LIMITS.viewBytes)
    w.add("/view", `must be at most ${LIMITS.viewBytes} bytes`, "view_too_large");
  return w.report();
}

class Walker implements RuleContext {
  readonly problems: Problem[] = [];
  readonly warnings: Problem[] = [];
  private textChars = 0;
  private markdownChars = 0;
  private tables = 0;
  private readonly blockIds = new Set<string>();
  private readonly focused: string[] = [];
  private readonly responseUrls: string[] = [];
  /** action_ids seen in the block being walked: they must be unique within it. */
  private actionIds = new Set<string>();

  readonly surface: Surface;
  private readonly error: string;

  constructor(surface: Surface, error: string) {
    this.surface = surface;
    this.error = error;
  }

  add(at: string, message: string, error = this.error): void {
    this.problems.push({ pointer: at, message, error });
  }

  report(): Report {
    return { problems: this.problems, warnings: this.warnings };
  }

  blocks(blocks: unknown, at: string): void {
    if (!Array.isArray(blocks)) {
      this.add(at, "must be an array");
      return;
    }
    const view = this.surface === "modal" || this.surface === "home";
    const max = view ? LIMITS.viewBlocks : LIMITS.messageBlocks;
    if (blocks.length > max) this.add(at, tooMany(max));
    if (view && blocks.length === 0) this.add(at, "must have at least 1 items");
    blocks.forEach((b, i) => {
      this.block(b, `${at}/${i}`);
    });
  }

  /** Rules over everything walked: one focus and one response URL; a message's text budgets. */
  finish(): void {
    for (const extra of this.focused.slice(1))
      this.add(extra, "only one element per view may set focus_on_load");
    for (const extra of this.responseUrls.slice(1))
      this.add(extra, "only one element per view may set response_url_enabled");
    if (this.surface === "modal" || this.surface === "home") return;
    if (this.markdownChars > LIMITS.markdownText)
      this.add(
        "/blocks",
        `markdown blocks hold ${this.markdownChars} characters together, limit ${LIMITS.markdownText}`,
      );
    if (this.textChars > LIMITS.messageBlocksText)
      this.add(
        "/blocks",
        `blocks hold ${this.textChars} characters of text, limit ${LIMITS.messageBlocksText}`,
        "msg_blocks_too_long",
      );
  }

  private block(v: unknown, at: string): void {
    if (!isObj(v) || typeof v.type !== "string") {
      this.add(at, "must provide an object with a type");
      return;
    }
    const shape = BLOCKS[v.type];
    if (!shape) {
      this.add(`${at}/type`, `unknown block type ${JSON.stringify(v.type)}`);
      return;
    }
    if (!shape.surfaces.includes(this.surface)) {
      this.add(`${at}/type`, `${v.type} blocks are not allowed in a ${this.surface}`);
      return;
    }
    if (typeof v.block_id === "string") {
      if (this.blockIds.has(v.block_id))
        this.add(`${at}/block_id`, `duplicate block_id ${JSON.stringify(v.block_id)}`);
      this.blockIds.add(v.block_id);
    }
    if (v.type === "table" && ++this.tables > 1)
      this.add(at, "only one table block is allowed per message");
    if (v.type === "markdown" && typeof v.text === "string") {
      this.markdownChars += v.text.length;
      this.textChars += v.text.length;
    }
    this.actionIds = new Set();
    this.shape(v, shape, at, { typed: true });
  }

  private element(v: unknown, at: string, place: Place): void {
    if (!isObj(v) || typeof v.type !== "string") {
      this.add(at, "must provide an element object with a type");
      return;
    }
    if (!PLACES[place].has(v.type)) {
      const known = v.type in ELEMENTS;
      this.add(
        `${at}/type`,
        known
          ? `${v.type} is not allowed in ${PLACE_NAMES[place]}`
          : `unknown element type ${JSON.stringify(v.type)}`,
      );
      return;
    }
    if (v.type === "plain_text" || v.type === "mrkdwn") {
      this.text(v, at, { t: "text", max: 3000 });
      return;
    }
    if (typeof v.action_id === "string") {
      if (this.actionIds.has(v.action_id))
        this.add(`${at}/action_id`, `duplicate action_id ${JSON.stringify(v.action_id)} in block`);
      this.actionIds.add(v.action_id);
    }
    if (FOCUSABLE.has(v.type) && v.focus_on_load === true) this.focused.push(`${at}/focus_on_load`);
    if (v.response_url_enabled === true) {
      if (place !== "input")
        this.add(`${at}/response_url_enabled`, "is only allowed in input blocks");
      this.responseUrls.push(`${at}/response_url_enabled`);
    }
    this.shape(v, ELEMENTS[v.type] as Shape, at, { typed: true });
  }

  /** Properties of an object against its shape: unknown, missing, then each one's spec. */
  /** `typed`: the object carries its `type`; `extra`: keys the caller checks itself. */
  shape(v: unknown, shape: Shape, at: string, opts: { typed?: boolean; extra?: string[] } = {}) {
    if (!isObj(v)) {
      this.add(at, "must provide an object");
      return;
    }
    const before = this.problems.length;
    for (const key of Object.keys(v)) {
      if ((opts.typed && key === "type") || opts.extra?.includes(key)) continue;
      if (!(key in shape.props)) this.add(at, `invalid additional property: ${key}`);
    }
    for (const key of shape.required ?? [])
      if (v[key] === undefined) this.add(at, `missing required field: ${key}`);
    for (const [key, spec] of Object.entries(shape.props)) {
      if (v[key] !== undefined) this.value(v[key], spec, `${at}/${key}`);
    }
    // Cross-property rules assume well-formed properties.
    if (shape.check && this.problems.length === before) shape.check(v, at, this);
  }

  private value(v: unknown, spec: Spec, at: string): void {
    switch (spec.t) {
      case "str":
        this.str(v, spec, at);
        break;
      case "bool":
        if (typeof v !== "boolean") this.add(at, "must be a boolean");
        break;
      case "int":
        if (typeof v !== "number" || !Number.isInteger(v)) this.add(at, "must be an integer");
        else if (spec.min !== undefined && v < spec.min)
          this.add(at, `must be at least ${spec.min}`);
        else if (spec.max !== undefined && v > spec.max)
          this.add(at, `must be at most ${spec.max}`);
        break;
      case "text":
        this.text(v, at, spec);
        break;
      case "obj":
        this.shape(v, OBJECTS[spec.name] as Shape, at);
        break;
      case "list":
        this.list(v, spec, at);
        break;
      case "el":
        this.element(v, at, spec.place);
        break;
      case "nullable":
        if (v !== null) this.value(v, spec.of, at);
        break;
      case "rich":
        if (isObj(v) && v.type === "rich_text")
          this.shape(v, BLOCKS.rich_text as Shape, at, { typed: true });
        else this.add(at, "must be a rich_text object");
        break;
      case "rich_elements":
        this.richElements(v, at);
        break;
      case "cell":
        if (isObj(v) && v.type === "raw_text") {
          if (typeof v.text === "string") this.textChars += v.text.length;
          this.shape(v, RAW_TEXT, at, { typed: true });
        } else this.value(v, { t: "rich" }, at);
        break;
    }
  }

  private list(v: unknown, spec: Extract<Spec, { t: "list" }>, at: string): void {
    if (!Array.isArray(v)) {
      this.add(at, "must be an array");
      return;
    }
    if (spec.min !== undefined && v.length < spec.min)
      this.add(at, `must have at least ${spec.min} items`);
    if (spec.max !== undefined && v.length > spec.max) this.add(at, tooMany(spec.max));
    v.forEach((item, i) => {
      this.value(item, spec.of, `${at}/${i}`);
    });
  }

  private str(v: unknown, spec: Extract<Spec, { t: "str" }>, at: string): void {
    if (typeof v !== "string") {
      this.add(at, "must be a string");
      return;
    }
    if (spec.min && v.length < spec.min)
      this.add(at, `must be more than ${spec.min - 1} characters`);
    if (spec.max !== undefined && v.length > spec.max)
      this.add(at, `must be less than ${spec.max + 1} characters`);
    if (spec.re && !spec.re.test(v)) this.add(at, "does not match the required format");
    if (spec.oneOf && !spec.oneOf.includes(v)) this.add(at, "must be a valid enum value");
  }

  /** A text object; counts toward the message's text budget. */
  private text(v: unknown, at: string, spec: Extract<Spec, { t: "text" }>): void {
    if (!isObj(v)) {
      this.add(at, "must provide a text object");
      return;
    }
    if (v.type !== "plain_text" && v.type !== "mrkdwn") {
      this.add(`${at}/type`, "must be a valid enum value (plain_text or mrkdwn)");
      return;
    }
    if (spec.plain && v.type !== "plain_text") this.add(`${at}/type`, "must be plain_text");
    const flag = v.type === "plain_text" ? "emoji" : "verbatim";
    for (const key of Object.keys(v))
      if (key !== "type" && key !== "text" && key !== flag)
        this.add(at, `invalid additional property: ${key}`);
    if (v[flag] !== undefined && typeof v[flag] !== "boolean")
      this.add(`${at}/${flag}`, "must be a boolean");
    if (typeof v.text !== "string") {
      this.add(`${at}/text`, "must be a string");
      return;
    }
    this.textChars += v.text.length;
    if (v.text.length === 0) this.add(`${at}/text`, "must be more than 0 characters");
    if (v.text.length > spec.max)
      this.add(`${at}/text`, `must be less than ${spec.max + 1} characters`);
  }

  private richElements(v: unknown, at: string): void {
    if (!Array.isArray(v)) {
      this.add(at, "must be an array");
      return;
    }
    if (v.length === 0) this.add(at, "must have at least 1 items");
    v.forEach((section, i) => {
      this.richTyped(section, `${at}/${i}`, Object.keys(RICH_SECTIONS));
    });
  }

  /** A rich text section/list/quote/preformatted or an inline element, of an allowed type. */
  private richTyped(v: unknown, at: string, allowed: readonly string[]): void {
    if (!isObj(v) || typeof v.type !== "string") {
      this.add(at, "must provide an object with a type");
      return;
    }
    if (!allowed.includes(v.type)) {
      this.add(`${at}/type`, "must be a valid enum value");
      return;
    }
    const section = RICH_SECTIONS[v.type];
    if (section) {
      this.shape(v, section, at, { typed: true, extra: ["elements"] });
      if (!Array.isArray(v.elements)) {
        this.add(`${at}/elements`, "must be an array");
        return;
      }
      v.elements.forEach((child, i) => {
        this.richTyped(child, `${at}/elements/${i}`, section.children);
      });
      return;
    }
    if (v.type === "text" && typeof v.text === "string") this.textChars += v.text.length;
    this.shape(v, RICH_INLINE[v.type] as Shape, at, { typed: true });
  }
}

const PLACE_NAMES: Record<Place, string> = {
  actions: "actions blocks",
  accessory: "a section accessory",
  input: "input blocks",
  context: "context blocks",
  context_actions: "context_actions blocks",
};

function tooMany(max: number): string {
  return `no more than ${max} items allowed`;
}

function isObj(v: unknown): v is Json {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
