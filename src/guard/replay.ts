/**
 * Remembers keys (request signatures, event ids, Socket Mode envelope ids) for a while, to
 * refuse the same request twice. One instance belongs to one bot; a store-backed version
 * shared by several instances implements the same interface.
 */
export interface ReplayGuard {
  /** True if `key` was seen within its time to live; otherwise records it for `ttlMs`. */
  seen(key: string, ttlMs: number): boolean;
}

export interface MemoryReplayGuardOptions {
  /** Most keys held; past it the oldest is forgotten first. Default 100,000 (about 15 MB). */
  maxKeys?: number;
  now?: () => number;
}

/**
 * In-memory ReplayGuard. Keys sit in insertion order; expired ones are dropped from the front
 * as new ones come in, so each call costs O(1) amortised and memory stays under `maxKeys`.
 */
export function createMemoryReplayGuard(opts: MemoryReplayGuardOptions = {}): ReplayGuard {
  const maxKeys = Math.max(1, opts.maxKeys ?? 100_000);
  const now = opts.now ?? Date.now;
  const expiries = new Map<string, number>();
  const dropExpired = (t: number) => {
    for (const [key, expiresAt] of expiries) {
      // Keys with a longer time to live may sit behind a live one; they go when they reach it.
      if (expiresAt > t) break;
      expiries.delete(key);
    }
  };
  return {
    seen(key, ttlMs) {
      const t = now();
      const expiresAt = expiries.get(key);
      if (expiresAt !== undefined && expiresAt > t) return true;
      expiries.delete(key);
      dropExpired(t);
      while (expiries.size >= maxKeys) {
        const oldest = expiries.keys().next();
        if (oldest.done) break;
        expiries.delete(oldest.value);
      }
      expiries.set(key, t + ttlMs);
      return false;
    },
  };
}
