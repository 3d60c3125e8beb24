/** Short replies (errors, warnings, confirmations) and the sentence for each Tallyfy error. */
import type { KnownBlock } from "@slack/types";
import {
  type TallyfyError,
  TallyfyInvalidIdError,
  TallyfyRateLimitError,
  TallyfyValidationError,
} from "../tallyfy/errors.ts";
import { code, mrkdwn, safeLine } from "./format.ts";
import { truncate } from "./text.ts";

export type NoticeKind = "error" | "warning" | "info" | "success";

const ICON: Record<NoticeKind, string> = {
  error: ":x:",
  warning: ":warning:",
  info: ":information_source:",
  success: ":white_check_mark:",
};

/**
 * `text` is trusted mrkdwn (the caller escapes anything user-supplied in it); `detail` is
 * plain text, escaped here and shown smaller underneath.
 */
export function renderNotice(
  kind: NoticeKind,
  text: string,
  opts: { detail?: string | undefined } = {},
): { text: string; blocks: KnownBlock[] } {
  const body = text.trim() || "Something went wrong.";
  const blocks: KnownBlock[] = [
    { type: "section", text: mrkdwn(`${ICON[kind]} ${truncate(body, 2900)}`) },
  ];
  const detail = opts.detail?.trim();
  if (detail) blocks.push({ type: "context", elements: [mrkdwn(safeLine(detail, 1900))] });
  return { text: truncate(body, 3000), blocks };
}

/** A readable sentence, escaped and ending in a stop; undefined for blanks or JSON. */
function readable(text: string | undefined): string | undefined {
  const said = text?.trim();
  if (!said || /^[[{]/.test(said) || said === "undefined" || said === "null") return undefined;
  const line = safeLine(said, 400, "");
  if (!line) return undefined;
  return /[.!?…]$/.test(line) ? line : `${line}.`;
}

/** One human sentence (mrkdwn, escaped) for a Tallyfy failure. Never a stack or raw JSON. */
export function tallyfyErrorText(
  err: TallyfyError,
  ctx: { runRef?: string | undefined } = {},
): string {
  const ref = ctx.runRef?.trim() ? code(ctx.runRef, 100) : undefined;
  const said = readable(err.tallyfyMessage);
  const human = readable(err.human);
  switch (err.kind) {
    case "not_found":
      return ref
        ? `I couldn't find process ${ref} — check the id or your access.`
        : "I couldn't find that in Tallyfy — check the id or your access.";
    case "forbidden":
      return `Your Tallyfy account doesn't have permission to do that${ref ? ` on process ${ref}` : ""}. Ask the process owner or a Tallyfy admin for access.`;
    case "authentication":
      return "Tallyfy didn't accept the access token — it may have expired or been revoked. Use `/tallyfy connect` to reconnect.";
    case "rate_limited": {
      const seconds = err instanceof TallyfyRateLimitError ? err.retryAfterSeconds : undefined;
      return seconds
        ? `Tallyfy is busy, try again in ${seconds} s.`
        : "Tallyfy is busy, try again in a moment.";
    }
    case "server":
    case "timeout":
    case "network":
      return human ?? "Tallyfy didn't answer. Try again in a moment.";
    case "validation":
      return `Tallyfy didn't accept that: ${fieldMessages(err) ?? said ?? human ?? "it rejected the values sent."}`;
    case "bad_request":
      return said
        ? `Tallyfy refused: ${said}`
        : "Tallyfy couldn't do that in the process's current state.";
    case "conflict":
      return said
        ? `Tallyfy refused: ${said}`
        : "Tallyfy refused because the process changed in the meantime. Refresh and try again.";
    case "invalid_id":
      return err instanceof TallyfyInvalidIdError && err.idKind !== "run"
        ? `${human ?? "That id doesn't look right."} Nothing was sent to Tallyfy.`
        : "That process link doesn't look right: I couldn't read a process id from it, so nothing was sent to Tallyfy. Use a card's buttons, or `/tallyfy show` with a process link copied from Tallyfy.";
    case "unexpected_response":
      return err.mayHaveApplied
        ? "Tallyfy sent a reply I couldn't read, so I can't tell whether the change was made. Refresh to check."
        : "Tallyfy sent a reply I couldn't read. Try again in a moment.";
    default:
      return human ?? "Something went wrong talking to Tallyfy. Try again in a moment.";
  }
}

/**
 * A 422's field errors say what was wrong; its top-level message is often Laravel's generic
 * "The given data was invalid.", so the field errors win when there are any.
 */
function fieldMessages(err: TallyfyError): string | undefined {
  if (!(err instanceof TallyfyValidationError)) return undefined;
  const all = Object.values(err.fieldErrors)
    .flat()
    .map((m) => readable(m))
    .filter((m): m is string => m !== undefined);
  const shown = [...new Set(all)].slice(0, 3);
  if (shown.length === 0) return undefined;
  const more = all.length - shown.length;
  return more > 0 ? `${shown.join(" ")} (and ${more} more)` : shown.join(" ");
}
