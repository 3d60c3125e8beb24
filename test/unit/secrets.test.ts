import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTallyfySandbox, type TallyfySandbox } from "../../sandbox/tallyfy/server.ts";
import { createLogger, redact, Secrets } from "../../src/log.ts";
import { boltLogger } from "../../src/slack/bolt.ts";
import type { TallyfyError, TallyfyValidationError } from "../../src/tallyfy/errors.ts";
import { createTallyfy } from "../../src/tallyfy/index.ts";

const A = "tok-alpha-0123456789abcdef";
const B = "tok-beta-fedcba9876543210";

describe("Secrets", () => {
  it("scrubs every registered secret, the longest first, and anything secret-shaped", () => {
    const s = new Secrets();
    s.register(A);
    s.register(`${B}-long`);
    s.register(B);
    s.register("short"); // too short to be a token; registering it would scrub ordinary words
    const text = `a=${A} b=${B}-long c=${B} xoxb-1-2-3 Bearer abc.def short`;
    expect(s.scrub(text)).toBe(
      "a=[redacted] b=[redacted] c=[redacted] [redacted] Bearer [redacted] short",
    );
    expect(s.scrub("regex (chars) a.b*c+?")).toBe("regex (chars) a.b*c+?");
    expect(s.scrub(`also ${"tok-extra-123456"}`, "tok-extra-123456")).toBe("also [redacted]");
  });

  it("forgets a token, but never a pinned one", () => {
    const s = new Secrets();
    s.register(A, { pin: true });
    s.register(B);
    s.forget(A);
    s.forget(B);
    expect(s.scrub(`${A} ${B}`)).toBe(`[redacted] ${B}`);
    expect(s.size).toBe(1);
    s.register(A); // registering a pinned secret again keeps it pinned
    s.forget(A);
    expect(s.scrub(A)).toBe("[redacted]");
  });

  it("stays bounded: beyond max, the least recently registered token goes", () => {
    const s = new Secrets({ max: 3 });
    s.register("pinned-secret", { pin: true });
    for (const t of ["token-1xx", "token-2xx", "token-3xx"]) s.register(t);
    s.register("token-1xx"); // used again: now the most recent
    s.register("token-4xx");
    expect(s.size).toBe(4);
    expect(s.scrub("token-2xx")).toBe("token-2xx");
    for (const kept of ["pinned-secret", "token-1xx", "token-3xx", "token-4xx"]) {
      expect(s.scrub(kept)).toBe("[redacted]");
    }
  });

  it("belongs to one logger and its children, not to the module", () => {
    const lines: string[] = [];
    const one = createLogger({ level: "info", json: true, write: (l) => lines.push(l) });
    const two = createLogger({ level: "info", json: true, write: (l) => lines.push(l) });
    one.secrets.register(A);
    one.child({ x: 1 }).info(`one ${A}`);
    two.info(`two ${A}`);
    expect(lines[0]).toContain("one [redacted]");
    expect(lines[1]).toContain(`two ${A}`);
    expect(redact(A)).toBe(A);
    expect(redact(A, one.secrets)).toBe("[redacted]");
  });
});

describe("Tallyfy's words shown in Slack", () => {
  let sb: TallyfySandbox;
  beforeAll(async () => {
    sb = await startTallyfySandbox();
  });
  afterAll(async () => {
    await sb.close();
  });

  it("have every registered secret scrubbed, not only the token of the call", async () => {
    const secrets = new Secrets();
    secrets.register(A, { pin: true }); // e.g. the workspace token
    const tallyfy = createTallyfy({ apiUrl: sb.url, secrets });
    try {
      tallyfy.forConnection({ token: B, orgId: sb.orgId }); // another user, seen earlier
      const api = tallyfy.forConnection({ token: sb.token, orgId: sb.orgId });
      const said = `tokens ${A}, ${B} and ${sb.token} can't do that`;
      sb.fault({ path: /\/runs$/, status: 422, body: { error: true, message: said } });
      sb.fault({ path: /\/runs$/, status: 422, body: { errors: { name: [said] } } });
      sb.fault({ path: /\/runs$/, status: 409, body: { error: { code: "X", message: said } } });
      for (let i = 0; i < 3; i++) {
        const error = (await api.runs
          .list({}, { policy: { attemptTimeoutMs: 2_000, budgetMs: 2_000, maxRetries: 0 } })
          .catch((e: unknown) => e)) as TallyfyError;
        const shown = JSON.stringify({
          message: error.message,
          tallyfyMessage: error.tallyfyMessage,
          fieldErrors: (error as TallyfyValidationError).fieldErrors,
        });
        expect(shown).toContain("[redacted]");
        for (const secret of [A, B, sb.token]) expect(shown).not.toContain(secret);
      }
    } finally {
      await tallyfy.close();
    }
  });
});

describe("Bolt's log lines through our logger", () => {
  it("builds Bolt's debug lines only when debug lines are written", () => {
    let serialized = 0;
    const body = {
      toJSON() {
        serialized++;
        return { ok: true };
      },
    };
    const quiet: string[] = [];
    boltLogger(createLogger({ level: "warn", json: true, write: (l) => quiet.push(l) })).debug(
      "http request body:",
      body,
    );
    expect(serialized).toBe(0);
    expect(quiet).toEqual([]);

    const loud: string[] = [];
    boltLogger(createLogger({ level: "debug", json: true, write: (l) => loud.push(l) })).debug(
      "http request body:",
      body,
    );
    expect(serialized).toBe(1);
    expect(loud).toHaveLength(1);
    expect(JSON.parse(loud[0]!).msg).toBe('http request body: {"ok":true}');
  });
});
