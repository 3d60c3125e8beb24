/**
 * Tallyfy's per-organization rate limit (REFERENCE.md: as low as 100 requests a minute), as a
 * fixed window per org, the way Laravel's throttle answers: X-RateLimit-Limit and
 * X-RateLimit-Remaining on every answer, and beyond the limit a 429 with Retry-After (seconds).
 */
export interface RateLimit {
  requests: number;
  windowMs: number;
}

export class RateMeter {
  #limit: RateLimit | undefined;
  #windows = new Map<string, { start: number; count: number }>();
  /** Requests refused with a 429. */
  throttled = 0;

  constructor(limit: RateLimit | undefined) {
    this.#limit = limit;
  }

  get limit(): RateLimit | undefined {
    return this.#limit;
  }

  set limit(limit: RateLimit | undefined) {
    this.#limit = limit;
    this.#windows.clear();
  }

  reset(): void {
    this.#windows.clear();
    this.throttled = 0;
  }

  /** Counts a request to `path`: the headers to answer with, and whether it is over the limit. */
  take(path: string, now = Date.now()): { headers: Record<string, string>; over: boolean } {
    const org = /^\/organizations\/([^/]+)/.exec(path)?.[1];
    const limit = this.#limit;
    if (!limit || !org) return { headers: {}, over: false };
    let w = this.#windows.get(org);
    if (!w || now >= w.start + limit.windowMs) {
      w = { start: now, count: 0 };
      this.#windows.set(org, w);
    }
    const over = w.count >= limit.requests;
    if (!over) w.count++;
    const headers: Record<string, string> = {
      "X-RateLimit-Limit": String(limit.requests),
      "X-RateLimit-Remaining": String(limit.requests - w.count),
    };
    if (over) {
      this.throttled++;
      const seconds = Math.max(1, Math.ceil((w.start + limit.windowMs - now) / 1000));
      headers["Retry-After"] = String(seconds);
    }
    return { headers, over };
  }
}
