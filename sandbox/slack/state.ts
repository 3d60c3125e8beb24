import { type FoundElement, interactiveElements } from "./blocks.ts";
import type { Json } from "./types.ts";

/**
 * What a test may give for an element's value: a full state value (`{ selected_option: … }`),
 * or a shorthand the driver converts by element type — a string (text, option value, user id,
 * channel id, date "2025-01-31", time "13:30"), a string[] for multi-selects/checkboxes, a
 * number for datetimepicker, or null to clear.
 */
export type StateInput = Json | string | string[] | number | null;

const STATEFUL = new Set([
  "plain_text_input",
  "email_text_input",
  "url_text_input",
  "number_input",
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
  "datepicker",
  "timepicker",
  "datetimepicker",
  "radio_buttons",
  "checkboxes",
]);

export function isStateful(element: Json): boolean {
  return STATEFUL.has(element.type);
}

/** The state Slack reports for an element nobody touched: its initial value, else empty. */
export function defaultState(e: Json): Json {
  const type = e.type as string;
  const option = (o: Json | undefined) => (o ? pickOption(o) : null);
  switch (type) {
    case "plain_text_input":
    case "email_text_input":
    case "url_text_input":
    case "number_input":
      return { type, value: e.initial_value ?? null };
    case "rich_text_input":
      return { type, rich_text_value: e.initial_value ?? richText("") };
    case "static_select":
    case "external_select":
    case "radio_buttons":
      return { type, selected_option: option(e.initial_option) };
    case "multi_static_select":
    case "multi_external_select":
    case "checkboxes":
      return { type, selected_options: (e.initial_options ?? []).map(pickOption) };
    case "users_select":
      return { type, selected_user: e.initial_user ?? null };
    case "multi_users_select":
      return { type, selected_users: e.initial_users ?? [] };
    case "conversations_select":
      return { type, selected_conversation: e.initial_conversation ?? null };
    case "multi_conversations_select":
      return { type, selected_conversations: e.initial_conversations ?? [] };
    case "channels_select":
      return { type, selected_channel: e.initial_channel ?? null };
    case "multi_channels_select":
      return { type, selected_channels: e.initial_channels ?? [] };
    case "datepicker":
      return { type, selected_date: e.initial_date ?? null };
    case "timepicker":
      return { type, selected_time: e.initial_time ?? null };
    case "datetimepicker":
      return { type, selected_date_time: e.initial_date_time ?? null };
    default:
      return { type };
  }
}

/** Convert a test's StateInput for element `e` into the state value Slack would send. */
export function toStateValue(e: Json, input: StateInput): Json {
  const type = e.type as string;
  if (input !== null && typeof input === "object" && !Array.isArray(input))
    return { ...input, type };
  const one = (v: unknown) => (v === null ? null : String(v));
  const many = (v: unknown) => (v === null ? [] : Array.isArray(v) ? v.map(String) : [String(v)]);
  switch (type) {
    case "plain_text_input":
    case "email_text_input":
    case "url_text_input":
    case "number_input":
      return { type, value: one(input) };
    case "rich_text_input":
      return { type, rich_text_value: richText(one(input) ?? "") };
    case "static_select":
    case "radio_buttons":
    case "overflow":
      return { type, selected_option: input === null ? null : findOption(e, String(input)) };
    case "external_select":
      return { type, selected_option: input === null ? null : plainOption(String(input)) };
    case "multi_static_select":
    case "checkboxes":
      return { type, selected_options: many(input).map((v) => findOption(e, v)) };
    case "multi_external_select":
      return { type, selected_options: many(input).map(plainOption) };
    case "users_select":
      return { type, selected_user: one(input) };
    case "multi_users_select":
      return { type, selected_users: many(input) };
    case "conversations_select":
      return { type, selected_conversation: one(input) };
    case "multi_conversations_select":
      return { type, selected_conversations: many(input) };
    case "channels_select":
      return { type, selected_channel: one(input) };
    case "multi_channels_select":
      return { type, selected_channels: many(input) };
    case "datepicker":
      return { type, selected_date: one(input) };
    case "timepicker":
      return { type, selected_time: one(input) };
    case "datetimepicker":
      return { type, selected_date_time: input === null ? null : Number(input) };
    default:
      throw new Error(`fake slack: cannot set a value on a ${type} element`);
  }
}

/** True when a state value holds nothing (what Slack's client refuses for required inputs). */
export function isEmptyState(v: Json): boolean {
  for (const [k, x] of Object.entries(v)) {
    if (k === "type") continue;
    if (k === "rich_text_value") return richTextPlain(x).trim() === "";
    if (Array.isArray(x) ? x.length > 0 : x !== null && x !== undefined && x !== "") return false;
  }
  return true;
}

/** Complete state.values for a view: every stateful element, current values kept. */
export function fullState(blocks: Json[], current: Json): Json {
  const values: Json = {};
  for (const { block, element } of interactiveElements(blocks)) {
    if (!isStateful(element)) continue;
    values[block.block_id] ??= {};
    values[block.block_id][element.action_id] =
      current[block.block_id]?.[element.action_id] ?? defaultState(element);
  }
  return values;
}

/** The Slack client's own checks before it lets a user submit a modal. */
export function clientProblems(blocks: Json[], values: Json): string[] {
  const problems: string[] = [];
  for (const { block, element, place } of interactiveElements(blocks)) {
    if (place !== "input" || !isStateful(element)) continue;
    const v: Json = values[block.block_id]?.[element.action_id] ?? defaultState(element);
    const where = `${block.block_id}/${element.action_id}`;
    if (isEmptyState(v)) {
      if (!block.optional) problems.push(`${where}: required`);
      continue;
    }
    const text = typeof v.value === "string" ? v.value : undefined;
    if (text === undefined) continue;
    if (element.min_length !== undefined && text.length < element.min_length)
      problems.push(`${where}: shorter than ${element.min_length}`);
    if (element.max_length !== undefined && text.length > element.max_length)
      problems.push(`${where}: longer than ${element.max_length}`);
    if (element.type === "number_input") {
      const n = Number(text);
      if (Number.isNaN(n) || (!element.is_decimal_allowed && !Number.isInteger(n)))
        problems.push(`${where}: not a valid number`);
      if (element.min_value !== undefined && n < Number(element.min_value))
        problems.push(`${where}: below ${element.min_value}`);
      if (element.max_value !== undefined && n > Number(element.max_value))
        problems.push(`${where}: above ${element.max_value}`);
    }
    if (element.type === "email_text_input" && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(text))
      problems.push(`${where}: not an email address`);
  }
  return problems;
}

export function findElement(
  blocks: Json[],
  actionId: string,
  match: { blockId?: string | undefined; value?: string | undefined; type?: string },
): FoundElement {
  const all = interactiveElements(blocks);
  const hit = all.find(
    ({ block, element }) =>
      element.action_id === actionId &&
      (match.blockId === undefined || block.block_id === match.blockId) &&
      (match.value === undefined || element.value === match.value) &&
      (match.type === undefined || element.type === match.type),
  );
  if (hit) return hit;
  const seen = all.map(
    ({ block, element }) => `${block.block_id}/${element.action_id}:${element.type}`,
  );
  const wanted = [
    actionId,
    match.blockId && `block ${match.blockId}`,
    match.value && `value ${match.value}`,
  ]
    .filter(Boolean)
    .join(", ");
  throw new Error(
    `fake slack: no ${match.type ?? "element"} (${wanted}); present: ${seen.join(" ") || "none"}`,
  );
}

function findOption(e: Json, value: string): Json {
  const options: Json[] =
    e.options ?? (e.option_groups ?? []).flatMap((g: Json) => g.options ?? []);
  const hit = options.find((o) => o.value === value);
  if (!hit) {
    const have = options.map((o) => o.value).join(", ");
    throw new Error(`fake slack: ${e.action_id} has no option "${value}" (has: ${have})`);
  }
  return pickOption(hit);
}

function pickOption(o: Json): Json {
  return { text: { emoji: true, ...o.text }, value: o.value };
}

function plainOption(value: string): Json {
  return { text: { type: "plain_text", text: value, emoji: true }, value };
}

function richText(text: string): Json {
  return {
    type: "rich_text",
    elements: [{ type: "rich_text_section", elements: text ? [{ type: "text", text }] : [] }],
  };
}

function richTextPlain(v: unknown): string {
  if (typeof v !== "object" || v === null) return "";
  const o = v as Json;
  if (typeof o.text === "string") return o.text;
  return Array.isArray(o.elements) ? o.elements.map(richTextPlain).join("") : "";
}
