import pg from "pg";
import { openToken, TokenDecryptError, tokenAad } from "./crypto.ts";
import { createPostgresLiveState } from "./postgres-live-state.ts";
import { migratePostgres } from "./postgres-migrations.ts";
import { createPostgresSharedState } from "./postgres-shared-state.ts";
import type { SharedStore } from "./shared-state.ts";
import { StoreKeyError } from "./sqlite-store.ts";
import {
  assertConnectionInput,
  type Connection,
  connectionValues,
  type StoreClockOptions,
} from "./store.ts";

export interface PostgresStoreOptions extends StoreClockOptions {
  /** postgres://user:password@host:port/database (DATABASE_URL). */
  connectionString: string;
  /** 32-byte AES-256-GCM key (config.encryptionKey): the same on every instance. */
  key: Buffer;
  /** Most connections this process opens (DATABASE_POOL_SIZE). */
  poolSize?: number;
  /** Postgres cancels any statement running longer (DATABASE_STATEMENT_TIMEOUT_MS). */
  statementTimeoutMs?: number;
  /** An idle pooled connection failed (e.g. the server restarted); the pool replaces it. */
  onIdleError?: (error: Error) => void;
}

/** The URL as it may be logged: no password, no query string. */
export function describeDatabaseUrl(connectionString: string): string {
  try {
    const url = new URL(connectionString);
    const user = url.username ? `${decodeURIComponent(url.username)}@` : "";
    return `${url.protocol}//${user}${url.host}${url.pathname}`;
  } catch {
    return "(unparsable DATABASE_URL)";
  }
}

interface Row {
  team_id: string;
  user_id: string;
  token_sealed: string;
  org_id: string;
  org_name: string | null;
  tallyfy_user_id: string | null;
  tallyfy_email: string | null;
  tallyfy_name: string | null;
  status: string;
  created_at: Date;
  updated_at: Date;
}

/**
 * Connections and shared state in Postgres, for several instances behind a load balancer.
 * Tokens are sealed exactly as in the SQLite store. Opening migrates (under an advisory lock)
 * and refuses to start if stored tokens don't open with `key`.
 */
export async function openPostgresStore(opts: PostgresStoreOptions): Promise<SharedStore> {
  if (opts.key.length !== 32) {
    throw new RangeError(`Token encryption key must be 32 bytes, got ${opts.key.length}`);
  }
  const key = opts.key;
  const now = opts.now ?? (() => new Date());
  const where = describeDatabaseUrl(opts.connectionString);
  const pool = new pg.Pool({
    connectionString: opts.connectionString,
    max: opts.poolSize ?? 10,
    statement_timeout: opts.statementTimeoutMs ?? 5000,
    connectionTimeoutMillis: 10_000,
    idleTimeoutMillis: 30_000,
    application_name: "tallyfy-for-slack",
  });
  pool.on("error", (error) => opts.onIdleError?.(error));
  try {
    const client = await pool.connect().catch((error: Error) => {
      throw new Error(`Can't connect to PostgreSQL at ${where}: ${error.message}`);
    });
    try {
      await migratePostgres(client);
      const failed = await countUndecryptable(client, key);
      if (failed > 0) {
        throw new StoreKeyError(failed, `the connections table of ${where}`);
      }
    } finally {
      client.release();
    }
  } catch (error) {
    await pool.end();
    throw error;
  }

  let closed = false;
  const ensureOpen = () => {
    if (closed) throw new Error("The connection store is closed");
  };
  const toConnection = (row: Row): Connection => ({
    teamId: row.team_id,
    userId: row.user_id,
    token: openToken(key, row.token_sealed, tokenAad(row.team_id, row.user_id)),
    orgId: row.org_id,
    orgName: row.org_name,
    tallyfyUserId: row.tallyfy_user_id === null ? null : Number(row.tallyfy_user_id),
    tallyfyEmail: row.tallyfy_email,
    tallyfyName: row.tallyfy_name,
    status: row.status === "invalid" ? "invalid" : "ok",
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  });

  return {
    ...createPostgresSharedState(pool, key, now, ensureOpen),
    ...createPostgresLiveState(pool, key, now, ensureOpen),
    async get(teamId, userId) {
      ensureOpen();
      const found = await pool.query<Row>(
        "SELECT * FROM connections WHERE team_id = $1 AND user_id = $2",
        [teamId, userId],
      );
      return found.rows[0] ? toConnection(found.rows[0]) : undefined;
    },
    async put(c) {
      ensureOpen();
      assertConnectionInput(c);
      const at = now();
      const saved = await pool.query<Row>(
        `INSERT INTO connections (team_id, user_id, token_sealed, org_id, org_name,
           tallyfy_user_id, tallyfy_email, tallyfy_name, status, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10)
         ON CONFLICT (team_id, user_id) DO UPDATE SET
           token_sealed = excluded.token_sealed, org_id = excluded.org_id,
           org_name = excluded.org_name, tallyfy_user_id = excluded.tallyfy_user_id,
           tallyfy_email = excluded.tallyfy_email, tallyfy_name = excluded.tallyfy_name,
           status = excluded.status, updated_at = excluded.updated_at
         RETURNING *`,
        [...connectionValues(key, c), at],
      );
      const row = saved.rows[0];
      if (!row) throw new Error("Connection was not saved");
      return toConnection(row);
    },
    async delete(teamId, userId) {
      ensureOpen();
      const gone = await pool.query("DELETE FROM connections WHERE team_id = $1 AND user_id = $2", [
        teamId,
        userId,
      ]);
      return (gone.rowCount ?? 0) > 0;
    },
    async markInvalid(teamId, userId, token) {
      ensureOpen();
      // Only while the row still holds the rejected token: the row is locked between the
      // compare (which needs the key, so it can't be SQL) and the update.
      const client = await pool.connect();
      try {
        await client.query("BEGIN");
        const found = await client.query<Pick<Row, "token_sealed">>(
          "SELECT token_sealed FROM connections WHERE team_id = $1 AND user_id = $2 FOR UPDATE",
          [teamId, userId],
        );
        const sealed = found.rows[0]?.token_sealed;
        const same = sealed !== undefined && sealedTokenIs(key, sealed, teamId, userId, token);
        if (same) {
          await client.query(
            "UPDATE connections SET status = 'invalid', updated_at = $1 WHERE team_id = $2 AND user_id = $3",
            [now(), teamId, userId],
          );
        }
        await client.query("COMMIT");
        return same;
      } catch (error) {
        await client.query("ROLLBACK").catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    async count() {
      ensureOpen();
      const n = await pool.query<{ n: string }>("SELECT count(*) AS n FROM connections");
      return Number(n.rows[0]?.n ?? 0);
    },
    async close() {
      if (closed) return;
      closed = true;
      await pool.end();
    },
  };
}

function sealedTokenIs(
  key: Buffer,
  sealed: string,
  teamId: string,
  userId: string,
  token: string,
): boolean {
  try {
    return openToken(key, sealed, tokenAad(teamId, userId)) === token;
  } catch (error) {
    if (error instanceof TokenDecryptError) return false;
    throw error;
  }
}

async function countUndecryptable(client: pg.ClientBase, key: Buffer): Promise<number> {
  const rows = await client.query<Pick<Row, "team_id" | "user_id" | "token_sealed">>(
    "SELECT team_id, user_id, token_sealed FROM connections",
  );
  let failed = 0;
  for (const row of rows.rows) {
    try {
      openToken(key, row.token_sealed, tokenAad(row.team_id, row.user_id));
    } catch (error) {
      if (!(error instanceof TokenDecryptError)) throw error;
      failed++;
    }
  }
  return failed;
}
