/**
 * Put Tallyfy's 422 answers on the input they are about: `{"errors":{"name":[…]}}` on the name,
 * "<label> is required" on that kick-off field. What names no input becomes a general message.
 */
import type { TallyfyValidationError } from "../../tallyfy/errors.ts";
import type { KickoffField } from "../../tallyfy/schemas.ts";
import { plainLine } from "../text.ts";

export interface FormTargets {
  /** Block ids of the run inputs present in the view. */
  name: string;
  summary: string;
  owner: string;
  tags: string;
  /** Kick-off fields that are inputs in the view (file/table fields are not). */
  fields: KickoffField[];
  fieldBlockId: (fieldId: string) => string;
  /** Other keys Tallyfy names -> block id (a task's `title`, `deadline`, `owners.users`…). */
  keys?: Record<string, string> | undefined;
}

export interface MappedValidation {
  /** Block id -> message, for response_action "errors". */
  errors: Record<string, string>;
  /** Messages that name no input. */
  general: string[];
}

const RUN_KEYS: Record<string, keyof Omit<FormTargets, "fields" | "fieldBlockId" | "keys">> = {
  name: "name",
  summary: "summary",
  owner_id: "owner",
  owner: "owner",
  tags: "tags",
};

/** Slack shows input errors as plain text; keep them one readable line. */
const line = (s: string) => plainLine(s, 300);

export function mapValidationError(
  error: Pick<TallyfyValidationError, "fieldErrors" | "tallyfyMessage" | "message">,
  t: FormTargets,
): MappedValidation {
  const errors: Record<string, string> = {};
  const general: string[] = [];
  const put = (block: string, msg: string) => {
    errors[block] = errors[block] ? line(`${errors[block]} ${msg}`) : line(msg);
  };

  for (const [key, messages] of Object.entries(error.fieldErrors ?? {})) {
    const msg = messages.join(" ");
    const own = t.keys?.[key] ?? t.keys?.[key.split(".")[0] ?? key];
    const runKey = RUN_KEYS[key];
    const field = own || runKey ? undefined : fieldByKey(t.fields, key);
    if (own) put(own, msg);
    else if (runKey) put(t[runKey], msg);
    else if (field) put(t.fieldBlockId(field.id), msg);
    else {
      const byLabel = fieldNamedIn(t.fields, msg);
      if (byLabel) put(t.fieldBlockId(byLabel.id), msg);
      else general.push(msg);
    }
  }

  const said = error.tallyfyMessage?.trim();
  if (said && !Object.values(errors).some((m) => m.includes(said))) {
    const field = fieldNamedIn(t.fields, said);
    if (field) put(t.fieldBlockId(field.id), said);
    else if (Object.keys(errors).length === 0 && general.length === 0) general.push(said);
  }
  if (Object.keys(errors).length === 0 && general.length === 0) general.push(error.message);
  return { errors, general };
}

/** "prerun.<id>", "taskdata.<id>", "prerun.<alias>", the field id or alias itself. */
function fieldByKey(fields: KickoffField[], key: string): KickoffField | undefined {
  const bare = key.replace(/^(?:prerun|taskdata)[.[]/, "").replace(/]$/, "");
  return fields.find((f) => f.id === bare || (f.alias && f.alias === bare));
}

/** "<label> is required", "The <label> field is invalid" … the longest label named wins. */
function fieldNamedIn(fields: KickoffField[], message: string): KickoffField | undefined {
  const msg = message.toLowerCase();
  const required = /^(?:the\s+)?(.+?)\s+(?:field\s+)?is required\.?$/i.exec(message.trim());
  if (required) {
    const label = required[1]!.trim().toLowerCase();
    const exact = fields.find((f) => f.label.trim().toLowerCase() === label);
    if (exact) return exact;
  }
  let best: KickoffField | undefined;
  for (const f of fields) {
    const label = f.label.trim().toLowerCase();
    if (label.length >= 3 && msg.includes(label) && (!best || label.length > best.label.length)) {
      best = f;
    }
  }
  return best;
}
