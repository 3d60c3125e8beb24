import { randomBytes } from "node:crypto";
import type { Json } from "./types.ts";

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

function isObj(v: unknown): v is Json {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
