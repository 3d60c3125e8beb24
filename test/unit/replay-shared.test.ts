/**
 * The store-backed replay guard: what one instance has seen, every instance sharing the store
 * has seen. Socket Mode can't run here, so its envelope de-duplication is checked on the
 * middleware directly, with two "instances" (two guards, two middlewares) over one store.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { dedupe } from "../../src/guard/dedupe.ts";
import { createMemoryReplayGuard, createStoreReplayGuard } from "../../src/guard/replay.ts";
import { createLogger } from "../../src/log.ts";
import { createMemorySharedState } from "../../src/store/shared-state.ts";
import { openSqliteStore } from "../../src/store/sqlite-store.ts";

function quietLogger() {
  const lines: string[] = [];
  return {
    logger: createLogger({ level: "info", json: true, write: (l) => lines.push(l) }),
    lines,
  };
}

/** Runs one request through a dedupe middleware; says whether it reached the listeners. */
async function deliver(
  mw: ReturnType<typeof dedupe>,
  body: object,
  context: Record<string, unknown> = {},
): Promise<"next" | "acked" | "dropped"> {
  let next = false;
  let acked = false;
  await mw({
    body,
    context,
    ack: async () => {
      acked = true;
    },
    next: async () => {
      next = true;
    },
  } as never);
  return next ? "next" : acked ? "acked" : "dropped";
}

describe("store-backed replay guard", () => {
  it("a key seen by one instance is seen by the other", async () => {
    const shared = createMemorySharedState();
    const { logger } = quietLogger();
    const a = createStoreReplayGuard(shared, { logger });
    const b = createStoreReplayGuard(shared, { logger });
    expect(await a.seen("sig:v0=1", 60_000)).toBe(false);
    expect(await b.seen("sig:v0=1", 60_000)).toBe(true);
    expect(await a.seen("sig:v0=1", 60_000)).toBe(true);
    expect(await b.seen("sig:v0=2", 60_000)).toBe(false);
  });

  it("works on SQLite across two handles on one file, and takes fractional ttls", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tallyfy-replay-"));
    const key = randomBytes(32);
    const one = await openSqliteStore({ dataDir: dir, key });
    const two = await openSqliteStore({ dataDir: dir, key });
    try {
      const { logger } = quietLogger();
      const a = createStoreReplayGuard(one, { logger });
      const b = createStoreReplayGuard(two, { logger });
      expect(await a.seen("event:Ev1", 1234.5)).toBe(false);
      expect(await b.seen("event:Ev1", 1234.5)).toBe(true);
    } finally {
      await one.close();
      await two.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("when the store fails, still refuses what this instance saw, and says so in the log", async () => {
    const shared = createMemorySharedState();
    shared.seenOnce = () => Promise.reject(new Error("connection refused"));
    const { logger, lines } = quietLogger();
    const guard = createStoreReplayGuard(shared, { logger, local: createMemoryReplayGuard() });
    expect(await guard.seen("sig:v0=1", 60_000)).toBe(false);
    expect(await guard.seen("sig:v0=1", 60_000)).toBe(true);
    expect(lines.join("\n")).toContain("could not check the shared store");
  });
});

describe("Socket Mode envelope and event de-duplication across instances", () => {
  function twoInstances() {
    const shared = createMemorySharedState();
    const { logger, lines } = quietLogger();
    const mw = () => dedupe({ replay: createStoreReplayGuard(shared, { logger }), logger });
    return { a: mw(), b: mw(), lines };
  }

  it("an envelope Slack gives again to another connection is acknowledged there and dropped", async () => {
    const { a, b, lines } = twoInstances();
    expect(await deliver(a, { type: "block_actions" }, { envelopeId: "env-1" })).toBe("next");
    expect(await deliver(b, { type: "block_actions" }, { envelopeId: "env-1" })).toBe("acked");
    expect(await deliver(b, { type: "block_actions" }, { envelopeId: "env-2" })).toBe("next");
    expect(lines.join("\n")).toContain("dropped a Socket Mode envelope already handled");
  });

  it("an event retried to the other instance is dropped there", async () => {
    const { a, b } = twoInstances();
    const event = { type: "event_callback", event_id: "Ev9" };
    expect(await deliver(a, event)).toBe("next");
    expect(await deliver(b, event)).toBe("dropped");
  });
});
