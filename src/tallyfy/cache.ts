/**
 * A small in-memory TTL cache with request coalescing: while a key is being loaded, every
 * other caller for that key waits on the same load. Least recently used entries are evicted
 * beyond `max`. Failed loads are not cached.
 */
import { createHash } from "node:crypto";

export interface TtlCacheOptions {
  ttlMs: number;
  max: number;
  /** How long past its TTL an entry is kept for `peekStale`. Default 0. */
  keepStaleMs?: number;
  /** Clock, for tests. */
  now?: () => number;
}

interface Entry<V> {
  value: V;
  expiresAt: number;
}

export class TtlCache<V> {
  readonly #ttlMs: number;
  readonly #max: number;
  readonly #keepStaleMs: number;
  readonly #now: () => number;
  readonly #entries = new Map<string, Entry<V>>();
  readonly #pending = new Map<string, Promise<V>>();
  /** Bumped by clear()/delete() so a load that started before does not store a stale value. */
  #generation = 0;

  constructor(opts: TtlCacheOptions) {
    this.#ttlMs = opts.ttlMs;
    this.#max = Math.max(1, opts.max);
    this.#keepStaleMs = Math.max(0, opts.keepStaleMs ?? 0);
    this.#now = opts.now ?? Date.now;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** The cached value, or the result of `load` (shared with concurrent callers for the key). */
  get(key: string, load: () => Promise<V>, ttlMs: number = this.#ttlMs): Promise<V> {
    const hit = this.peek(key);
    if (hit) return Promise.resolve(hit.value);
    const inFlight = this.#pending.get(key);
    if (inFlight) return inFlight;

    const generation = this.#generation;
    const promise: Promise<V> = Promise.resolve()
      .then(load)
      .then(
        (value) => {
          this.#settle(key, promise);
          if (generation === this.#generation && ttlMs > 0) this.set(key, value, ttlMs);
          return value;
        },
        (error: unknown) => {
          this.#settle(key, promise);
          throw error;
        },
      );
    this.#pending.set(key, promise);
    return promise;
  }

  /** Forgets the load in flight for `key` (it was stopped): the next caller starts its own. */
  abandon(key: string): void {
    this.#pending.delete(key);
  }

  #settle(key: string, promise: Promise<V>): void {
    if (this.#pending.get(key) === promise) this.#pending.delete(key);
  }

  /** The live entry for a key, if any (refreshes its recency). */
  peek(key: string): { value: V } | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.#now()) {
      if (entry.expiresAt + this.#keepStaleMs <= this.#now()) this.#entries.delete(key);
      return undefined;
    }
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    return { value: entry.value };
  }

  /** An entry past its TTL by less than `staleMs` (and the cache's keepStaleMs), if any. */
  peekStale(key: string, staleMs: number): { value: V } | undefined {
    const entry = this.#entries.get(key);
    const limit = entry ? entry.expiresAt + Math.min(staleMs, this.#keepStaleMs) : 0;
    return entry && limit > this.#now() ? { value: entry.value } : undefined;
  }

  set(key: string, value: V, ttlMs: number = this.#ttlMs): void {
    this.#entries.delete(key);
    this.#entries.set(key, { value, expiresAt: this.#now() + ttlMs });
    while (this.#entries.size > this.#max) {
      const oldest = this.#entries.keys().next();
      if (oldest.done) break;
      this.#entries.delete(oldest.value);
    }
  }

  delete(key: string): void {
    this.#entries.delete(key);
    this.#pending.delete(key);
    this.#generation++;
  }

  clear(): void {
    this.#entries.clear();
    this.#pending.clear();
    this.#generation++;
  }
}

/** A short, one-way fingerprint of a token, for cache keys: never the token itself. */
export function tokenFingerprint(token: string): string {
  return createHash("sha256").update(token).digest("hex").slice(0, 16);
}

/** Cache key prefix for one connection: token fingerprint plus organization. */
export function connectionKey(
  conn: { token: string; orgId: string },
  fingerprint: (token: string) => string = tokenFingerprint,
): string {
  return `${fingerprint(conn.token)}:${conn.orgId}`;
}

/**
 * A shared promise as one caller sees it: that caller's abort signal rejects its own wait, never
 * the shared work the other callers are waiting on.
 */
export function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  signal.throwIfAborted();
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}
