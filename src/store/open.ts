import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { DatabaseSync } from "node:sqlite";
import type { SharedStore } from "./shared-state.ts";
import { DEFAULT_DB_FILE, openSqliteStore } from "./sqlite-store.ts";
import { createMemoryStore } from "./store.ts";

/** Connections were saved with a key, and the bot was started without one. */
export class StoreKeyMissingError extends Error {
  readonly path: string;
  constructor(message: string, path: string) {
    super(message);
    this.name = "StoreKeyMissingError";
    this.path = path;
  }
}

export interface OpenConnectionStoreOptions {
  dataDir: string;
  /** config.encryptionKey: undefined means people can't connect their own accounts. */
  key: Buffer | undefined;
}

/**
 * The store the bot runs with. With a key: the SQLite file under dataDir (refuses a key that
 * can't open what is stored, or a file it can't write). Without one: memory, but only when
 * dataDir holds no saved connections; starting anyway would quietly act for those people with
 * the workspace token.
 */
export async function openConnectionStore(opts: OpenConnectionStoreOptions): Promise<SharedStore> {
  if (opts.key) return openSqliteStore({ dataDir: opts.dataDir, key: opts.key });
  const path = resolve(join(opts.dataDir, DEFAULT_DB_FILE));
  const saved = savedConnections(path);
  if (saved !== 0) {
    const what =
      saved === undefined
        ? "may hold saved Tallyfy connections (it can't be read)"
        : `holds ${saved === 1 ? "1 saved Tallyfy connection" : `${saved} saved Tallyfy connections`}`;
    throw new StoreKeyMissingError(
      `${path} ${what}, but TOKEN_ENCRYPTION_KEY is not set. Without it those people's commands would run with the workspace token. Set TOKEN_ENCRYPTION_KEY to the key they were saved with, or delete ${path} to make everyone reconnect.`,
      path,
    );
  }
  return createMemoryStore();
}

/** How many connections the file holds: 0 when there is no file or table; undefined if unreadable. */
function savedConnections(path: string): number | undefined {
  if (!existsSync(path)) return 0;
  let db: DatabaseSync | undefined;
  try {
    db = new DatabaseSync(path, { readOnly: true, timeout: 5000 });
    const table = db
      .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'connections'")
      .get();
    if (!table) return 0;
    return Number(db.prepare("SELECT COUNT(*) AS n FROM connections").get()?.n ?? 0);
  } catch {
    return undefined;
  } finally {
    db?.close();
  }
}
