/**
 * What the bot checks about its connection database before it starts: that the configured key
 * (or its absence) fits what is stored, that the file can be written, and that migrations are
 * safe when two processes open a fresh file at once.
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { MIGRATIONS, migrate, schemaVersion } from "../../src/store/migrations.ts";
import { openConnectionStore, StoreKeyMissingError } from "../../src/store/open.ts";
import { DEFAULT_DB_FILE, openSqliteStore, StoreKeyError } from "../../src/store/sqlite-store.ts";
import type { ConnectionInput, ConnectionStore } from "../../src/store/store.ts";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const TOKEN = "tly_pat_5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b";

const dirs: string[] = [];
const stores: ConnectionStore[] = [];
afterEach(async () => {
  for (const store of stores.splice(0)) await store.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "tallyfy-startup-"));
  dirs.push(dir);
  return dir;
}

const input = (userId: string): ConnectionInput => ({
  teamId: "T1",
  userId,
  token: TOKEN,
  orgId: "org-1",
  orgName: null,
  tallyfyUserId: null,
  tallyfyEmail: null,
  tallyfyName: null,
});

async function withSaved(dir: string, key: Buffer, users: string[]): Promise<void> {
  const store = await openSqliteStore({ dataDir: dir, key });
  for (const user of users) await store.put(input(user));
  await store.close();
}

describe("openConnectionStore without TOKEN_ENCRYPTION_KEY", () => {
  it("refuses to start when connections were saved with a key, naming the variable", async () => {
    const dir = tempDir();
    await withSaved(dir, randomBytes(32), ["U1", "U2"]);
    const error = await openConnectionStore({ dataDir: dir, key: undefined }).catch((e) => e);
    expect(error).toBeInstanceOf(StoreKeyMissingError);
    const message = (error as Error).message;
    expect(message).toContain("2 saved Tallyfy connections");
    expect(message).toContain("TOKEN_ENCRYPTION_KEY is not set");
    expect(message).toContain(join(dir, DEFAULT_DB_FILE));
    expect(message).not.toContain(TOKEN);
  });

  it("refuses when the database file can't be read to tell", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, DEFAULT_DB_FILE), "not a database, but not nothing either");
    const error = await openConnectionStore({ dataDir: dir, key: undefined }).catch((e) => e);
    expect(error).toBeInstanceOf(StoreKeyMissingError);
    expect((error as Error).message).toContain("can't be read");
  });

  it("runs in memory when there is no database, or it holds no connections", async () => {
    const empty = tempDir();
    const none = await openConnectionStore({ dataDir: empty, key: undefined });
    stores.push(none);
    await none.put(input("U1"));
    expect(await none.count()).toBe(1);

    const disconnected = tempDir();
    await withSaved(disconnected, randomBytes(32), []);
    const memory = await openConnectionStore({ dataDir: disconnected, key: undefined });
    stores.push(memory);
    await memory.put(input("U1"));
    // Memory: nothing reached the file.
    const db = new DatabaseSync(join(disconnected, DEFAULT_DB_FILE));
    expect(db.prepare("SELECT COUNT(*) AS n FROM connections").get()?.n).toBe(0);
    db.close();
  });
});

describe("openConnectionStore with a key", () => {
  it("opens the saved connections with the key they were saved with", async () => {
    const dir = tempDir();
    const key = randomBytes(32);
    await withSaved(dir, key, ["U1"]);
    const store = await openConnectionStore({ dataDir: dir, key: Buffer.from(key) });
    stores.push(store);
    expect((await store.get("T1", "U1"))?.token).toBe(TOKEN);
  });

  it("refuses a different key, naming the variable and never the key or a token", async () => {
    const dir = tempDir();
    await withSaved(dir, randomBytes(32), ["U1"]);
    const other = randomBytes(32);
    const error = await openConnectionStore({ dataDir: dir, key: other }).catch((e) => e);
    expect(error).toBeInstanceOf(StoreKeyError);
    const message = (error as Error).message;
    expect(message).toContain("can't be decrypted with TOKEN_ENCRYPTION_KEY");
    expect(message).not.toContain(other.toString("base64"));
    expect(message).not.toContain(TOKEN);
  });
});

/**
 * Tests run as root, where file modes don't stop writes; SQLite only opens a file read-only when
 * the process really can't write it. So the store is opened in a child process as an
 * unprivileged user (nobody) when we are root, or as ourselves otherwise.
 */
const asUnprivileged = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};

function openInChild(dataDir: string, key: Buffer): Promise<{ code: number | null; out: string }> {
  const script = `
    const { openSqliteStore } = await import(${JSON.stringify(join(ROOT, "src/store/sqlite-store.ts"))});
    try {
      const store = await openSqliteStore({ dataDir: process.argv[1], key: Buffer.from(process.argv[2], "base64") });
      await store.close();
      console.log("opened");
    } catch (error) {
      console.log(error.name + ": " + error.message);
      process.exitCode = 1;
    }`;
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ["--input-type=module", "-e", script, dataDir, key.toString("base64")],
      { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"], ...asUnprivileged },
    );
    let out = "";
    child.stdout.on("data", (c: Buffer) => {
      out += c.toString("utf8");
    });
    child.stderr.on("data", (c: Buffer) => {
      out += c.toString("utf8");
    });
    child.on("error", reject);
    child.on("exit", (code) => resolve({ code, out }));
  });
}

describe.skipIf(process.platform === "win32")("a database the bot can't write", () => {
  it("is refused at start when the file is read-only", async () => {
    const dir = tempDir();
    const key = randomBytes(32);
    await withSaved(dir, key, ["U1"]);
    chmodSync(dir, 0o777); // the folder stays writable: only the file is read-only
    chmodSync(join(dir, DEFAULT_DB_FILE), 0o444);
    const { code, out } = await openInChild(dir, key);
    expect(out).toContain("StoreNotWritableError");
    expect(out).toContain(`${join(dir, DEFAULT_DB_FILE)} can't be written`);
    expect(out).toContain("DATA_DIR");
    expect(code).toBe(1);
  });

  it("is refused at start when its folder is read-only", async () => {
    const dir = tempDir();
    const key = randomBytes(32);
    await withSaved(dir, key, ["U1"]);
    chmodSync(join(dir, DEFAULT_DB_FILE), 0o666);
    chmodSync(dir, 0o555);
    const { code, out } = await openInChild(dir, key);
    expect(out).toContain("StoreNotWritableError");
    expect(code).toBe(1);
  });

  it("opens normally for the same unprivileged user when it may write", async () => {
    const dir = tempDir();
    const key = randomBytes(32);
    await withSaved(dir, key, ["U1"]);
    chmodSync(dir, 0o777);
    chmodSync(join(dir, DEFAULT_DB_FILE), 0o666);
    const { code, out } = await openInChild(dir, key);
    expect(out.trim()).toBe("opened");
    expect(code).toBe(0);
  });
});

describe("migrations racing on a fresh file", () => {
  /**
   * `db`, except that the first time it begins a transaction, `meanwhile` runs first: another
   * connection doing its work in the moment before this one takes the write lock.
   */
  function racedBeforeLock(db: DatabaseSync, meanwhile: () => void): DatabaseSync {
    let raced = false;
    return new Proxy(db, {
      get(target, prop) {
        if (prop === "exec") {
          return (sql: string) => {
            if (!raced && /^\s*BEGIN/i.test(sql)) {
              raced = true;
              meanwhile();
            }
            target.exec(sql);
          };
        }
        const value = Reflect.get(target, prop, target);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
  }

  it("reads the schema version inside the lock, so the second connection migrates nothing", () => {
    const path = join(tempDir(), "race.sqlite");
    const a = new DatabaseSync(path, { timeout: 5000 });
    const b = new DatabaseSync(path, { timeout: 5000 });
    try {
      expect(migrate(racedBeforeLock(a, () => migrate(b)))).toBe(MIGRATIONS.length);
      expect(schemaVersion(a)).toBe(MIGRATIONS.length);
      a.prepare("SELECT COUNT(*) AS n FROM connections").get();
    } finally {
      a.close();
      b.close();
    }
  });

  it("lets several processes open the same fresh database at once", async () => {
    const script = `
      const { openSqliteStore } = await import(${JSON.stringify(join(ROOT, "src/store/sqlite-store.ts"))});
      const start = Number(process.argv[2]);
      await new Promise((r) => setTimeout(r, Math.max(0, start - Date.now())));
      const store = await openSqliteStore({ dataDir: process.argv[1], key: Buffer.alloc(32, 9) });
      await store.close();`;
    for (let round = 0; round < 2; round++) {
      const dir = tempDir();
      const start = Date.now() + 1000;
      const runs = Array.from(
        { length: 3 },
        () =>
          new Promise<{ code: number | null; err: string }>((resolve, reject) => {
            const child = spawn(
              process.execPath,
              ["--input-type=module", "-e", script, dir, String(start)],
              { cwd: ROOT, stdio: ["ignore", "ignore", "pipe"] },
            );
            let err = "";
            child.stderr.on("data", (c: Buffer) => {
              err += c.toString("utf8");
            });
            child.on("error", reject);
            child.on("exit", (code) => resolve({ code, err }));
          }),
      );
      for (const { code, err } of await Promise.all(runs)) {
        expect(err).toBe("");
        expect(code).toBe(0);
      }
    }
  });
});
