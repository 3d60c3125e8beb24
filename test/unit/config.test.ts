import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../src/config.ts";

const KEY = Buffer.alloc(32, 7).toString("base64");
const base = { SLACK_BOT_TOKEN: "xoxb-1-abc", SLACK_SIGNING_SECRET: "s3cret-signing" };

function problems(env: Record<string, string | undefined>): string[] {
  try {
    loadConfig(env);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as ConfigError).problems;
  }
  throw new Error("expected a ConfigError");
}

describe("loadConfig", () => {
  it("applies the documented defaults", () => {
    const c = loadConfig(base);
    expect(c.slack.port).toBe(3000);
    expect(c.slack.appToken).toBeUndefined();
    expect(c.tallyfy.apiUrl).toBe("https://go.tallyfy.com/api");
    expect(c.tallyfy.webUrl).toBe("https://go.tallyfy.com");
    expect(c.tallyfy.shared).toBeUndefined();
    expect(c.tallyfy.allowShared).toBe(false);
    expect(c.dataDir).toBe("./data");
    expect(c.logLevel).toBe("info");
  });

  it("reads a full configuration", () => {
    const c = loadConfig({
      ...base,
      SLACK_APP_TOKEN: "xapp-1-x",
      PORT: "8080",
      SLACK_API_URL: "http://127.0.0.1:9999/api/",
      TALLYFY_API_URL: "http://localhost:4000/api/",
      TALLYFY_ACCESS_TOKEN: "tly-token",
      TALLYFY_ORG_ID: "org1",
      TOKEN_ENCRYPTION_KEY: KEY,
      LOG_LEVEL: "DEBUG",
    });
    expect(c.slack.port).toBe(8080);
    expect(c.slack.appToken).toBe("xapp-1-x");
    expect(c.tallyfy.apiUrl).toBe("http://localhost:4000/api");
    expect(c.tallyfy.shared).toEqual({ token: "tly-token", orgId: "org1" });
    expect(c.tallyfy.allowShared).toBe(true);
    expect(c.encryptionKey?.length).toBe(32);
    expect(c.logLevel).toBe("debug");
  });

  it("names every problem at once", () => {
    const p = problems({ TALLYFY_API_URL: "not a url", PORT: "http", LOG_LEVEL: "loud" });
    expect(p.some((m) => m.startsWith("SLACK_BOT_TOKEN is required"))).toBe(true);
    expect(p.some((m) => m.startsWith("SLACK_SIGNING_SECRET is required"))).toBe(true);
    expect(p).toContain("TALLYFY_API_URL must be an http(s) URL, e.g. https://example.com");
    expect(p).toContain("PORT must be a whole number from 0 to 65535");
    expect(p).toContain("LOG_LEVEL must be one of debug, info, warn, error");
  });

  it.each([
    [{ SLACK_BOT_TOKEN: "xoxp-user" }, "SLACK_BOT_TOKEN must start with xoxb-"],
    [{ SLACK_APP_TOKEN: "xoxb-wrong" }, "SLACK_APP_TOKEN must start with xapp-"],
    [{ PORT: "70000" }, "PORT must be a whole number from 0 to 65535"],
    [{ TOKEN_ENCRYPTION_KEY: "c2hvcnQ=" }, "TOKEN_ENCRYPTION_KEY must be 32 bytes"],
    [{ TALLYFY_ACCESS_TOKEN: "t" }, "TALLYFY_ACCESS_TOKEN and TALLYFY_ORG_ID go together"],
    [{ TALLYFY_ALLOW_SHARED: "maybe" }, "TALLYFY_ALLOW_SHARED must be true or false"],
    [{ TALLYFY_WEB_URL: "ftp://x" }, "TALLYFY_WEB_URL must be an http(s) URL"],
  ])("rejects %o", (override, message) => {
    expect(problems({ ...base, ...override }).some((m) => m.startsWith(message))).toBe(true);
  });

  it("never echoes a secret value in its messages", () => {
    const p = problems({
      SLACK_BOT_TOKEN: "xoxp-VERYSECRET",
      TOKEN_ENCRYPTION_KEY: "SECRETKEYVALUE",
    });
    expect(p.join("\n")).not.toMatch(/VERYSECRET|SECRETKEYVALUE/);
  });

  it("lets the shared token be disallowed explicitly", () => {
    const c = loadConfig({
      ...base,
      TALLYFY_ACCESS_TOKEN: "t",
      TALLYFY_ORG_ID: "o",
      TALLYFY_ALLOW_SHARED: "false",
    });
    expect(c.tallyfy.allowShared).toBe(false);
  });
});

describe("start-up configuration", () => {
  it("to run, needs TOKEN_ENCRYPTION_KEY unless there is a workspace connection", () => {
    const msg = "TOKEN_ENCRYPTION_KEY is required";
    expect(() => loadConfig(base)).not.toThrow();
    expect(() => loadConfig(base, { toRun: true })).toThrow(msg);
    expect(() => loadConfig({ ...base, TOKEN_ENCRYPTION_KEY: KEY }, { toRun: true })).not.toThrow();
    const shared = { ...base, TALLYFY_ACCESS_TOKEN: "t", TALLYFY_ORG_ID: "o" };
    expect(() => loadConfig(shared, { toRun: true })).not.toThrow();
  });

  it("npm start names every problem at once, the missing key included, with no stack trace", () => {
    const index = fileURLToPath(new URL("../../src/index.ts", import.meta.url));
    const run = spawnSync(process.execPath, [index], {
      env: { PATH: process.env.PATH, PORT: "nope" },
      encoding: "utf8",
      timeout: 20_000,
    });
    expect(run.status).toBe(1);
    for (const name of [
      "SLACK_BOT_TOKEN",
      "SLACK_SIGNING_SECRET",
      "PORT",
      "TOKEN_ENCRYPTION_KEY",
    ]) {
      expect(run.stderr).toContain(`- ${name}`);
    }
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});
