import type { webApi } from "@slack/bolt";

/**
 * Bounded retries for Slack Web API calls: a 5xx or a network failure is tried twice more,
 * 0.5-2 s apart, instead of @slack/web-api's default of ten times over about 30 minutes (which
 * kept a work slot, and the person waiting for their card, for half an hour).
 */
export const SLACK_RETRY = {
  retries: 2,
  factor: 2,
  minTimeout: 500,
  maxTimeout: 2_000,
  randomize: true,
};
/** One attempt's limit. */
export const SLACK_ATTEMPT_TIMEOUT_MS = 10_000;
/** A 429 asking for a longer pause than this fails the call instead of waiting. */
export const MAX_RATE_LIMIT_WAIT_SEC = 3;
/** Called with a trigger_id, which dies 3 s after the click: never worth waiting for. */
const TRIGGER_BOUND = new Set(["views.open", "views.push"]);

export interface SlackClientOptionsInput {
  apiUrl?: string | undefined;
  fetch: typeof fetch;
}

/**
 * Options for every Web API client the bot builds (Bolt's per-workspace clients and our own).
 * `rejectRateLimitedCalls`: @slack/web-api otherwise pauses the client's whole request queue
 * on one 429 (Slack allows about one message per second per channel), so another person's
 * views.open would miss its 3-second trigger. A short Retry-After is honoured per call instead
 * (see rateLimitAwareFetch); a long one fails that call alone.
 */
export function slackClientOptions(input: SlackClientOptionsInput): webApi.WebClientOptions {
  return {
    ...(input.apiUrl ? { slackApiUrl: input.apiUrl } : {}),
    fetch: rateLimitAwareFetch(input.fetch),
    retryConfig: SLACK_RETRY,
    rejectRateLimitedCalls: true,
    timeout: SLACK_ATTEMPT_TIMEOUT_MS,
  };
}

/**
 * The live-card fan-out's own client (src/features/cards-registry/fanout.ts): a 429 comes
 * straight back, and the fan-out pauses its own queue for the Retry-After.
 */
export function fanoutClientOptions(input: SlackClientOptionsInput): webApi.WebClientOptions {
  return { ...slackClientOptions(input), fetch: input.fetch };
}

/** A 429's Retry-After in seconds when it is short enough to wait out once, else undefined. */
export function shortRetryAfterSec(
  value: string | string[] | null | undefined,
): number | undefined {
  const sec = Number(Array.isArray(value) ? value[0] : value);
  return sec >= 0 && sec <= MAX_RATE_LIMIT_WAIT_SEC ? sec : undefined;
}

/**
 * Waits out a 429's Retry-After for this call only, once, when it is at most
 * MAX_RATE_LIMIT_WAIT_SEC and the method is not trigger-bound; otherwise hands the 429 back.
 */
export function rateLimitAwareFetch(fetchFn: typeof fetch): typeof fetch {
  const wrapped = async (input: string | URL | Request, init?: RequestInit) => {
    const res = await fetchFn(input, init);
    if (res.status !== 429) return res;
    const url = input instanceof Request ? input.url : String(input);
    const method = url.slice(url.lastIndexOf("/") + 1);
    const waitSec = shortRetryAfterSec(res.headers.get("retry-after"));
    if (TRIGGER_BOUND.has(method) || waitSec === undefined) return res;
    await new Promise((r) => setTimeout(r, waitSec * 1000));
    return fetchFn(input, init);
  };
  return wrapped as typeof fetch;
}
