import { randomBytes } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openToken, TokenDecryptError, tokenAad } from "../../src/store/crypto.ts";
import { PG_MIGRATIONS } from "../../src/store/postgres-migrations.ts";
import {
  describeDatabaseUrl,
  openPostgresStore,
  type PostgresStoreOptions,
} from "../../src/store/postgres-store.ts";
import { pendingAad, type SharedStore } from "../../src/store/shared-state.ts";
import { StoreKeyError } from "../../src/store/sqlite-store.ts";
import type { ConnectionInput } from "../../src/store/store.ts";
import {
  createTestSchema,
  DATABASE_URL,
  SKIP_REASON,
  type TestSchema,
  urlForSchema,
} from "../support/postgres.ts";

const TOKEN = "tly_pat_5e4d3c2b1a0918273645f5e4d3c2b1a0";
const input = (userId: string, token = `${TOKEN}-${userId}`): ConnectionInput => ({
  teamId: "T1",
  userId,
  token,
  orgId: "org-1",
  orgName: "Acme",
  tallyfyUserId: 7,
  tallyfyEmail: `${userId.toLowerCase()}@example.com`,
  tallyfyName: null,
});

describe("describeDatabaseUrl", () => {
  it("keeps user, host, port and database, and drops the password and query", () => {
    expect(
      describeDatabaseUrl("postgres://bot:s3cr%40t@db.internal:5433/tallyfy?sslmode=require"),
    ).toBe("postgres://bot@db.internal:5433/tallyfy");
    expect(describeDatabaseUrl("postgresql://db/tallyfy")).toBe("postgresql://db/tallyfy");
    expect(describeDatabaseUrl("not a url :secret@")).not.toContain("secret");
  });
});

describe.skipIf(!DATABASE_URL)("openPostgresStore", () => {
  let schema: TestSchema;
  const stores: SharedStore[] = [];
  const open = async (over: Partial<PostgresStoreOptions> = {}) => {
    const store = await openPostgresStore({
      connectionString: schema.url,
      key: randomBytes(32),
      ...over,
    });
    stores.push(store);
    return store;
  };
  beforeEach(async () => {
    schema = await createTestSchema();
  });
  afterEach(async () => {
    for (const s of stores.splice(0)) await s.close();
    await schema.drop();
  });

  it("migrates once when several instances start at the same time", async () => {
    const key = randomBytes(32);
    await Promise.all(Array.from({ length: 10 }, () => open({ key })));
    const versions = await schema.query<{ version: number }>(
      "SELECT version FROM tallyfy_schema_migrations ORDER BY version",
    );
    expect(versions.rows.map((r) => r.version)).toEqual(PG_MIGRATIONS.map((_, i) => i + 1));
    const tables = await schema.query<{ table_name: string }>(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY 1",
      [schema.name],
    );
    expect(tables.rows.map((r) => r.table_name)).toEqual([
      "cards",
      "claims",
      "connections",
      "notification_settings",
      "pending",
      "seen_keys",
      "subscriptions",
      "tallyfy_schema_migrations",
      "webhook_secrets",
    ]);
  });

  it("keeps connections across a restart and between instances with the same key", async () => {
    const key = randomBytes(32);
    const first = await open({ key });
    await first.put(input("U1"));
    expect(await first.markInvalid("T1", "U1", `${TOKEN}-U1`)).toBe(true);
    await first.close();
    const second = await open({ key: Buffer.from(key) });
    const third = await open({ key });
    expect(await second.get("T1", "U1")).toMatchObject({ token: `${TOKEN}-U1`, status: "invalid" });
    await third.put(input("U2"));
    expect((await second.get("T1", "U2"))?.tallyfyUserId).toBe(7);
  });

  it("stores tokens and pending values sealed, each opening only where it was put", async () => {
    const key = randomBytes(32);
    const store = await open({ key });
    await store.put(input("U1", TOKEN));
    await store.putPending("org-picker", "T1:U1", TOKEN, 60_000);
    const dump = await schema.query(
      "SELECT c.token_sealed, p.value_sealed FROM connections c, pending p",
    );
    expect(JSON.stringify(dump.rows)).not.toContain(TOKEN);
    const { token_sealed, value_sealed } = dump.rows[0] as Record<string, string>;
    expect(openToken(key, token_sealed!, tokenAad("T1", "U1"))).toBe(TOKEN);
    expect(openToken(key, value_sealed!, pendingAad("org-picker", "T1:U1"))).toBe(TOKEN);
    await schema.query("UPDATE pending SET id = 'T1:U2'");
    await expect(store.takePending("org-picker", "T1:U2")).rejects.toThrow(TokenDecryptError);
  });

  it("refuses a changed key with StoreKeyError naming the count, never the token", async () => {
    const first = await open();
    await first.put(input("U1"));
    await first.put(input("U2"));
    await first.close();
    const error = await openPostgresStore({
      connectionString: schema.url,
      key: randomBytes(32),
    }).catch((e) => e);
    expect(error).toBeInstanceOf(StoreKeyError);
    expect((error as StoreKeyError).failed).toBe(2);
    expect((error as Error).message).toMatch(/^2 stored Tallyfy connections can't be decrypted/);
    expect(JSON.stringify(error) + (error as Error).message).not.toContain(TOKEN);
    const rows = await schema.query("SELECT count(*)::int AS n FROM connections");
    expect(rows.rows[0]?.n).toBe(2);
  });

  it("refuses a database migrated by a newer version of the app", async () => {
    await (await open()).close();
    await schema.query("INSERT INTO tallyfy_schema_migrations (version) VALUES ($1)", [
      PG_MIGRATIONS.length + 1,
    ]);
    await expect(
      openPostgresStore({ connectionString: schema.url, key: randomBytes(32) }),
    ).rejects.toThrow(/newer than this app understands/);
  });

  it("cancels a statement that runs past the statement timeout", async () => {
    const store = await open({ statementTimeoutMs: 200 });
    await store.claim("k", 60_000, "a");
    const locker = await schema.client();
    await locker.query("BEGIN");
    await locker.query("SELECT * FROM claims WHERE key = 'k' FOR UPDATE");
    await expect(store.claim("k", 60_000, "b")).rejects.toThrow(/statement timeout/);
    await locker.query("ROLLBACK");
    expect(await store.claim("k", 60_000, "b")).toBe(false);
  });

  it("opens at most pool-size connections to the database", async () => {
    const app = `tallyfy-pool-${randomBytes(4).toString("hex")}`;
    const store = await open({
      connectionString: urlForSchema(schema.name, { application_name: app }),
      poolSize: 2,
    });
    const locker = await schema.client();
    await store.claim("k", 60_000, "a");
    await locker.query("BEGIN");
    await locker.query("SELECT * FROM claims WHERE key = 'k' FOR UPDATE");
    // Six claims queue on the lock; only two can hold a connection while they wait.
    const waiting = Array.from({ length: 6 }, (_, i) => store.claim("k", 60_000, `o${i}`));
    await expect
      .poll(async () => {
        const r = await schema.query(
          "SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1 AND wait_event_type = 'Lock'",
          [app],
        );
        return r.rows[0]?.n;
      })
      .toBe(2);
    const total = await schema.query(
      "SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1",
      [app],
    );
    expect(total.rows[0]?.n).toBe(2);
    await locker.query("ROLLBACK");
    expect(await Promise.all(waiting)).toEqual([false, false, false, false, false, false]);
  });

  it("removes expired rows lazily while it is written to", async () => {
    let time = Date.UTC(2025, 0, 1);
    const store = await open({ now: () => new Date(time) });
    await store.claim("old-claim", 1000, "a");
    await store.seenOnce("old-event", 1000);
    await store.putPending("command", "old", "v", 1000);
    await store.claim("live-claim", 10 * 60_000, "a");
    time += 2 * 60_000;
    await store.seenOnce("new-event", 60_000);
    const left = await schema.query(
      "SELECT key FROM claims UNION ALL SELECT key FROM seen_keys UNION ALL SELECT id FROM pending ORDER BY 1",
    );
    expect(left.rows.map((r) => r.key)).toEqual(["live-claim", "new-event"]);
  });

  it("says where it could not connect, without the password", async () => {
    const url = new URL(DATABASE_URL!);
    url.password = "hunter2-secret";
    url.port = "1";
    url.hostname = "127.0.0.1";
    const error = await openPostgresStore({
      connectionString: url.toString(),
      key: randomBytes(32),
    }).catch((e: Error) => e);
    expect((error as Error).message).toMatch(/^Can't connect to PostgreSQL at postgres(ql)?:\/\//);
    expect((error as Error).message).toContain("127.0.0.1:1");
    expect((error as Error).message).not.toContain("hunter2-secret");
  });
});

if (!DATABASE_URL) {
  describe("openPostgresStore", () => {
    it.skip(SKIP_REASON, () => {});
  });
}
