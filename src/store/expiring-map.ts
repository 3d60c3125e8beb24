/**
 * A small in-memory map whose entries expire after `ttlMs` and which never holds more than
 * `max`: setting a key when full drops the oldest entry (Map order is insertion order, and
 * set() re-inserts, so the first entry is always the oldest).
 */
export class ExpiringMap<K, V> {
  readonly #entries = new Map<K, { value: V; expiresAt: number }>();
  readonly #ttlMs: number;
  readonly #max: number;
  readonly #now: () => number;

  constructor(opts: { ttlMs: number; max: number; now?: () => number }) {
    this.#ttlMs = opts.ttlMs;
    this.#max = Math.max(1, opts.max);
    this.#now = opts.now ?? Date.now;
  }

  set(key: K, value: V): void {
    this.#entries.delete(key);
    this.#purge();
    while (this.#entries.size >= this.#max) {
      const oldest = this.#entries.keys().next();
      if (oldest.done) break;
      this.#entries.delete(oldest.value);
    }
    this.#entries.set(key, { value, expiresAt: this.#now() + this.#ttlMs });
  }

  /** The unexpired value; an expired one is removed. */
  get(key: K): V | undefined {
    const e = this.#entries.get(key);
    if (!e) return undefined;
    if (e.expiresAt <= this.#now()) {
      this.#entries.delete(key);
      return undefined;
    }
    return e.value;
  }

  delete(key: K): boolean {
    return this.#entries.delete(key);
  }

  /** Unexpired entries. */
  *entries(): IterableIterator<[K, V]> {
    this.#purge();
    for (const [k, e] of this.#entries) yield [k, e.value];
  }

  get size(): number {
    this.#purge();
    return this.#entries.size;
  }

  #purge(): void {
    const t = this.#now();
    for (const [k, e] of this.#entries) if (e.expiresAt <= t) this.#entries.delete(k);
  }
}
