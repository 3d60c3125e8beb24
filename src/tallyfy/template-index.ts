/**
 * Per-connection index of template titles (id, title, archived), kept warm so that
 * `/tallyfy launch <title>` can read the one template it names straight away: one Tallyfy round
 * trip instead of a search and then the read (issue 18 measure 4: at 1000 ms latency the modal
 * was filled after 2 round trips, with a warm index after 1).
 *
 * Stale-while-revalidate: an index older than `freshMs` is still answered from (up to
 * `maxAgeMs`) while a refresh runs in the background. Callers verify what they read with it.
 */

export interface IndexedTemplate {
  id: string;
  title: string;
  archived: boolean;
}

export interface TemplateIndex {
  templates: IndexedTemplate[];
  /**
   * Every template of the organization is in `templates`. When not (more pages than the index
   * reads, or rows that could not be read), no title can be known to be unique.
   */
  complete: boolean;
  /** When the load that produced it started (the index's clock). */
  loadedAt: number;
}

export interface TemplateIndexOptions {
  /** Older than this, the next warm() refreshes it in the background. */
  freshMs: number;
  /** Older than this, it is not answered from at all. */
  maxAgeMs: number;
  /** Most connections indexed; the least recently used is dropped. */
  max: number;
  /** Clock, for tests. */
  now?: () => number;
}

export type IndexLoad = () => Promise<Omit<TemplateIndex, "loadedAt">>;

/** One index per connection key (connectionKey: token fingerprint and organization). */
export class TemplateIndexes {
  readonly #freshMs: number;
  readonly #maxAgeMs: number;
  readonly #max: number;
  readonly #now: () => number;
  readonly #entries = new Map<string, TemplateIndex>();
  readonly #refreshing = new Map<string, Promise<void>>();
  /** Bumped by clear() so a refresh that started before does not store its answer. */
  #generation = 0;

  constructor(opts: TemplateIndexOptions) {
    this.#freshMs = opts.freshMs;
    this.#maxAgeMs = opts.maxAgeMs;
    this.#max = Math.max(1, opts.max);
    this.#now = opts.now ?? Date.now;
  }

  /** The connection's index, when it is no older than `maxAgeMs`. */
  get(key: string): TemplateIndex | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    if (this.#now() - entry.loadedAt > this.#maxAgeMs) {
      this.#entries.delete(key);
      return undefined;
    }
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    return entry;
  }

  /**
   * Loads the connection's index unless it is fresh or a load is already under way (which is
   * shared). Resolves when that load ends; never rejects: `onError` hears of a failed load, and
   * the previous index, if any, stays until `maxAgeMs`.
   */
  warm(key: string, load: IndexLoad, onError: (error: unknown) => void): Promise<void> {
    const running = this.#refreshing.get(key);
    if (running) return running;
    const entry = this.#entries.get(key);
    if (entry && this.#now() - entry.loadedAt < this.#freshMs) return Promise.resolve();

    const startedAt = this.#now();
    const generation = this.#generation;
    const refresh = Promise.resolve()
      .then(load)
      .then((index) => {
        if (generation === this.#generation) this.#store(key, { ...index, loadedAt: startedAt });
      })
      .catch((error: unknown) => {
        onError(error);
      })
      .finally(() => {
        if (this.#refreshing.get(key) === refresh) this.#refreshing.delete(key);
      });
    this.#refreshing.set(key, refresh);
    return refresh;
  }

  clear(): void {
    this.#entries.clear();
    this.#refreshing.clear();
    this.#generation++;
  }

  #store(key: string, index: TemplateIndex): void {
    this.#entries.delete(key);
    this.#entries.set(key, index);
    while (this.#entries.size > this.#max) {
      const oldest = this.#entries.keys().next();
      if (oldest.done) break;
      this.#entries.delete(oldest.value);
    }
  }
}

/** How `/tallyfy launch <words>` compares a title with the words: trimmed, case-insensitive. */
export function sameTitle(title: string, words: string): boolean {
  return title.trim().toLowerCase() === words.trim().toLowerCase();
}

/** The one live template titled `words`, when the index is complete and has exactly one. */
export function exactMatch(index: TemplateIndex, words: string): IndexedTemplate | undefined {
  if (!index.complete) return undefined;
  const hits = index.templates.filter((t) => !t.archived && sameTitle(t.title, words));
  return hits.length === 1 ? hits[0] : undefined;
}
