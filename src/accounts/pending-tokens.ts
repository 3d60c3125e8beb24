import { randomBytes } from "node:crypto";
import { ExpiringMap } from "../store/expiring-map.ts";
import type { Organization, TallyfyUser } from "../tallyfy/schemas.ts";

/**
 * A checked token waiting for the person to pick an organization. Kept only in this process's
 * memory, never in Slack (not in private_metadata): the modal carries just the random nonce.
 */
export interface PendingToken {
  teamId: string;
  userId: string;
  token: string;
  user: TallyfyUser;
  orgs: Organization[];
}

export interface PendingTokens {
  /** Stores the entry and returns the nonce that finds it again. */
  put(entry: PendingToken): string;
  /** The entry, if unexpired and owned by this Slack user (a nonce from someone else finds nothing). */
  get(nonce: string, teamId: string, userId: string): PendingToken | undefined;
  delete(nonce: string): void;
  /** Drops every entry of the user (on disconnect). */
  dropUser(teamId: string, userId: string): void;
  readonly size: number;
}

export interface PendingTokensOptions {
  ttlMs?: number;
  max?: number;
  now?: () => number;
}

export function createPendingTokens(opts: PendingTokensOptions = {}): PendingTokens {
  const entries = new ExpiringMap<string, PendingToken>({
    ttlMs: opts.ttlMs ?? 10 * 60_000,
    max: opts.max ?? 500,
    ...(opts.now ? { now: opts.now } : {}),
  });

  return {
    put(entry) {
      const nonce = randomBytes(18).toString("base64url");
      entries.set(nonce, { ...entry, orgs: [...entry.orgs] });
      return nonce;
    },
    get(nonce, teamId, userId) {
      const found = entries.get(nonce);
      return found && found.teamId === teamId && found.userId === userId ? found : undefined;
    },
    delete(nonce) {
      entries.delete(nonce);
    },
    dropUser(teamId, userId) {
      for (const [k, e] of entries.entries()) {
        if (e.teamId === teamId && e.userId === userId) entries.delete(k);
      }
    },
    get size() {
      return entries.size;
    },
  };
}
