import type { LiveState } from "./live-state.ts";
import type { ConnectionStore } from "./store.ts";

/**
 * State that every instance of the bot must agree on when several run behind a load balancer
 * (Slack sends each request to any of them). Each primitive is atomic in the store itself, so
 * it holds across processes, not just within one. Expired rows are removed lazily.
 */
export interface SharedState {
  /**
   * Takes `key` for `owner` for `ttlMs`. True only for the one caller that got it: false while
   * any unexpired claim on `key` exists, even one by the same owner (exactly once means once).
   * An expired claim can be taken again.
   */
  claim(key: string, ttlMs: number, owner: string): Promise<boolean>;
  /** Gives `key` back if `owner` holds it (e.g. a launch failed and may be retried); true if so. */
  release(key: string, owner: string): Promise<boolean>;
  /** Gives back every claim `owner` holds (graceful shutdown); returns how many. */
  releaseClaims(owner: string): Promise<number>;
  /** True the first time `key` is seen within `ttlMs` (event, webhook and replay de-duplication). */
  seenOnce(key: string, ttlMs: number): Promise<boolean>;
  /**
   * Keeps `value` under (`kind`, `id`) for `ttlMs`, replacing an earlier value. Stores that
   * persist it seal it with the token encryption key, bound to `kind` and `id`.
   */
  putPending(kind: string, id: string, value: string, ttlMs: number): Promise<void>;
  /** Removes and returns the value unless it expired; of concurrent takers only one gets it. */
  takePending(kind: string, id: string): Promise<string | undefined>;
}

/** A store that keeps connections, the shared state and the live-card state. */
export interface SharedStore extends ConnectionStore, SharedState, LiveState {}

/** Longest accepted ttl: these are short-lived coordination records, not data. */
export const MAX_TTL_MS = 30 * 24 * 60 * 60_000;

/** How often a store removes expired rows, at most, while it is being written to. */
export const SWEEP_INTERVAL_MS = 60_000;

export function assertTtl(ttlMs: number): void {
  if (!Number.isSafeInteger(ttlMs) || ttlMs <= 0 || ttlMs > MAX_TTL_MS) {
    throw new RangeError(`ttlMs must be a whole number of milliseconds from 1 to ${MAX_TTL_MS}`);
  }
}

export function assertKeyPart(name: string, value: string): void {
  if (typeof value !== "string" || value === "") {
    throw new TypeError(`${name} must be a non-empty string`);
  }
}

/** The argument checks of claim, seenOnce and putPending: every store rejects the same input. */
export function assertClaimArgs(key: string, ttlMs: number, owner: string): void {
  assertKeyPart("key", key);
  assertKeyPart("owner", owner);
  assertTtl(ttlMs);
}

export function assertSeenArgs(key: string, ttlMs: number): void {
  assertKeyPart("key", key);
  assertTtl(ttlMs);
}

export function assertPendingArgs(kind: string, id: string, ttlMs: number): void {
  assertKeyPart("kind", kind);
  assertKeyPart("id", id);
  assertTtl(ttlMs);
}

/** The AAD of a sealed pending value: it opens only under the kind and id it was put under. */
export function pendingAad(kind: string, id: string): string {
  return `pending\u0000${kind}\u0000${id}`;
}

/** True at most once per `intervalMs`: paces the lazy removal of expired rows. */
export function createSweepPacer(intervalMs: number, now: () => number): () => boolean {
  let last = Number.NEGATIVE_INFINITY;
  return () => {
    const t = now();
    if (t - last < intervalMs) return false;
    last = t;
    return true;
  };
}

/**
 * In-process shared state: right for one instance (and tests), shared by nothing else.
 * `ensureOpen` throws once the owning store is closed.
 */
export function createMemorySharedState(
  now: () => Date = () => new Date(),
  ensureOpen: () => void = () => {},
): SharedState {
  const claims = new Map<string, { owner: string; expiresAt: number }>();
  const seen = new Map<string, number>();
  const pending = new Map<string, { value: string; expiresAt: number }>();
  const t = () => now().getTime();
  const sweepDue = createSweepPacer(SWEEP_INTERVAL_MS, t);
  const sweep = () => {
    if (!sweepDue()) return;
    const at = t();
    for (const [k, c] of claims) if (c.expiresAt <= at) claims.delete(k);
    for (const [k, e] of seen) if (e <= at) seen.delete(k);
    for (const [k, p] of pending) if (p.expiresAt <= at) pending.delete(k);
  };
  const pendingKey = (kind: string, id: string) => `${kind}\u0000${id}`;

  return {
    async claim(key, ttlMs, owner) {
      ensureOpen();
      assertClaimArgs(key, ttlMs, owner);
      sweep();
      const held = claims.get(key);
      if (held && held.expiresAt > t()) return false;
      claims.set(key, { owner, expiresAt: t() + ttlMs });
      return true;
    },
    async release(key, owner) {
      ensureOpen();
      const held = claims.get(key);
      if (!held || held.owner !== owner) return false;
      claims.delete(key);
      return held.expiresAt > t();
    },
    async releaseClaims(owner) {
      ensureOpen();
      let released = 0;
      for (const [k, c] of claims) {
        if (c.owner !== owner) continue;
        claims.delete(k);
        if (c.expiresAt > t()) released++;
      }
      return released;
    },
    async seenOnce(key, ttlMs) {
      ensureOpen();
      assertSeenArgs(key, ttlMs);
      sweep();
      const until = seen.get(key);
      if (until !== undefined && until > t()) return false;
      seen.set(key, t() + ttlMs);
      return true;
    },
    async putPending(kind, id, value, ttlMs) {
      ensureOpen();
      assertPendingArgs(kind, id, ttlMs);
      sweep();
      pending.set(pendingKey(kind, id), { value, expiresAt: t() + ttlMs });
    },
    async takePending(kind, id) {
      ensureOpen();
      const k = pendingKey(kind, id);
      const entry = pending.get(k);
      if (!entry) return undefined;
      pending.delete(k);
      return entry.expiresAt > t() ? entry.value : undefined;
    },
  };
}
