import { createHmac, timingSafeEqual } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";

/** How far a request's timestamp may be from our clock, either way (Slack's own rule). */
export const MAX_CLOCK_SKEW_SEC = 300;

export type SignatureCheck =
  | { ok: true; signature: string; timestamp: number }
  | { ok: false; reason: string };

/**
 * Slack's request signature (`v0=` + hex HMAC-SHA256 of `v0:{timestamp}:{body}`), with the
 * timestamp within MAX_CLOCK_SKEW_SEC of now in both directions: Bolt only refuses old ones,
 * so a request stamped an hour or ten years ahead would stay replayable until then.
 */
export function checkSlackSignature(
  signingSecret: string,
  headers: IncomingHttpHeaders,
  rawBody: Buffer,
  nowMs: number,
): SignatureCheck {
  const signature = headers["x-slack-signature"];
  const stamp = headers["x-slack-request-timestamp"];
  if (typeof signature !== "string" || typeof stamp !== "string") {
    return { ok: false, reason: "missing signature headers" };
  }
  if (!/^\d{1,12}$/.test(stamp)) return { ok: false, reason: "malformed timestamp" };
  const timestamp = Number(stamp);
  if (Math.abs(nowMs / 1000 - timestamp) > MAX_CLOCK_SKEW_SEC) {
    return { ok: false, reason: "timestamp too far from now" };
  }
  const expected = Buffer.from(
    `v0=${createHmac("sha256", signingSecret)
      .update(`v0:${stamp}:`)
      .update(rawBody)
      .digest("hex")}`,
  );
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { ok: false, reason: "signature mismatch" };
  }
  return { ok: true, signature, timestamp };
}
