/**
 * Per-organization pacing (issue 18, measure 3). Tallyfy allows as little as 100 requests a
 * minute per organization; a burst that fires into that limit collects 429s, and each 429 makes
 * a person wait out a Retry-After anyway. So the client asks the pacer before every attempt:
 *
 * - The budget is learned, never configured: `X-RateLimit-Remaining` on every answer says how
 *   many requests the window has left, and a request is started only while fewer than that are
 *   in flight. Before the first answer, `unknownInFlight` may go at once.
 * - When the budget is spent nothing says when the window resets, so one request goes out as a
 *   probe: it is either answered (the window has reset; the budget reopens) or refused with a
 *   429 whose `Retry-After` holds every request for that org until then. One 429 a window.
 * - A 429 from anywhere (another client sharing the org's limit) blocks the org the same way.
 * - Waiting requests start in priority order: interactive (commands, clicks, modals) before
 *   background (webhook fan-out, reconcile, Home refresh); within each, calls of work already
 *   under way (`inHand`: a request of it went out) before fresh work, so a burst's cards finish
 *   one by one instead of all waiting for every first read; then first come, first served.
 *
 * One Pacer per TallyfyClient; organizations are keyed by the org id in the request path, or by
 * the token's fingerprint for calls outside an organization (`/me`).
 */
import { TallyfyRateLimitError } from "./errors.ts";

export type Priority = "interactive" | "background";

export interface PacerOptions {
  /** Requests an org may have in flight before any answer has told its budget. Default 8. */
  unknownInFlight?: number;
  /** Wait after a 429 without a readable Retry-After. Default 1000 ms. */
  defaultBlockMs?: number;
  now?: () => number;
}

/** A slot to send one attempt; `done` reports what came back (and frees the slot). */
export interface Permit {
  done(answer: PacedAnswer): void;
  /** The attempt was never sent (its caller stopped first): frees the slot, learns nothing. */
  cancel(): void;
  /** Milliseconds this attempt waited for the org's budget. */
  waitedMs: number;
}

export interface PacedAnswer {
  /** X-RateLimit-Remaining as sent, if it was. */
  remaining?: number | undefined;
  /** Set for a 429: its Retry-After in ms (null when absent or unreadable). */
  retryAfterMs?: number | null | undefined;
}

export interface AcquireOptions {
  priority: Priority;
  /** The call continues work that has sent a request already: it starts before fresh work. */
  inHand?: boolean | undefined;
  /** Longest this attempt may wait for the budget before failing as rate-limited. */
  maxWaitMs: number;
  signal?: AbortSignal | undefined;
  /** Told true at once if the attempt has to wait for the budget, and false when it stops. */
  onWait?: ((waiting: boolean) => void) | undefined;
  /** Called once if the attempt is still waiting after `noticeMs`. */
  onHeld?: (() => void) | undefined;
  noticeMs?: number | undefined;
}

interface Waiter {
  start: () => void;
  fail: (error: unknown) => void;
}

interface OrgBudget {
  /** Last known X-RateLimit-Remaining of the current window; null when not known. */
  remaining: number | null;
  /** When the request that reported `remaining` was started (newer reports replace older). */
  remainingAt: number;
  /** Answers to requests started before this belong to an earlier window and are ignored. */
  windowStart: number;
  inFlight: number;
  /** Tallyfy answered without X-RateLimit-Remaining: no budget to keep to until it sends one. */
  unmetered: boolean;
  blockedUntil: number;
  timer: ReturnType<typeof setTimeout> | undefined;
  /** Waiting attempts by lane, in the order lanes start (see `lane`). */
  waiting: Waiter[][];
}

export class Pacer {
  readonly #orgs = new Map<string, OrgBudget>();
  readonly #unknownInFlight: number;
  readonly #defaultBlockMs: number;
  readonly #now: () => number;

  constructor(opts: PacerOptions = {}) {
    this.#unknownInFlight = Math.max(1, opts.unknownInFlight ?? 8);
    this.#defaultBlockMs = opts.defaultBlockMs ?? 1000;
    this.#now = opts.now ?? (() => performance.now());
  }

  /** Resolves when `org` may send one more request. */
  acquire(org: string, opts: AcquireOptions): Promise<Permit> {
    const budget = this.#budget(org);
    const lane = (opts.priority === "background" ? 2 : 0) + (opts.inHand ? 0 : 1);
    const queuedAt = this.#now();
    return new Promise<Permit>((resolve, reject) => {
      let notice: ReturnType<typeof setTimeout> | undefined;
      let expiry: ReturnType<typeof setTimeout> | undefined;
      let waited = false;
      const cleanup = () => {
        if (waited) opts.onWait?.(false);
        waited = false;
        clearTimeout(notice);
        clearTimeout(expiry);
        opts.signal?.removeEventListener("abort", onAbort);
      };
      const waiter: Waiter = {
        start: () => {
          cleanup();
          budget.inFlight++;
          const startedAt = this.#now();
          resolve({
            waitedMs: startedAt - queuedAt,
            done: (answer) => this.#answered(budget, startedAt, answer),
            cancel: () => {
              budget.inFlight--;
              this.#pump(budget);
            },
          });
        },
        fail: (error) => {
          cleanup();
          reject(error);
        },
      };
      const leave = (error: unknown) => {
        const list = budget.waiting[lane]!;
        const at = list.indexOf(waiter);
        if (at >= 0) list.splice(at, 1);
        waiter.fail(error);
      };
      const onAbort = () => leave(opts.signal?.reason);
      if (opts.signal?.aborted) return reject(opts.signal.reason);
      opts.signal?.addEventListener("abort", onAbort, { once: true });
      budget.waiting[lane]!.push(waiter);
      this.#pump(budget);
      if (!budget.waiting[lane]!.includes(waiter)) return;
      const wait = Math.max(0, budget.blockedUntil - this.#now());
      if (wait > opts.maxWaitMs) {
        return leave(new TallyfyRateLimitError(wait / 1000));
      }
      expiry = setTimeout(
        () =>
          leave(new TallyfyRateLimitError(Math.max(1, budget.blockedUntil - this.#now()) / 1000)),
        opts.maxWaitMs,
      );
      if (opts.onHeld && opts.noticeMs !== undefined) {
        const onHeld = opts.onHeld;
        notice = setTimeout(() => onHeld(), opts.noticeMs);
      }
      // Last: it may stop the wait at once (through the signal), clearing the timers above.
      waited = true;
      opts.onWait?.(true);
    });
  }

  /** Forgets every org's budget; waiting requests start as if nothing were known. */
  reset(): void {
    const orgs = [...this.#orgs.values()];
    this.#orgs.clear();
    for (const b of orgs) {
      clearTimeout(b.timer);
      b.blockedUntil = 0;
      b.remaining = null;
      this.#pump(b);
    }
  }

  /** How many requests are held back for `org` (for tests and logs). */
  waiting(org: string): number {
    const b = this.#orgs.get(org);
    return b ? b.waiting.reduce((n, list) => n + list.length, 0) : 0;
  }

  #budget(org: string): OrgBudget {
    let b = this.#orgs.get(org);
    if (!b) {
      b = {
        remaining: null,
        remainingAt: -Infinity,
        windowStart: -Infinity,
        inFlight: 0,
        unmetered: false,
        blockedUntil: 0,
        timer: undefined,
        waiting: [[], [], [], []],
      };
      this.#orgs.set(org, b);
    }
    return b;
  }

  #mayStart(b: OrgBudget): boolean {
    if (this.#now() < b.blockedUntil) return false;
    if (b.remaining === null) return b.unmetered || b.inFlight < this.#unknownInFlight;
    // Spent: one probe at a time finds out whether the window has reset.
    return b.inFlight < Math.max(1, b.remaining);
  }

  #pump(b: OrgBudget): void {
    while (this.#mayStart(b)) {
      const next = b.waiting.find((list) => list.length > 0)?.shift();
      if (!next) break;
      next.start();
    }
    const blockedFor = b.blockedUntil - this.#now();
    if (blockedFor > 0 && !b.timer && this.#hasWaiting(b)) {
      b.timer = setTimeout(() => {
        b.timer = undefined;
        this.#pump(b);
      }, blockedFor);
      b.timer.unref?.();
    }
  }

  #hasWaiting(b: OrgBudget): boolean {
    return b.waiting.some((list) => list.length > 0);
  }

  #answered(b: OrgBudget, startedAt: number, answer: PacedAnswer): void {
    b.inFlight--;
    if (answer.retryAfterMs !== undefined) {
      const now = this.#now();
      const until = now + (answer.retryAfterMs ?? this.#defaultBlockMs);
      if (until > b.blockedUntil) {
        b.blockedUntil = until;
        // A new window opens then; its budget is unknown until answered.
        b.windowStart = now;
        b.remaining = null;
        b.remainingAt = now;
        b.unmetered = false;
        clearTimeout(b.timer);
        b.timer = undefined;
      }
    } else if (answer.remaining === undefined) {
      if (b.remaining === null) b.unmetered = true;
    } else if (startedAt >= b.windowStart) {
      b.unmetered = false;
      if (b.remaining === null || startedAt >= b.remainingAt) {
        b.remaining = answer.remaining;
        b.remainingAt = startedAt;
      } else {
        b.remaining = Math.min(b.remaining, answer.remaining);
      }
    }
    this.#pump(b);
  }
}

/** The org a request spends the budget of: its `/organizations/{org}` segment, else the token. */
export function budgetKey(path: string, tokenFingerprint: string): string {
  const m = /^\/organizations\/([^/]+)/.exec(path);
  return m ? `org:${m[1]}` : `token:${tokenFingerprint}`;
}

/** X-RateLimit-Remaining as a number, if present and readable. */
export function parseRemaining(value: string | string[] | undefined): number | undefined {
  const raw = (Array.isArray(value) ? value[0] : value)?.trim();
  if (!raw || !/^\d+$/.test(raw)) return undefined;
  return Number(raw);
}
