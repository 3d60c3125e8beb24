import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../src/config.ts";
import { createLogger } from "../../src/log.ts";
import { openStore, type SharedStore } from "../../src/store/index.ts";
import { createTestSchema, DATABASE_URL } from "../support/postgres.ts";

const base = { SLACK_BOT_TOKEN: "xoxb-1", SLACK_SIGNING_SECRET: "secret-x" };
const KEY = randomBytes(32).toString("base64");

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig({ ...base, ...env });
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe("database settings", () => {
  it("default to no database URL, a pool of 10 and a 5 s statement timeout", () => {
    expect(loadConfig(base).database).toEqual({
      url: undefined,
      poolSize: 10,
      statementTimeoutMs: 5000,
    });
  });

  it("read DATABASE_URL, DATABASE_POOL_SIZE and DATABASE_STATEMENT_TIMEOUT_MS", () => {
    const c = loadConfig({
      ...base,
      DATABASE_URL: "postgresql://bot:pw@db:5432/tallyfy",
      DATABASE_POOL_SIZE: "4",
      DATABASE_STATEMENT_TIMEOUT_MS: "2500",
    });
    expect(c.database).toEqual({
      url: "postgresql://bot:pw@db:5432/tallyfy",
      poolSize: 4,
      statementTimeoutMs: 2500,
    });
  });

  it("name each bad value, never echoing the URL's password", () => {
    const found = problems({
      DATABASE_URL: "mysql://bot:hunter2@db/tallyfy",
      DATABASE_POOL_SIZE: "0",
      DATABASE_STATEMENT_TIMEOUT_MS: "soon",
    });
    expect(found).toEqual([
      expect.stringMatching(/^DATABASE_URL must be a postgres:\/\/ URL/),
      "DATABASE_POOL_SIZE must be a whole number from 1 to 100",
      "DATABASE_STATEMENT_TIMEOUT_MS must be a whole number from 100 to 600000",
    ]);
    expect(found.join("\n")).not.toContain("hunter2");
  });
});

describe("openStore", () => {
  const lines: string[] = [];
  const logger = createLogger({ level: "info", json: true, write: (l) => lines.push(l) });
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
    lines.length = 0;
  });
  const opened = (store: SharedStore) => {
    cleanups.push(() => store.close());
    return store;
  };
  const tempDir = () => {
    const dir = mkdtempSync(join(tmpdir(), "tallyfy-select-"));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    return dir;
  };

  it("uses SQLite in DATA_DIR with a key, and logs that it serves one instance", async () => {
    const dir = tempDir();
    const config = loadConfig({ ...base, DATA_DIR: dir, TOKEN_ENCRYPTION_KEY: KEY });
    const store = opened(await openStore(config, logger));
    expect(await store.claim("k", 1000, "a")).toBe(true);
    expect(lines).toHaveLength(1);
    const line = JSON.parse(lines[0]!);
    expect(line).toMatchObject({ level: "info", store: "sqlite" });
    expect(line.msg).toContain(resolve(dir, "connections.sqlite"));
    expect(line.msg).toContain("one instance");
  });

  it("uses memory without a key, and says nothing survives", async () => {
    const config = loadConfig({ ...base, TALLYFY_ACCESS_TOKEN: "t", TALLYFY_ORG_ID: "o" });
    const store = opened(await openStore(config, logger));
    expect(await store.seenOnce("e", 1000)).toBe(true);
    expect(JSON.parse(lines[0]!)).toMatchObject({ store: "memory" });
    expect(JSON.parse(lines[0]!).msg).toMatch(/one instance/);
  });

  it("refuses DATABASE_URL without a key, naming the setting", async () => {
    const config = loadConfig({
      ...base,
      TALLYFY_ACCESS_TOKEN: "t",
      TALLYFY_ORG_ID: "o",
      DATABASE_URL: "postgres://bot:hunter2@127.0.0.1:1/tallyfy",
    });
    const error = await openStore(config, logger).catch((e: Error) => e);
    expect((error as Error).message).toMatch(/^DATABASE_URL needs TOKEN_ENCRYPTION_KEY/);
    expect((error as Error).message).not.toContain("hunter2");
  });

  describe.skipIf(!DATABASE_URL)("with DATABASE_URL", () => {
    it("uses Postgres and logs where, without the password, even in later log lines", async () => {
      const schema = await createTestSchema();
      cleanups.push(() => schema.drop());
      const url = new URL(schema.url);
      const config = loadConfig({
        ...base,
        TOKEN_ENCRYPTION_KEY: KEY,
        DATABASE_URL: url.toString(),
        DATABASE_POOL_SIZE: "3",
      });
      const store = opened(await openStore(config, logger));
      expect(await store.claim("k", 1000, "a")).toBe(true);
      const line = JSON.parse(lines[0]!);
      expect(line).toMatchObject({ store: "postgres", poolSize: 3, statementTimeoutMs: 5000 });
      expect(line.msg).toContain(`PostgreSQL at ${url.protocol}//${url.username}@${url.host}`);
      expect(line.msg).not.toContain("options");
      if (url.password) {
        expect(lines.join("\n")).not.toContain(url.password);
        logger.error(`connect failed for ${url.toString()}`);
        expect(lines.at(-1)).not.toContain(url.password);
      }
    });
  });
});
