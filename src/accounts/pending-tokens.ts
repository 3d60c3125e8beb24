import { randomBytes } from "node:crypto";
import { z } from "zod";
import type { SharedState } from "../store/shared-state.ts";
import {
  type Organization,
  organizationSchema,
  type TallyfyUser,
  userSchema,
} from "../tallyfy/schemas.ts";

/**
 * A checked token waiting for the person to pick an organization. Kept in the shared store
 * (sealed with TOKEN_ENCRYPTION_KEY where it persists), never in Slack: the modal carries just
 * a random nonce, and the organization step may reach any instance.
 */
export interface PendingToken {
  teamId: string;
  userId: string;
  token: string;
  user: TallyfyUser;
  orgs: Organization[];
}

/**
 * One waiting token per Slack user: a newer connect window replaces an older one's token, and
 * a disconnect on any instance removes it.
 */
export interface PendingTokens {
  /**
   * Stores the entry (replacing the user's earlier one) and returns the nonce that finds it: a
   * new random one, or `nonce` to put a taken entry back for the window that still shows it.
   */
  put(entry: PendingToken, nonce?: string): Promise<string>;
  /**
   * Removes and returns the entry if unexpired, owned by this Slack user and put under `nonce`
   * (another nonce finds nothing and leaves the entry); of concurrent takers only one gets it.
   */
  take(nonce: string, teamId: string, userId: string): Promise<PendingToken | undefined>;
  /** Drops the user's entry (on disconnect). */
  dropUser(teamId: string, userId: string): Promise<void>;
}

export interface PendingTokensOptions {
  ttlMs?: number;
  /** Clock in ms (tests); must match the store's clock. */
  now?: () => number;
}

const KIND = "connect-token";

const storedSchema = z.object({
  nonce: z.string(),
  expiresAt: z.number(),
  token: z.string(),
  user: userSchema,
  orgs: z.array(organizationSchema),
});
type Stored = z.infer<typeof storedSchema>;

export const pendingTokenId = (teamId: string, userId: string) => `${teamId}:${userId}`;

export function createPendingTokens(
  shared: SharedState,
  opts: PendingTokensOptions = {},
): PendingTokens {
  const ttlMs = opts.ttlMs ?? 10 * 60_000;
  const now = opts.now ?? Date.now;
  const put = (teamId: string, userId: string, stored: Stored, ms: number) =>
    shared.putPending(KIND, pendingTokenId(teamId, userId), JSON.stringify(stored), ms);

  return {
    async put(entry, nonce = randomBytes(18).toString("base64url")) {
      const stored: Stored = {
        nonce,
        expiresAt: now() + ttlMs,
        token: entry.token,
        user: entry.user,
        orgs: [...entry.orgs],
      };
      await put(entry.teamId, entry.userId, stored, ttlMs);
      return nonce;
    },
    async take(nonce, teamId, userId) {
      const raw = await shared.takePending(KIND, pendingTokenId(teamId, userId));
      if (raw === undefined) return undefined;
      const parsed = storedSchema.safeParse(safeJson(raw));
      if (!parsed.success) return undefined;
      const stored = parsed.data;
      if (stored.nonce !== nonce) {
        // Another window's token (a newer one, or the nonce is forged): leave it where it was.
        const left = stored.expiresAt - now();
        if (left > 0) await put(teamId, userId, stored, Math.ceil(left));
        return undefined;
      }
      return { teamId, userId, token: stored.token, user: stored.user, orgs: stored.orgs };
    },
    async dropUser(teamId, userId) {
      await shared.takePending(KIND, pendingTokenId(teamId, userId));
    },
  };
}

function safeJson(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return undefined;
  }
}
