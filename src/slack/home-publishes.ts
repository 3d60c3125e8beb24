import { ExpiringMap } from "../store/expiring-map.ts";

/** A refresh on opening Home happens at most once per person in this window. */
export const HOME_REFRESH_MS = 10_000;
/** The last hash is kept this long; an older one is not worth guarding a publish with. */
const HASH_TTL_MS = 60 * 60_000;
const MAX_PEOPLE = 10_000;

/**
 * What the bot remembers about each person's Home tab, per bot (in BotContext): when it was
 * last published on opening (the rate limit) and the hash Slack gave that publish.
 */
export class HomePublishes {
  readonly #recent: ExpiringMap<string, true>;
  readonly #hashes: ExpiringMap<string, string>;

  constructor(now: () => number = Date.now) {
    this.#recent = new ExpiringMap({ ttlMs: HOME_REFRESH_MS, max: MAX_PEOPLE, now });
    this.#hashes = new ExpiringMap({ ttlMs: HASH_TTL_MS, max: MAX_PEOPLE, now });
  }

  /** True, and the window starts, when this person's Home may be refreshed on opening now. */
  takeOpening(teamId: string, userId: string): boolean {
    const key = `${teamId}:${userId}`;
    if (this.#recent.get(key)) return false;
    this.#recent.set(key, true);
    return true;
  }

  hash(teamId: string, userId: string): string | undefined {
    return this.#hashes.get(`${teamId}:${userId}`);
  }

  published(teamId: string, userId: string, hash: string | undefined): void {
    const key = `${teamId}:${userId}`;
    if (hash) this.#hashes.set(key, hash);
    else this.#hashes.delete(key);
  }
}
