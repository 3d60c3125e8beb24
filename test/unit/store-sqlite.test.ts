import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { afterEach, describe, expect, it } from "vitest";
import { openToken, TokenDecryptError, tokenAad } from "../../src/store/crypto.ts";
import { MIGRATIONS, migrate, schemaVersion } from "../../src/store/migrations.ts";
import { DEFAULT_DB_FILE, openSqliteStore, StoreKeyError } from "../../src/store/sqlite-store.ts";
import type { ConnectionInput, ConnectionStore } from "../../src/store/store.ts";

const dirs: string[] = [];
const stores: ConnectionStore[] = [];
afterEach(async () => {
  for (const store of stores.splice(0)) await store.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "tallyfy-sqlite-"));
  dirs.push(dir);
  return dir;
}

async function open(dataDir: string, key: Buffer, fileName?: string): Promise<ConnectionStore> {
  const store = await openSqliteStore({ dataDir, key, fileName });
  stores.push(store);
  return store;
}

const TOKEN = "tly_pat_9f8e7d6c5b4a39281706f5e4d3c2b1a0";
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

describe("openSqliteStore", () => {
  it("creates a missing data directory and the database file in it", async () => {
    const dataDir = join(tempDir(), "nested", "data");
    await open(dataDir, randomBytes(32));
    expect(existsSync(join(dataDir, DEFAULT_DB_FILE))).toBe(true);
  });

  it("uses WAL mode and the latest schema version", async () => {
    const dir = tempDir();
    const store = await open(dir, randomBytes(32), "c.db");
    await store.close();
    const db = new DatabaseSync(join(dir, "c.db"));
    expect(db.prepare("PRAGMA journal_mode").get()?.journal_mode).toBe("wal");
    expect(schemaVersion(db)).toBe(MIGRATIONS.length);
    db.close();
  });

  it.skipIf(process.platform === "win32")("makes the database file owner-only", async () => {
    const dir = tempDir();
    await open(dir, randomBytes(32));
    expect(statSync(join(dir, DEFAULT_DB_FILE)).mode & 0o777).toBe(0o600);
  });

  it("keeps connections across a restart", async () => {
    const dir = tempDir();
    const key = randomBytes(32);
    const first = await open(dir, key);
    await first.put(input("U1"));
    await first.put(input("U2"));
    await first.markInvalid("T1", "U2", `${TOKEN}-U2`);
    await first.close();

    const second = await open(dir, Buffer.from(key));
    expect(await second.count()).toBe(2);
    expect(await second.get("T1", "U1")).toMatchObject({
      token: `${TOKEN}-U1`,
      status: "ok",
      tallyfyEmail: "u1@example.com",
    });
    expect((await second.get("T1", "U2"))?.status).toBe("invalid");
  });

  it("refuses a changed key with StoreKeyError naming the count, never the token", async () => {
    const dir = tempDir();
    const first = await open(dir, randomBytes(32));
    await first.put(input("U1"));
    await first.put(input("U2"));
    await first.close();

    const error = await openSqliteStore({ dataDir: dir, key: randomBytes(32) }).catch((e) => e);
    expect(error).toBeInstanceOf(StoreKeyError);
    const keyError = error as StoreKeyError;
    expect(keyError.failed).toBe(2);
    expect(keyError.message).toMatch(/^2 stored Tallyfy connections can't be decrypted/);
    expect(keyError.message).toContain("TOKEN_ENCRYPTION_KEY");
    expect(keyError.message).toContain(join(dir, DEFAULT_DB_FILE));
    expect(keyError.message).not.toContain(TOKEN);
    expect(JSON.stringify(keyError)).not.toContain(TOKEN);
  });

  it("does not drop records when the key is wrong, so restoring the key still works", async () => {
    const dir = tempDir();
    const key = randomBytes(32);
    const first = await open(dir, key);
    await first.put(input("U1"));
    await first.close();
    await expect(openSqliteStore({ dataDir: dir, key: randomBytes(32) })).rejects.toThrow(
      StoreKeyError,
    );
    const again = await open(dir, key);
    expect((await again.get("T1", "U1"))?.token).toBe(`${TOKEN}-U1`);
  });

  it("counts only the records that fail, e.g. one moved to another user", async () => {
    const dir = tempDir();
    const key = randomBytes(32);
    const first = await open(dir, key);
    await first.put(input("U1"));
    await first.put(input("U2"));
    await first.close();

    const db = new DatabaseSync(join(dir, DEFAULT_DB_FILE));
    db.prepare("UPDATE connections SET user_id = 'U3' WHERE user_id = 'U2'").run();
    db.close();
    const error = await openSqliteStore({ dataDir: dir, key }).catch((e) => e);
    expect(error).toBeInstanceOf(StoreKeyError);
    expect((error as Error).message).toMatch(/^1 stored Tallyfy connection can't/);
  });

  it("never writes the token in plain text to the database files", async () => {
    const dir = tempDir();
    const store = await open(dir, randomBytes(32));
    await store.put(input("U1", TOKEN));
    await store.markInvalid("T1", "U1", TOKEN);
    const scan = () => readdirSync(dir).map((f) => ({ f, bytes: readFileSync(join(dir, f)) }));
    const whileOpen = scan();
    await store.close();
    const afterClose = scan();
    expect(whileOpen.some(({ f }) => f.endsWith("-wal"))).toBe(true);
    for (const snapshot of [whileOpen, afterClose]) {
      // Plain columns are visible in the files, so this scan would see a plain token too.
      const all = Buffer.concat(snapshot.map(({ bytes }) => bytes));
      expect(all.includes(Buffer.from("u1@example.com"))).toBe(true);
      for (const { f, bytes } of snapshot)
        expect(bytes.includes(Buffer.from(TOKEN)), f).toBe(false);
    }
  });

  it("migrates a database left at an older schema version", async () => {
    const dir = tempDir();
    const path = join(dir, DEFAULT_DB_FILE);
    const key = randomBytes(32);
    const older = MIGRATIONS.length - 1;
    const db = new DatabaseSync(path);
    migrate(db, MIGRATIONS.slice(0, older));
    db.exec("CREATE TABLE unrelated (x INTEGER)");
    expect(schemaVersion(db)).toBe(older);
    db.close();

    const store = await open(dir, key);
    await store.put(input("U1"));
    expect((await store.get("T1", "U1"))?.token).toBe(`${TOKEN}-U1`);
    await store.close();
    const check = new DatabaseSync(path);
    expect(schemaVersion(check)).toBe(MIGRATIONS.length);
    check.close();
  });

  it("refuses a database from a newer version of the app", async () => {
    const dir = tempDir();
    const db = new DatabaseSync(join(dir, DEFAULT_DB_FILE));
    db.exec(`PRAGMA user_version = ${MIGRATIONS.length + 1}`);
    db.close();
    await expect(openSqliteStore({ dataDir: dir, key: randomBytes(32) })).rejects.toThrow(
      /newer than this app understands/,
    );
  });

  it("rejects a key that is not 32 bytes before touching the disk", async () => {
    const dataDir = join(tempDir(), "never");
    await expect(openSqliteStore({ dataDir, key: randomBytes(16) })).rejects.toThrow(RangeError);
    expect(existsSync(dataDir)).toBe(false);
  });

  it("stores a v1 sealed token that opens only for its own team and user", async () => {
    const dir = tempDir();
    const key = randomBytes(32);
    const store = await open(dir, key);
    await store.put(input("U1", TOKEN));
    await store.close();
    const db = new DatabaseSync(join(dir, DEFAULT_DB_FILE));
    const sealed = String(db.prepare("SELECT token_sealed FROM connections").get()?.token_sealed);
    db.close();
    expect(sealed).toMatch(/^v1\./);
    expect(openToken(key, sealed, tokenAad("T1", "U1"))).toBe(TOKEN);
    expect(() => openToken(key, sealed, tokenAad("T1", "U2"))).toThrow(TokenDecryptError);
  });
});

describe("migrate", () => {
  const withDb = (fn: (db: DatabaseSync) => void) => {
    const db = new DatabaseSync(":memory:");
    try {
      fn(db);
    } finally {
      db.close();
    }
  };

  it("runs only the pending migrations, in order, keeping existing data", () => {
    withDb((db) => {
      const ran: number[] = [];
      const steps = [
        (d: DatabaseSync) => {
          ran.push(1);
          d.exec("CREATE TABLE t (a TEXT)");
          d.exec("INSERT INTO t VALUES ('kept')");
        },
        (d: DatabaseSync) => {
          ran.push(2);
          d.exec("ALTER TABLE t ADD COLUMN b TEXT DEFAULT 'new'");
        },
      ];
      migrate(db, steps.slice(0, 1));
      expect(schemaVersion(db)).toBe(1);
      migrate(db, steps);
      migrate(db, steps);
      expect(ran).toEqual([1, 2]);
      expect(schemaVersion(db)).toBe(2);
      expect({ ...db.prepare("SELECT a, b FROM t").get() }).toEqual({ a: "kept", b: "new" });
    });
  });

  it("rolls back a failing migration and leaves the previous version", () => {
    withDb((db) => {
      const steps = [
        (d: DatabaseSync) => d.exec("CREATE TABLE t (a TEXT)"),
        (d: DatabaseSync) => {
          d.exec("CREATE TABLE half_done (x INTEGER)");
          throw new Error("boom");
        },
      ];
      expect(() => migrate(db, steps)).toThrow("boom");
      expect(schemaVersion(db)).toBe(1);
      const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all();
      expect(tables.map((t) => t.name)).toEqual(["t"]);
    });
  });
});
