/**
 * The whole retry policy, after Tallyfy's own Go CLI: which failures may be tried again
 * (`retryableStatus`) and how long to wait first (`retryDelay`). A retry must never risk
 * applying a change twice, so only requests that were refused outright are retried on every
 * method; the rest only on GET. The budgets come from the caller's CallPolicy.
 */
import type { CallPolicy } from "./api.ts";

/** Never wait longer than this for one Retry-After, whatever Tallyfy asks. */
export const RETRY_AFTER_CAP_MS = 30_000;
/** An attempt shorter than this is not worth starting. */
export const MIN_ATTEMPT_MS = 150;
const BACKOFF_FIRST_MS = 500;
const BACKOFF_MAX_MS = 8_000;

/**
 * How an attempt failed when no HTTP status came back: the request never left (connection
 * refused, DNS), it timed out, or the connection broke after it was sent.
 */
export type NetworkOutcome = "not_sent" | "timeout" | "broken";

/** An HTTP status, or how the attempt failed without one. */
export type AttemptOutcome = number | NetworkOutcome;

/**
 * Whether an attempt that ended in `outcome` may be tried again: a 429 or a request that never
 * left, on any method; 502, 503, 504, a timeout or a broken connection, on GET only (a POST or
 * PUT may have been applied). Anything else, 2xx bodies we could not read included, is final.
 */
export function retryableStatus(method: string, outcome: AttemptOutcome): boolean {
  if (outcome === 429 || outcome === "not_sent") return true;
  if (method !== "GET") return false;
  return outcome === 502 || outcome === 503 || outcome === 504 || typeof outcome === "string";
}

/** What is left for the call when an attempt has failed. */
export interface RetryRoom {
  policy: CallPolicy;
  /** Milliseconds left of `policy.budgetMs`. */
  remainingMs: number;
}

/**
 * How long to wait before attempt `attempt + 1`, or null to give up. `retryAfterMs` is set
 * for a 429 only: Tallyfy's Retry-After (null when absent or unreadable), honoured up to
 * RETRY_AFTER_CAP_MS and only if the wait and one more attempt fit the budget. Other failures
 * back off exponentially (see backoffMs), shortened so that half the remaining room is left.
 */
export function retryDelay(
  attempt: number,
  retryAfterMs: number | null | undefined,
  room: RetryRoom,
  random: () => number = Math.random,
): number | null {
  if (attempt > room.policy.maxRetries) return null;
  if (retryAfterMs !== undefined) {
    const waitMs = Math.min(retryAfterMs ?? backoffMs(attempt, random), RETRY_AFTER_CAP_MS);
    return waitMs + MIN_ATTEMPT_MS > room.remainingMs ? null : waitMs;
  }
  const spare = room.remainingMs - MIN_ATTEMPT_MS;
  if (spare <= 0) return null;
  return Math.min(backoffMs(attempt, random), spare / 2);
}

/** Retry-After as milliseconds to wait: delta seconds or an HTTP date; null when absent or unreadable. */
export function parseRetryAfterMs(
  value: string | string[] | undefined,
  now: number = Date.now(),
): number | null {
  const raw = (Array.isArray(value) ? value[0] : value)?.trim();
  if (!raw) return null;
  if (/^\d+(\.\d+)?$/.test(raw)) return Math.round(Number(raw) * 1000);
  const at = Date.parse(raw);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

/** Wait before retry number `retry` (1-based): 0.5 s doubling to 8 s, plus up to 25% jitter. */
export function backoffMs(retry: number, random: () => number = Math.random): number {
  const base = Math.min(BACKOFF_MAX_MS, BACKOFF_FIRST_MS * 2 ** Math.max(0, retry - 1));
  return Math.min(BACKOFF_MAX_MS, Math.round(base * (1 + random() * 0.25)));
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
