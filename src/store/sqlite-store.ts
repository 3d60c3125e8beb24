import { chmodSync, mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { DatabaseSync, type SQLOutputValue } from "node:sqlite";
import { openToken, TokenDecryptError, tokenAad } from "./crypto.ts";
import { createGroupCommit } from "./group-commit.ts";
import { migrate } from "./migrations.ts";
import type { SharedStore } from "./shared-state.ts";
import { createSqliteLiveState } from "./sqlite-live-state.ts";
import { createSqliteSharedState } from "./sqlite-shared-state.ts";
import {
  assertConnectionInput,
  type Connection,
  connectionValues,
  type StoreClockOptions,
} from "./store.ts";

export const DEFAULT_DB_FILE = "connections.sqlite";

/** Stored connections exist that the configured key can't open; nothing has been changed. */
export class StoreKeyError extends Error {
  readonly failed: number;
  readonly path: string;
  constructor(failed: number, path: string) {
    const what =
      failed === 1 ? "1 stored Tallyfy connection" : `${failed} stored Tallyfy connections`;
    super(
      `${what} can't be decrypted with TOKEN_ENCRYPTION_KEY. The key changed or the data is corrupt. Restore the previous key, or delete ${path} to make everyone reconnect.`,
    );
    this.name = "StoreKeyError";
    this.failed = failed;
    this.path = path;
  }
}

/** SQLite opened the file read-only (permissions, a read-only mount): every save would fail. */
export class StoreNotWritableError extends Error {
  readonly path: string;
  constructor(path: string, cause: unknown) {
    super(
      `The connection database ${path} can't be written (${(cause as Error)?.message ?? cause}), so nobody could connect or disconnect. Make it and its folder (DATA_DIR) writable by the user running the bot.`,
      { cause },
    );
    this.name = "StoreNotWritableError";
    this.path = path;
  }
}

export interface SqliteStoreOptions extends StoreClockOptions {
  dataDir: string;
  /** 32-byte AES-256-GCM key (config.encryptionKey). */
  key: Buffer;
  fileName?: string;
}

type Row = Record<string, SQLOutputValue>;

const text = (v: SQLOutputValue | undefined): string | null => (typeof v === "string" ? v : null);
const int = (v: SQLOutputValue | undefined): number | null =>
  typeof v === "number" || typeof v === "bigint" ? Number(v) : null;

/** Tokens are sealed with AES-256-GCM bound to (team, user); every other column is plain. */
export async function openSqliteStore(opts: SqliteStoreOptions): Promise<SharedStore> {
  if (opts.key.length !== 32) {
    throw new RangeError(`Token encryption key must be 32 bytes, got ${opts.key.length}`);
  }
  const key = opts.key;
  const now = opts.now ?? (() => new Date());
  mkdirSync(opts.dataDir, { recursive: true, mode: 0o700 });
  const path = resolve(join(opts.dataDir, opts.fileName ?? DEFAULT_DB_FILE));
  const db = writable(path, () => new DatabaseSync(path, { timeout: 5000 }));
  try {
    restrictPermissions(path);
    writable(path, () => {
      whileBusy(() => db.exec("PRAGMA journal_mode = WAL"));
      db.exec("PRAGMA synchronous = NORMAL");
      probeWrite(db);
    });
    migrate(db);
    const failed = countUndecryptable(db, key);
    if (failed > 0) throw new StoreKeyError(failed, path);
  } catch (error) {
    db.close();
    throw error;
  }

  const selectOne = db.prepare("SELECT * FROM connections WHERE team_id = ? AND user_id = ?");
  const upsert = db.prepare(`
    INSERT INTO connections (team_id, user_id, token_sealed, org_id, org_name, tallyfy_user_id,
      tallyfy_email, tallyfy_name, status, created_at, updated_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (team_id, user_id) DO UPDATE SET
      token_sealed = excluded.token_sealed, org_id = excluded.org_id, org_name = excluded.org_name,
      tallyfy_user_id = excluded.tallyfy_user_id, tallyfy_email = excluded.tallyfy_email,
      tallyfy_name = excluded.tallyfy_name, status = excluded.status,
      updated_at = excluded.updated_at
  `);
  const remove = db.prepare("DELETE FROM connections WHERE team_id = ? AND user_id = ?");
  // One statement, so a reconnect can't slip in between the token check and the update.
  db.function("sealed_token_is", { deterministic: true }, (sealed, teamId, userId, token) =>
    sealedTokenIs(key, sealed, teamId, userId, token) ? 1 : 0,
  );
  const invalidate = db.prepare(`
    UPDATE connections SET status = 'invalid', updated_at = ?
    WHERE team_id = ? AND user_id = ? AND sealed_token_is(token_sealed, team_id, user_id, ?)
  `);
  const countAll = db.prepare("SELECT COUNT(*) AS n FROM connections");

  const ensureOpen = () => {
    if (!db.isOpen) throw new Error("The connection store is closed");
  };
  const toConnection = (row: Row): Connection => {
    const teamId = String(row.team_id);
    const userId = String(row.user_id);
    return {
      teamId,
      userId,
      token: openToken(key, String(row.token_sealed), tokenAad(teamId, userId)),
      orgId: String(row.org_id),
      orgName: text(row.org_name),
      tallyfyUserId: int(row.tallyfy_user_id),
      tallyfyEmail: text(row.tallyfy_email),
      tallyfyName: text(row.tallyfy_name),
      status: row.status === "invalid" ? "invalid" : "ok",
      createdAt: new Date(int(row.created_at) ?? 0),
      updatedAt: new Date(int(row.updated_at) ?? 0),
    };
  };
  const get = (teamId: string, userId: string) => {
    const row = selectOne.get(teamId, userId);
    return row ? toConnection(row) : undefined;
  };

  const group = createGroupCommit(db);
  return {
    ...createSqliteSharedState(db, key, now, ensureOpen, group),
    ...createSqliteLiveState(db, key, now, ensureOpen, group),
    async get(teamId, userId) {
      ensureOpen();
      return get(teamId, userId);
    },
    async put(c) {
      ensureOpen();
      assertConnectionInput(c);
      const at = now().getTime();
      upsert.run(...connectionValues(key, c), at, at);
      const stored = get(c.teamId, c.userId);
      if (!stored) throw new Error("Connection was not saved");
      return stored;
    },
    async delete(teamId, userId) {
      ensureOpen();
      return Number(remove.run(teamId, userId).changes) > 0;
    },
    async markInvalid(teamId, userId, token) {
      ensureOpen();
      return Number(invalidate.run(now().getTime(), teamId, userId, token).changes) > 0;
    },
    async count() {
      ensureOpen();
      return int(countAll.get()?.n) ?? 0;
    },
    async close() {
      if (!db.isOpen) return;
      group.flush();
      db.close();
    },
  };
}

function sealedTokenIs(
  key: Buffer,
  sealed: SQLOutputValue,
  teamId: SQLOutputValue,
  userId: SQLOutputValue,
  token: SQLOutputValue,
): boolean {
  if (typeof sealed !== "string" || typeof token !== "string") return false;
  try {
    return openToken(key, sealed, tokenAad(String(teamId), String(userId))) === token;
  } catch (error) {
    if (error instanceof TokenDecryptError) return false;
    throw error;
  }
}

/**
 * Switching a fresh file to WAL needs an exclusive lock, and SQLite answers SQLITE_BUSY at once
 * (no busy handler) when another process opening the same new file holds a shared one: retry
 * briefly. Start-up only, so a synchronous wait is fine.
 */
function whileBusy(step: () => void, tries = 100): void {
  for (let i = 1; ; i++) {
    try {
      step();
      return;
    } catch (error) {
      if ((error as { errcode?: unknown }).errcode !== 5 || i >= tries) throw error;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
    }
  }
}

/** Primary result codes meaning "this process can't write there" (SQLite may add extended bits). */
const NOT_WRITABLE = new Set([3 /* PERM */, 8 /* READONLY */, 14 /* CANTOPEN */]);

function writable<T>(path: string, step: () => T): T {
  try {
    return step();
  } catch (error) {
    const code = (error as { errcode?: unknown }).errcode;
    if (typeof code === "number" && NOT_WRITABLE.has(code & 0xff)) {
      throw new StoreNotWritableError(path, error);
    }
    throw error;
  }
}

/**
 * SQLite quietly opens a file it may not write read-only, and only the first save would fail:
 * make a real write (rolled back) now so the bot refuses to start instead.
 */
function probeWrite(db: DatabaseSync): void {
  try {
    db.exec("BEGIN IMMEDIATE");
    db.exec("CREATE TABLE write_probe (x INTEGER)");
  } finally {
    if (db.isTransaction) db.exec("ROLLBACK");
  }
}

function countUndecryptable(db: DatabaseSync, key: Buffer): number {
  let failed = 0;
  for (const row of db
    .prepare("SELECT team_id, user_id, token_sealed FROM connections")
    .iterate()) {
    try {
      openToken(key, String(row.token_sealed), tokenAad(String(row.team_id), String(row.user_id)));
    } catch (error) {
      if (!(error instanceof TokenDecryptError)) throw error;
      failed++;
    }
  }
  return failed;
}

/** Tokens are encrypted, but the file still holds who is connected: keep it owner-only. */
function restrictPermissions(path: string): void {
  try {
    chmodSync(path, 0o600);
  } catch {
    // Not every filesystem supports modes (e.g. Windows); encryption is the real protection.
  }
}
