import type { DatabaseSync } from "node:sqlite";

/** Migration N (1-based position in the list) brings the schema from user_version N-1 to N. */
export type Migration = (db: DatabaseSync) => void;

/** Append only: never edit or reorder a migration that has shipped. */
export const MIGRATIONS: readonly Migration[] = [
  (db) => {
    db.exec(`
      CREATE TABLE connections (
        team_id TEXT NOT NULL,
        user_id TEXT NOT NULL,
        token_sealed TEXT NOT NULL,
        org_id TEXT NOT NULL,
        org_name TEXT,
        tallyfy_user_id INTEGER,
        tallyfy_email TEXT,
        tallyfy_name TEXT,
        status TEXT NOT NULL DEFAULT 'ok' CHECK (status IN ('ok', 'invalid')),
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        PRIMARY KEY (team_id, user_id)
      ) STRICT, WITHOUT ROWID
    `);
  },
  (db) => {
    // Shared state (see shared-state.ts); expires_at is ms since the epoch.
    db.exec(`
      CREATE TABLE claims (
        key TEXT PRIMARY KEY,
        owner TEXT NOT NULL,
        expires_at INTEGER NOT NULL
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX claims_owner ON claims (owner);
      CREATE TABLE seen_keys (
        key TEXT PRIMARY KEY,
        expires_at INTEGER NOT NULL
      ) STRICT, WITHOUT ROWID;
      CREATE TABLE pending (
        kind TEXT NOT NULL,
        id TEXT NOT NULL,
        value_sealed TEXT NOT NULL,
        expires_at INTEGER NOT NULL,
        PRIMARY KEY (kind, id)
      ) STRICT, WITHOUT ROWID;
    `);
  },
];

export function schemaVersion(db: DatabaseSync): number {
  const row = db.prepare("PRAGMA user_version").get();
  return Number(row?.user_version ?? 0);
}

/**
 * Runs the migrations the database has not had yet, each in its own transaction together with
 * its user_version bump, so a failed migration leaves the previous version intact.
 */
export function migrate(db: DatabaseSync, migrations: readonly Migration[] = MIGRATIONS): number {
  const from = schemaVersion(db);
  if (from > migrations.length) {
    throw new Error(
      `The connection database is at schema version ${from}, newer than this app understands (${migrations.length}). Run a newer version of Tallyfy for Slack.`,
    );
  }
  for (let version = from + 1; version <= migrations.length; version++) {
    db.exec("BEGIN IMMEDIATE");
    try {
      migrations[version - 1]?.(db);
      db.exec(`PRAGMA user_version = ${version}`);
      db.exec("COMMIT");
    } catch (error) {
      db.exec("ROLLBACK");
      throw error;
    }
  }
  return migrations.length;
}
