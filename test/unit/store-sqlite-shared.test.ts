import { randomBytes } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { afterEach, describe, expect, it } from "vitest";
import { openToken, TokenDecryptError } from "../../src/store/crypto.ts";
import { pendingAad, type SharedStore } from "../../src/store/shared-state.ts";
import { DEFAULT_DB_FILE, openSqliteStore } from "../../src/store/sqlite-store.ts";

const dirs: string[] = [];
const stores: SharedStore[] = [];
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function open(now?: () => Date, key = randomBytes(32)) {
  const dir = mkdtempSync(join(tmpdir(), "tallyfy-shared-"));
  dirs.push(dir);
  const store = await openSqliteStore({ dataDir: dir, key, ...(now ? { now } : {}) });
  stores.push(store);
  return { dir, store, key, db: () => new DatabaseSync(join(dir, DEFAULT_DB_FILE)) };
}

const SECRET = "tly_pat_0a1b2c3d4e5f60718293a4b5c6d7e8f9";

describe("SQLite shared state", () => {
  it("seals pending values so they never reach the files in plain text", async () => {
    const { dir, store, key, db } = await open();
    await store.putPending("org-picker", "T1:U1", SECRET, 60_000);
    for (const f of readdirSync(dir)) {
      expect(readFileSync(join(dir, f)).includes(Buffer.from(SECRET)), f).toBe(false);
    }
    const raw = db();
    const sealed = String(raw.prepare("SELECT value_sealed FROM pending").get()?.value_sealed);
    raw.close();
    expect(openToken(key, sealed, pendingAad("org-picker", "T1:U1"))).toBe(SECRET);
  });

  it("refuses a pending value moved to another id", async () => {
    const { store, db } = await open();
    await store.putPending("org-picker", "T1:U1", SECRET, 60_000);
    const raw = db();
    raw.prepare("UPDATE pending SET id = 'T1:U2'").run();
    raw.close();
    await expect(store.takePending("org-picker", "T1:U2")).rejects.toThrow(TokenDecryptError);
  });

  it("removes expired rows lazily while it is written to", async () => {
    let time = Date.UTC(2025, 0, 1);
    const { store, db } = await open(() => new Date(time));
    await store.claim("old-claim", 1000, "a");
    await store.seenOnce("old-event", 1000);
    await store.putPending("command", "old", "v", 1000);
    await store.claim("live-claim", 10 * 60_000, "a");
    time += 2 * 60_000;
    await store.seenOnce("new-event", 60_000);
    const raw = db();
    const left = raw
      .prepare(
        "SELECT key FROM claims UNION ALL SELECT key FROM seen_keys UNION ALL SELECT id FROM pending ORDER BY 1",
      )
      .all()
      .map((r) => r.key);
    raw.close();
    expect(left).toEqual(["live-claim", "new-event"]);
  });
});
