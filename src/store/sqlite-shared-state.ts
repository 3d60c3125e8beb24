import type { DatabaseSync } from "node:sqlite";
import { openToken, sealToken } from "./crypto.ts";
import type { GroupCommit } from "./group-commit.ts";
import {
  assertClaimArgs,
  assertPendingArgs,
  assertSeenArgs,
  createSweepPacer,
  pendingAad,
  type SharedState,
  SWEEP_INTERVAL_MS,
} from "./shared-state.ts";

const ms = (v: unknown): number => (typeof v === "number" || typeof v === "bigint" ? Number(v) : 0);

/**
 * Shared state in the SQLite file (migration 2). Every operation is one statement, so it is
 * atomic even with several connections to the same file; SQLite still serves one host only.
 */
export function createSqliteSharedState(
  db: DatabaseSync,
  key: Buffer,
  now: () => Date,
  ensureOpen: () => void,
  group: GroupCommit,
): SharedState {
  // The upserts touch the row only when the old one expired: RETURNING then names the winner.
  const claim = db.prepare(`
    INSERT INTO claims (key, owner, expires_at) VALUES (?, ?, ?)
    ON CONFLICT (key) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at
      WHERE claims.expires_at <= ?
    RETURNING key
  `);
  const release = db.prepare("DELETE FROM claims WHERE key = ? AND owner = ? RETURNING expires_at");
  const releaseAll = db.prepare("DELETE FROM claims WHERE owner = ? RETURNING expires_at");
  const seen = db.prepare(`
    INSERT INTO seen_keys (key, expires_at) VALUES (?, ?)
    ON CONFLICT (key) DO UPDATE SET expires_at = excluded.expires_at
      WHERE seen_keys.expires_at <= ?
    RETURNING key
  `);
  const put = db.prepare(`
    INSERT INTO pending (kind, id, value_sealed, expires_at) VALUES (?, ?, ?, ?)
    ON CONFLICT (kind, id) DO UPDATE SET
      value_sealed = excluded.value_sealed, expires_at = excluded.expires_at
  `);
  const take = db.prepare(
    "DELETE FROM pending WHERE kind = ? AND id = ? RETURNING value_sealed, expires_at",
  );
  const sweeps = ["claims", "seen_keys", "pending"].map((table) =>
    db.prepare(`DELETE FROM ${table} WHERE expires_at <= ?`),
  );

  const t = () => now().getTime();
  const sweepDue = createSweepPacer(SWEEP_INTERVAL_MS, t);
  const sweep = () => {
    if (!sweepDue()) return;
    const at = t();
    for (const statement of sweeps) statement.run(at);
  };

  return {
    async claim(k, ttlMs, owner) {
      ensureOpen();
      assertClaimArgs(k, ttlMs, owner);
      sweep();
      const at = t();
      return claim.get(k, owner, at + ttlMs, at) !== undefined;
    },
    async release(k, owner) {
      ensureOpen();
      const row = release.get(k, owner);
      return row !== undefined && ms(row.expires_at) > t();
    },
    async releaseClaims(owner) {
      ensureOpen();
      const at = t();
      return releaseAll.all(owner).filter((row) => ms(row.expires_at) > at).length;
    },
    async seenOnce(k, ttlMs) {
      ensureOpen();
      assertSeenArgs(k, ttlMs);
      // One per Slack request: committed with the others of this turn (group-commit.ts).
      return group.write(() => {
        sweep();
        const at = t();
        return seen.get(k, at + ttlMs, at) !== undefined;
      });
    },
    async putPending(kind, id, value, ttlMs) {
      ensureOpen();
      assertPendingArgs(kind, id, ttlMs);
      sweep();
      put.run(kind, id, sealToken(key, value, pendingAad(kind, id)), t() + ttlMs);
    },
    async takePending(kind, id) {
      ensureOpen();
      const row = take.get(kind, id);
      if (!row || ms(row.expires_at) <= t()) return undefined;
      return openToken(key, String(row.value_sealed), pendingAad(kind, id));
    },
  };
}
