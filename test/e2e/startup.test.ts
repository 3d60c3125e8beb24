/**
 * The real entry point (`node src/index.ts`) refusing to start when the saved connections
 * can't be used safely: no key, another key, or a database it can't write.
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DEFAULT_DB_FILE, openSqliteStore } from "../../src/store/index.ts";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const BOB_TOKEN = "tly_pat_bob_0a1b2c3d4e5f60718293a4b5c6d7e8f9";
const SHARED = { TALLYFY_ACCESS_TOKEN: "tly_pat_admin_shared_77aa88bb", TALLYFY_ORG_ID: "org-1" };

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "tallyfy-startup-e2e-"));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

async function saveBob(key: Buffer): Promise<void> {
  const store = await openSqliteStore({ dataDir: dir, key });
  await store.put({
    teamId: "T0ACME",
    userId: "U0BOB",
    token: BOB_TOKEN,
    orgId: "org-1",
    orgName: null,
    tallyfyUserId: null,
    tallyfyEmail: null,
    tallyfyName: null,
  });
  await store.close();
}

/** Tests run as root, where file modes don't stop writes: run the app as nobody then. */
const unprivileged = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};

/**
 * Runs the app until it exits, or stops it once it says it is listening (it started) or
 * after 15 s; `code` is null when it had to be stopped.
 */
function startApp(
  env: Record<string, string>,
  as: { uid?: number; gid?: number } = {},
): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["src/index.ts"], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? "",
        SLACK_BOT_TOKEN: "xoxb-test-bot-token-0123456789",
        SLACK_SIGNING_SECRET: "test-signing-secret-abcdef",
        SLACK_API_URL: "http://127.0.0.1:9/api/",
        PORT: "0",
        ...env,
      },
      stdio: ["ignore", "ignore", "pipe"],
      ...as,
    });
    let stderr = "";
    child.stderr.on("data", (c: Buffer) => {
      stderr += c.toString("utf8");
      if (stderr.includes("is listening on port")) child.kill("SIGKILL");
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
    child.on("error", reject);
    child.on("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
  });
}

describe("start-up with saved connections", () => {
  it("refuses to start without TOKEN_ENCRYPTION_KEY instead of using the workspace token for them", async () => {
    await saveBob(randomBytes(32));
    const { code, stderr } = await startApp({ ...SHARED, DATA_DIR: dir });
    expect(stderr).toContain("1 saved Tallyfy connection");
    expect(stderr).toContain("TOKEN_ENCRYPTION_KEY is not set");
    expect(stderr).not.toContain("is listening");
    expect(stderr).not.toContain(BOB_TOKEN);
    expect(stderr).not.toContain(SHARED.TALLYFY_ACCESS_TOKEN);
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(code).toBe(1);
  });

  it("refuses a different key, naming TOKEN_ENCRYPTION_KEY but never its value", async () => {
    await saveBob(randomBytes(32));
    const other = randomBytes(32).toString("base64");
    const { code, stderr } = await startApp({
      ...SHARED,
      TOKEN_ENCRYPTION_KEY: other,
      DATA_DIR: dir,
    });
    expect(stderr).toContain("can't be decrypted with TOKEN_ENCRYPTION_KEY");
    expect(stderr).not.toContain(other);
    expect(stderr).not.toContain(BOB_TOKEN);
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(code).toBe(1);
  });

  it.skipIf(process.platform === "win32")(
    "refuses a database it can't write, saying what to fix",
    async () => {
      const key = randomBytes(32);
      await saveBob(key);
      chmodSync(dir, 0o777);
      chmodSync(join(dir, DEFAULT_DB_FILE), 0o444);
      const { code, stderr } = await startApp(
        { TOKEN_ENCRYPTION_KEY: key.toString("base64"), DATA_DIR: dir },
        unprivileged,
      );
      expect(stderr).toContain(`${join(dir, DEFAULT_DB_FILE)} can't be written`);
      expect(stderr).toContain("writable by the user running the bot");
      expect(stderr).not.toContain("is listening");
      expect(code).toBe(1);
    },
  );

  it("starts with the key the connections were saved with (as the same unprivileged user)", async () => {
    const key = randomBytes(32);
    await saveBob(key);
    chmodSync(dir, 0o777);
    chmodSync(join(dir, DEFAULT_DB_FILE), 0o666);
    const { stderr } = await startApp(
      { TOKEN_ENCRYPTION_KEY: key.toString("base64"), DATA_DIR: dir },
      unprivileged,
    );
    expect(stderr).toContain("is listening on port");
  });
});
