import type pg from "pg";
import { openToken, sealToken } from "./crypto.ts";
import {
  assertClaimArgs,
  assertPendingArgs,
  assertSeenArgs,
  createSweepPacer,
  pendingAad,
  type SharedState,
  SWEEP_INTERVAL_MS,
} from "./shared-state.ts";

/**
 * Shared state in Postgres, one statement per operation. `INSERT … ON CONFLICT DO UPDATE …
 * WHERE` locks the conflicting row, so of concurrent claimers on any instance exactly one gets
 * a row back; `DELETE … RETURNING` hands a pending value to exactly one taker. Expiry uses the
 * instances' clocks (kept in sync by NTP); the ttls are minutes, far above any skew.
 */
export function createPostgresSharedState(
  pool: pg.Pool,
  key: Buffer,
  now: () => Date,
  ensureOpen: () => void,
): SharedState {
  const sweepDue = createSweepPacer(SWEEP_INTERVAL_MS, () => now().getTime());
  const sweep = async () => {
    if (!sweepDue()) return;
    const at = now();
    await pool.query(
      `WITH a AS (DELETE FROM claims WHERE expires_at <= $1),
            b AS (DELETE FROM seen_keys WHERE expires_at <= $1)
       DELETE FROM pending WHERE expires_at <= $1`,
      [at],
    );
  };
  const later = (at: Date, ttlMs: number) => new Date(at.getTime() + ttlMs);
  const unexpired = (rows: { expires_at: Date }[], at: Date) =>
    rows.filter((r) => r.expires_at.getTime() > at.getTime()).length;

  return {
    async claim(k, ttlMs, owner) {
      ensureOpen();
      assertClaimArgs(k, ttlMs, owner);
      await sweep();
      const at = now();
      const won = await pool.query(
        `INSERT INTO claims (key, owner, expires_at) VALUES ($1, $2, $3)
         ON CONFLICT (key) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at
           WHERE claims.expires_at <= $4
         RETURNING key`,
        [k, owner, later(at, ttlMs), at],
      );
      return won.rowCount === 1;
    },
    async release(k, owner) {
      ensureOpen();
      const gone = await pool.query<{ expires_at: Date }>(
        "DELETE FROM claims WHERE key = $1 AND owner = $2 RETURNING expires_at",
        [k, owner],
      );
      return unexpired(gone.rows, now()) === 1;
    },
    async releaseClaims(owner) {
      ensureOpen();
      const gone = await pool.query<{ expires_at: Date }>(
        "DELETE FROM claims WHERE owner = $1 RETURNING expires_at",
        [owner],
      );
      return unexpired(gone.rows, now());
    },
    async seenOnce(k, ttlMs) {
      ensureOpen();
      assertSeenArgs(k, ttlMs);
      await sweep();
      const at = now();
      const first = await pool.query(
        `INSERT INTO seen_keys (key, expires_at) VALUES ($1, $2)
         ON CONFLICT (key) DO UPDATE SET expires_at = excluded.expires_at
           WHERE seen_keys.expires_at <= $3
         RETURNING key`,
        [k, later(at, ttlMs), at],
      );
      return first.rowCount === 1;
    },
    async putPending(kind, id, value, ttlMs) {
      ensureOpen();
      assertPendingArgs(kind, id, ttlMs);
      await sweep();
      await pool.query(
        `INSERT INTO pending (kind, id, value_sealed, expires_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (kind, id) DO UPDATE SET
           value_sealed = excluded.value_sealed, expires_at = excluded.expires_at`,
        [kind, id, sealToken(key, value, pendingAad(kind, id)), later(now(), ttlMs)],
      );
    },
    async takePending(kind, id) {
      ensureOpen();
      const taken = await pool.query<{ value_sealed: string; expires_at: Date }>(
        "DELETE FROM pending WHERE kind = $1 AND id = $2 RETURNING value_sealed, expires_at",
        [kind, id],
      );
      const row = taken.rows[0];
      if (!row || row.expires_at.getTime() <= now().getTime()) return undefined;
      return openToken(key, row.value_sealed, pendingAad(kind, id));
    },
  };
}
