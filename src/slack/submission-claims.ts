/**
 * Runs a submission's Tallyfy call at most once per key for `ttlMs`: a repeated submit (double
 * click, Slack's retry) gets the same promise instead of a second launch or update. `first`
 * tells the caller whether it started the work. One per bot, in its BotContext.
 */
export class OnceRegistry<T = unknown> {
  private readonly entries = new Map<string, { promise: Promise<T>; at: number }>();
  private readonly queues = new Map<string, Promise<void>>();
  private readonly ttlMs: number;

  constructor(ttlMs = 10 * 60_000) {
    this.ttlMs = ttlMs;
  }

  run<U extends T>(key: string, fn: () => Promise<U>): { promise: Promise<U>; first: boolean } {
    const now = Date.now();
    for (const [k, e] of this.entries) {
      if (now - e.at > this.ttlMs) this.entries.delete(k);
    }
    const existing = this.entries.get(key);
    if (existing) return { promise: existing.promise as Promise<U>, first: false };
    const promise = fn();
    // A rejection is observed by every caller that awaits it; this keeps Node from flagging it.
    promise.catch(() => {});
    this.entries.set(key, { promise, at: now });
    return { promise, first: true };
  }

  /** Let the key run again (after a failure that certainly changed nothing). */
  forget(key: string): void {
    this.entries.delete(key);
  }

  /**
   * Runs `fn` after every earlier `exclusive` call for `key` has settled: two saves of one
   * process through this bot read and write one after the other, never interleaved.
   */
  async exclusive<U>(key: string, fn: () => Promise<U>): Promise<U> {
    const before = this.queues.get(key) ?? Promise.resolve();
    let release = () => {};
    const done = new Promise<void>((resolve) => {
      release = resolve;
    });
    const mine = before.then(() => done);
    this.queues.set(key, mine);
    await before;
    try {
      return await fn();
    } finally {
      release();
      if (this.queues.get(key) === mine) this.queues.delete(key);
    }
  }
}
