import type { IncomingHttpHeaders } from "node:http";
import { parse as parseQuery } from "node:querystring";
import type { z } from "zod";
import {
  commandSchema,
  eventCallbackSchema,
  INTERACTION_TYPES,
  interactionSchema,
  urlVerificationSchema,
} from "./payload-schemas.ts";

export type PayloadVerdict =
  /** Hand to Bolt. */
  | { kind: "pass"; type: string; body: Record<string, unknown> }
  /** Well formed but nothing here handles it: acknowledge with an empty 200. */
  | { kind: "ignore"; type: string }
  /** Refuse with a 400; `problem` is for the log (field paths, never values). */
  | { kind: "reject"; problem: string };

const FORM = "application/x-www-form-urlencoded";

/**
 * Parses a verified request body exactly as Bolt's HTTPReceiver will (a form, its `payload`
 * field as JSON when present, else JSON) and checks its shape.
 */
export function checkPayload(headers: IncomingHttpHeaders, rawBody: Buffer): PayloadVerdict {
  let body: unknown;
  let isCommand = false;
  try {
    if (headers["content-type"] === FORM) {
      const form = parseQuery(rawBody.toString());
      if (form.payload !== undefined) {
        if (typeof form.payload !== "string")
          return { kind: "reject", problem: "payload repeated" };
        body = JSON.parse(form.payload);
      } else {
        body = form;
        isCommand = true;
      }
    } else {
      body = JSON.parse(rawBody.toString());
    }
  } catch {
    return { kind: "reject", problem: "body is not JSON or a form" };
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    return { kind: "reject", problem: "body is not an object" };
  }
  if (isCommand) return verdict("command", commandSchema, body);

  const type = (body as { type?: unknown }).type;
  if (typeof type !== "string") return { kind: "reject", problem: "no type" };
  if (type === "event_callback") return verdict(type, eventCallbackSchema, body);
  if (type === "url_verification") return verdict(type, urlVerificationSchema, body);
  if (INTERACTION_TYPES.has(type)) return verdict(type, interactionSchema, body);
  return { kind: "ignore", type };
}

function verdict(type: string, schema: z.ZodType, body: object): PayloadVerdict {
  const parsed = schema.safeParse(body);
  if (parsed.success) return { kind: "pass", type, body: body as Record<string, unknown> };
  const where = parsed.error.issues
    .slice(0, 3)
    .map((i) => `${i.path.join(".") || "(body)"}: ${i.code}`)
    .join("; ");
  return { kind: "reject", problem: `${type}: ${where}` };
}
