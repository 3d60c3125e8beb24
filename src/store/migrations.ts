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
  (db) => {
    // Live cards (live-state.ts). Times are ms since the epoch.
    db.exec(`
      CREATE TABLE cards (
        team_id TEXT NOT NULL,
        channel TEXT NOT NULL,
        ts TEXT NOT NULL,
        run_id TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('status', 'task', 'unfurl')),
        org_id TEXT,
        task_id TEXT,
        url TEXT,
        user_id TEXT,
        fingerprint TEXT,
        created_at INTEGER NOT NULL,
        active_at INTEGER NOT NULL,
        PRIMARY KEY (team_id, channel, ts)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX cards_run ON cards (run_id);
      CREATE INDEX cards_active ON cards (active_at);
      CREATE INDEX cards_created ON cards (created_at);
      CREATE TABLE webhook_secrets (
        org_id TEXT PRIMARY KEY,
        secret_hash TEXT NOT NULL UNIQUE,
        secret_sealed TEXT NOT NULL,
        team_id TEXT NOT NULL,
        user_id TEXT,
        created_at INTEGER NOT NULL,
        last_arrived_at INTEGER
      ) STRICT, WITHOUT ROWID;
      CREATE TABLE subscriptions (
        team_id TEXT NOT NULL,
        channel TEXT NOT NULL,
        template_id TEXT NOT NULL,
        org_id TEXT NOT NULL,
        template_title TEXT NOT NULL,
        created_by TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        PRIMARY KEY (team_id, channel, template_id)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX subscriptions_template ON subscriptions (org_id, template_id);
      CREATE TABLE notification_settings (
        team_id TEXT NOT NULL,
        user_id TEXT NOT NULL,
        dms_on INTEGER NOT NULL,
        PRIMARY KEY (team_id, user_id)
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
 * its user_version bump, so a failed migration leaves the previous version intact. The version
 * is read inside the write lock: another process may be migrating the same file right now.
 */
export function migrate(db: DatabaseSync, migrations: readonly Migration[] = MIGRATIONS): number {
  for (;;) {
    db.exec("BEGIN IMMEDIATE");
    try {
      const version = schemaVersion(db);
      if (version > migrations.length) {
        throw new Error(
          `The connection database is at schema version ${version}, newer than this app understands (${migrations.length}). Run a newer version of Tallyfy for Slack.`,
        );
      }
      if (version === migrations.length) {
        db.exec("COMMIT");
        return version;
      }
      migrations[version]?.(db);
      db.exec(`PRAGMA user_version = ${version + 1}`);
      db.exec("COMMIT");
    } catch (error) {
      if (db.isTransaction) db.exec("ROLLBACK");
      throw error;
    }
  }
}
