import { createHmac } from "node:crypto";

/**
 * Slack's request signature: `v0=` + hex HMAC-SHA256 of `v0:{timestamp}:{body}` keyed with the
 * app's signing secret. Sent as X-Slack-Signature with X-Slack-Request-Timestamp (seconds).
 */
export function signSlackRequest(secret: string, timestamp: number, body: string): string {
  const hmac = createHmac("sha256", secret).update(`v0:${timestamp}:${body}`).digest("hex");
  return `v0=${hmac}`;
}

export function slackSignatureHeaders(
  secret: string,
  body: string,
  timestamp = Math.floor(Date.now() / 1000),
): Record<string, string> {
  return {
    "X-Slack-Request-Timestamp": String(timestamp),
    "X-Slack-Signature": signSlackRequest(secret, timestamp, body),
  };
}
