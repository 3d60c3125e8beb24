/** The launch form's private_metadata: what it carries between Slack and the bot. Pure. */
import { METADATA_OPEN_MAX, parseMetadata, str } from "./modal.ts";

/** What the launch form carries between Slack and the bot (private_metadata). */
export interface LaunchMeta {
  /** Template (checklist) id; absent on the picker. */
  templateId?: string | undefined;
  /** Where the command came from: the default for "Post the status card to". */
  channelId?: string | undefined;
  /**
   * The submission's identity: a repeated submit of the same form never launches twice. Kept
   * when a launch may have gone through, so the retry is the same submission.
   */
  nonce?: string | undefined;
  /**
   * Set when a launch may have gone through (a reset or a 504): when it was tried (ms since the
   * epoch), so the next Launch first looks for the process it may have created.
   */
  checkSince?: number | undefined;
  /** How many launches of this submission ended without knowing (each retry is claimed once). */
  attempt?: number | undefined;
  /** A message shortcut: the card goes in this message's thread (in `channelId`). */
  threadTs?: string | undefined;
  /** Prefilled summary (a message shortcut: the message's text and permalink). */
  summary?: string | undefined;
  /** Opened from Home, which is redrawn after the launch. */
  fromHome?: boolean | undefined;
}

/** A prefilled summary kept in private_metadata (3000 characters) with room for the rest. */
export const PREFILL_SUMMARY_MAX = 1500;

export function encodeLaunchMeta(m: LaunchMeta): string {
  const encode = (summary: string | undefined) =>
    JSON.stringify({
      t: m.templateId,
      c: m.channelId,
      n: m.nonce,
      k: m.checkSince,
      a: m.attempt,
      th: m.threadTs,
      s: summary,
      h: m.fromHome ? 1 : undefined,
    });
  let summary = m.summary?.slice(0, PREFILL_SUMMARY_MAX);
  let out = encode(summary);
  // Escapes can double a summary's length in JSON: shorten it until the whole fits, with room
  // for the seal.
  while (summary && out.length > METADATA_OPEN_MAX) {
    const keep = Math.max(0, summary.length - (out.length - METADATA_OPEN_MAX));
    summary = summary.slice(0, keep) || undefined;
    out = encode(summary);
  }
  return out;
}

const count = (v: unknown): number | undefined =>
  typeof v === "number" && Number.isSafeInteger(v) && v > 0 ? v : undefined;

export function decodeLaunchMeta(raw: string | undefined): LaunchMeta {
  const m = parseMetadata(raw);
  return {
    templateId: str(m.t),
    channelId: str(m.c),
    nonce: str(m.n),
    checkSince: count(m.k),
    attempt: count(m.a),
    threadTs: str(m.th),
    summary: str(m.s),
    fromHome: m.h === 1 ? true : undefined,
  };
}
