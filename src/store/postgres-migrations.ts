import type pg from "pg";

/** Migration N (1-based position) brings the schema from version N-1 to N. Append only. */
export const PG_MIGRATIONS: readonly string[] = [
  `CREATE TABLE connections (
    team_id text NOT NULL,
    user_id text NOT NULL,
    token_sealed text NOT NULL,
    org_id text NOT NULL,
    org_name text,
    tallyfy_user_id bigint,
    tallyfy_email text,
    tallyfy_name text,
    status text NOT NULL DEFAULT 'ok' CHECK (status IN ('ok', 'invalid')),
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    PRIMARY KEY (team_id, user_id)
  )`,
  `CREATE TABLE claims (
    key text PRIMARY KEY,
    owner text NOT NULL,
    expires_at timestamptz NOT NULL
  );
  CREATE INDEX claims_owner ON claims (owner);
  CREATE TABLE seen_keys (
    key text PRIMARY KEY,
    expires_at timestamptz NOT NULL
  );
  CREATE TABLE pending (
    kind text NOT NULL,
    id text NOT NULL,
    value_sealed text NOT NULL,
    expires_at timestamptz NOT NULL,
    PRIMARY KEY (kind, id)
  )`,
  `CREATE TABLE cards (
    team_id text NOT NULL,
    channel text NOT NULL,
    ts text NOT NULL,
    run_id text NOT NULL,
    kind text NOT NULL CHECK (kind IN ('status', 'task', 'unfurl')),
    org_id text,
    task_id text,
    url text,
    user_id text,
    fingerprint text,
    created_at timestamptz NOT NULL,
    active_at timestamptz NOT NULL,
    PRIMARY KEY (team_id, channel, ts)
  );
  CREATE INDEX cards_run ON cards (run_id);
  CREATE INDEX cards_active ON cards (active_at);
  CREATE INDEX cards_created ON cards (created_at);
  CREATE TABLE webhook_secrets (
    org_id text PRIMARY KEY,
    secret_hash text NOT NULL UNIQUE,
    secret_sealed text NOT NULL,
    team_id text NOT NULL,
    user_id text,
    created_at timestamptz NOT NULL,
    last_arrived_at timestamptz
  );
  CREATE TABLE subscriptions (
    team_id text NOT NULL,
    channel text NOT NULL,
    template_id text NOT NULL,
    org_id text NOT NULL,
    template_title text NOT NULL,
    created_by text NOT NULL,
    created_at timestamptz NOT NULL,
    PRIMARY KEY (team_id, channel, template_id)
  );
  CREATE INDEX subscriptions_template ON subscriptions (org_id, template_id);
  CREATE TABLE notification_settings (
    team_id text NOT NULL,
    user_id text NOT NULL,
    dms_on boolean NOT NULL,
    PRIMARY KEY (team_id, user_id)
  )`,
];

/**
 * Every instance migrates at start; this session-level advisory lock makes them take turns, so
 * the first one migrates and the others find the schema current. It is database-wide, and
 * Postgres releases it if the holder's connection dies.
 */
export const MIGRATION_LOCK_ID = 7_305_417_123;

export async function pgSchemaVersion(client: pg.ClientBase): Promise<number> {
  const exists = await client.query<{ t: string | null }>(
    "SELECT to_regclass('tallyfy_schema_migrations')::text AS t",
  );
  if (!exists.rows[0]?.t) return 0;
  const row = await client.query<{ v: number | null }>(
    "SELECT max(version) AS v FROM tallyfy_schema_migrations",
  );
  return row.rows[0]?.v ?? 0;
}

/**
 * Runs the migrations this database has not had, each in its own transaction together with
 * its version row, holding the advisory lock throughout. Waits for the lock without a
 * statement timeout: another instance may be migrating.
 */
export async function migratePostgres(
  client: pg.ClientBase,
  migrations: readonly string[] = PG_MIGRATIONS,
): Promise<number> {
  await client.query("SET statement_timeout = 0");
  await client.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK_ID]);
  try {
    await client.query(`CREATE TABLE IF NOT EXISTS tallyfy_schema_migrations (
      version integer PRIMARY KEY,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
    const from = await pgSchemaVersion(client);
    if (from > migrations.length) {
      throw new Error(
        `The Postgres database is at schema version ${from}, newer than this app understands (${migrations.length}). Run a newer version of Tallyfy for Slack.`,
      );
    }
    for (let version = from + 1; version <= migrations.length; version++) {
      await client.query("BEGIN");
      try {
        await client.query(migrations[version - 1] ?? "");
        await client.query("INSERT INTO tallyfy_schema_migrations (version) VALUES ($1)", [
          version,
        ]);
        await client.query("COMMIT");
      } catch (error) {
        await client.query("ROLLBACK");
        throw error;
      }
    }
    return migrations.length;
  } finally {
    await client.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK_ID]);
    await client.query("RESET statement_timeout");
  }
}
