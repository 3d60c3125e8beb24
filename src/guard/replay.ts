import type { Logger } from "../log.ts";
import type { SharedState } from "../store/shared-state.ts";

/**
 * Remembers keys (request signatures, event ids, Socket Mode envelope ids) for a while, to
 * refuse the same request twice. One guard belongs to one bot: the store-backed one (what the
 * bot runs with) is shared by every instance using the same store; the in-memory one serves
 * tests and sits in front of the store.
 */
export interface ReplayGuard {
  /** True if `key` was seen within its time to live; otherwise records it for `ttlMs`. */
  seen(key: string, ttlMs: number): boolean | Promise<boolean>;
}

export interface StoreReplayGuardOptions {
  logger: Logger;
  /** Checked first, so a repeat on this instance costs no store round trip. */
  local?: ReplayGuard;
}

/**
 * A ReplayGuard on the shared store's seenOnce: a Slack retry or replay reaching another
 * instance is refused too. If the store can't be reached the request is let through on the
 * local check alone (logged): refusing every request while the database is down would be worse.
 */
export function createStoreReplayGuard(
  shared: SharedState,
  opts: StoreReplayGuardOptions,
): ReplayGuard {
  const local = opts.local ?? createMemoryReplayGuard();
  return {
    async seen(key, ttlMs) {
      const ms = Math.max(1, Math.ceil(ttlMs));
      if (await local.seen(key, ms)) return true;
      try {
        return !(await shared.seenOnce(key, ms));
      } catch (error) {
        opts.logger.warn("could not check the shared store for a repeated request", { error });
        return false;
      }
    },
  };
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
