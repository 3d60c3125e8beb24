import { randomBytes } from "node:crypto";
import type { Json } from "./types.ts";

/**
 * Light Block Kit validation with Slack's documented limits, so a renderer bug fails a test the
 * way it would fail in Slack. Returns the first problem found, in Slack's
 * `[ERROR] … [json-pointer:…]` style, or undefined.
 */
export function blockProblem(blocks: unknown, surface: "message" | "modal"): string | undefined {
  if (!Array.isArray(blocks)) return err("must be an array", "/blocks");
  const max = surface === "message" ? 50 : 100;
  if (blocks.length > max) return err(`must be less than ${max + 1} items`, "/blocks");
  const ids = new Set<string>();
  for (const [i, block] of blocks.entries()) {
    const at = `/blocks/${i}`;
    if (!isObj(block) || typeof block.type !== "string") return err("must be a block", at);
    if (block.block_id !== undefined) {
      if (typeof block.block_id !== "string" || block.block_id.length > 255)
        return err("block_id must be a string of at most 255 characters", `${at}/block_id`);
      if (ids.has(block.block_id)) return err("duplicate block_id", `${at}/block_id`);
      ids.add(block.block_id);
    }
    const p = checkBlock(block, at);
    if (p) return p;
  }
  return undefined;
}

const BLOCK_TYPES = new Set([
  "section",
  "actions",
  "context",
  "context_actions",
  "divider",
  "header",
  "image",
  "input",
  "rich_text",
  "markdown",
  "file",
  "video",
  "table",
]);

function checkBlock(block: Json, at: string): string | undefined {
  if (!BLOCK_TYPES.has(block.type)) return err(`unknown block type "${block.type}"`, at);
  switch (block.type) {
    case "section": {
      if (block.text === undefined && block.fields === undefined)
        return err("section needs text or fields", at);
      if (block.text !== undefined) {
        const p = textProblem(block.text, 3000, `${at}/text`);
        if (p) return p;
      }
      if (block.fields !== undefined) {
        if (!Array.isArray(block.fields) || block.fields.length > 10)
          return err("fields must have at most 10 items", `${at}/fields`);
        for (const [j, f] of block.fields.entries()) {
          const p = textProblem(f, 2000, `${at}/fields/${j}`);
          if (p) return p;
        }
      }
      return block.accessory === undefined
        ? undefined
        : elementProblem(block.accessory, `${at}/accessory`);
    }
    case "header":
      return textProblem(block.text, 150, `${at}/text`, "plain_text");
    case "context":
      if (!Array.isArray(block.elements) || block.elements.length < 1 || block.elements.length > 10)
        return err("context elements must have 1 to 10 items", `${at}/elements`);
      for (const [j, e] of block.elements.entries()) {
        if (isObj(e) && (e.type === "mrkdwn" || e.type === "plain_text")) {
          const p = textProblem(e, 3000, `${at}/elements/${j}`);
          if (p) return p;
        }
      }
      return undefined;
    case "actions": {
      if (!Array.isArray(block.elements) || block.elements.length < 1 || block.elements.length > 25)
        return err("actions elements must have 1 to 25 items", `${at}/elements`);
      const actionIds = new Set<string>();
      for (const [j, e] of block.elements.entries()) {
        const p = elementProblem(e, `${at}/elements/${j}`);
        if (p) return p;
        if (typeof e.action_id === "string") {
          if (actionIds.has(e.action_id))
            return err("duplicate action_id", `${at}/elements/${j}/action_id`);
          actionIds.add(e.action_id);
        }
      }
      return undefined;
    }
    case "input": {
      const p = textProblem(block.label, 2000, `${at}/label`, "plain_text");
      if (p) return p;
      if (block.hint !== undefined) {
        const h = textProblem(block.hint, 2000, `${at}/hint`, "plain_text");
        if (h) return h;
      }
      if (!isObj(block.element)) return err("input needs an element", `${at}/element`);
      return elementProblem(block.element, `${at}/element`);
    }
    default:
      return undefined;
  }
}

const SELECTS_WITH_OPTIONS = new Set(["static_select", "multi_static_select"]);

function elementProblem(e: unknown, at: string): string | undefined {
  if (!isObj(e) || typeof e.type !== "string") return err("must be an element", at);
  if (e.action_id !== undefined && (typeof e.action_id !== "string" || e.action_id.length > 255))
    return err("action_id must be a string of at most 255 characters", `${at}/action_id`);
  if (e.placeholder !== undefined) {
    const p = textProblem(e.placeholder, 150, `${at}/placeholder`, "plain_text");
    if (p) return p;
  }
  switch (e.type) {
    case "button": {
      const p = textProblem(e.text, 75, `${at}/text`, "plain_text");
      if (p) return p;
      if (e.value !== undefined && String(e.value).length > 2000)
        return err("value must be at most 2000 characters", `${at}/value`);
      if (e.url !== undefined && String(e.url).length > 3000)
        return err("url must be at most 3000 characters", `${at}/url`);
      return undefined;
    }
    case "overflow":
      return optionsProblem(e.options, 2, 5, at);
    case "radio_buttons":
    case "checkboxes":
      return optionsProblem(e.options, 1, 10, at);
    case "plain_text_input":
      if (e.max_length !== undefined && (e.max_length < 1 || e.max_length > 3000))
        return err("max_length must be 1 to 3000", `${at}/max_length`);
      if (typeof e.initial_value === "string" && e.initial_value.length > (e.max_length ?? 3000))
        return err("initial_value is longer than max_length", `${at}/initial_value`);
      return undefined;
    default:
      if (SELECTS_WITH_OPTIONS.has(e.type)) return staticSelectProblem(e, at);
      return undefined;
  }
}

function staticSelectProblem(e: Json, at: string): string | undefined {
  let all: Json[] = [];
  if (e.option_groups !== undefined) {
    if (!Array.isArray(e.option_groups) || e.option_groups.length > 100)
      return err("option_groups must have at most 100 items", `${at}/option_groups`);
    for (const [g, group] of e.option_groups.entries()) {
      const p = optionsProblem(group?.options, 1, 100, `${at}/option_groups/${g}`);
      if (p) return p;
      all = all.concat(group.options);
    }
  } else {
    const p = optionsProblem(e.options, 1, 100, at);
    if (p) return p;
    all = e.options;
  }
  const initial: Json[] = e.initial_option ? [e.initial_option] : (e.initial_options ?? []);
  for (const opt of initial) {
    if (!all.some((o) => o.value === opt?.value && o.text?.text === opt?.text?.text))
      return err("initial option must match one of the options exactly", `${at}/initial_option`);
  }
  return undefined;
}

function optionsProblem(options: unknown, min: number, max: number, at: string) {
  if (!Array.isArray(options) || options.length < min || options.length > max)
    return err(`options must have ${min} to ${max} items`, `${at}/options`);
  for (const [k, o] of options.entries()) {
    const p = textProblem(o?.text, 75, `${at}/options/${k}/text`);
    if (p) return p;
    if (typeof o.value !== "string" || o.value.length > 150)
      return err("option value must be a string of at most 150 characters", `${at}/options/${k}`);
  }
  return undefined;
}

function textProblem(t: unknown, max: number, at: string, only?: "plain_text"): string | undefined {
  if (!isObj(t) || (t.type !== "plain_text" && t.type !== "mrkdwn"))
    return err("must be a text object", at);
  if (only && t.type !== only) return err(`must be ${only}`, `${at}/type`);
  if (typeof t.text !== "string" || t.text.length < 1)
    return err("must be more than 0 characters", `${at}/text`);
  if (t.text.length > max) return err(`must be less than ${max + 1} characters`, `${at}/text`);
  return undefined;
}

/** Slack fills in block_id and action_id when the app leaves them out. */
export function withGeneratedIds(blocks: Json[]): Json[] {
  return blocks.map((b) => {
    const block: Json = { ...b, block_id: b.block_id ?? randomId() };
    if (Array.isArray(block.elements) && block.type === "actions")
      block.elements = block.elements.map(withActionId);
    if (isObj(block.accessory)) block.accessory = withActionId(block.accessory);
    if (isObj(block.element)) block.element = withActionId(block.element);
    return block;
  });
}

function withActionId(e: Json): Json {
  return { ...e, action_id: e.action_id ?? randomId() };
}

function randomId(): string {
  return randomBytes(3).toString("base64url");
}

export interface FoundElement {
  block: Json;
  element: Json;
  /** Where the element lives: an actions block, a section accessory, or an input block. */
  place: "actions" | "accessory" | "input";
}

/** Every interactive element in a list of blocks, in display order. */
export function interactiveElements(blocks: Json[]): FoundElement[] {
  const found: FoundElement[] = [];
  for (const block of blocks) {
    if (block.type === "actions" && Array.isArray(block.elements)) {
      for (const element of block.elements) found.push({ block, element, place: "actions" });
    } else if (block.type === "section" && isObj(block.accessory)) {
      found.push({ block, element: block.accessory, place: "accessory" });
    } else if (block.type === "input" && isObj(block.element)) {
      found.push({ block, element: block.element, place: "input" });
    }
  }
  return found;
}

function err(message: string, pointer: string): string {
  return `[ERROR] ${message} [json-pointer:${pointer}]`;
}

function isObj(v: unknown): v is Json {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
