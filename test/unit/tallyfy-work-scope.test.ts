import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import type { CallPolicy } from "../../src/tallyfy/api.ts";
import { TallyfyClient } from "../../src/tallyfy/client.ts";
import { Pacer } from "../../src/tallyfy/pacing.ts";
import { SharedCall, type WorkScope } from "../../src/tallyfy/work-scope.ts";

/** A scope that records what the SDK told it, and can let its work go. */
function recordingScope() {
  const stop = new AbortController();
  const told: string[] = [];
  const scope: WorkScope = {
    signal: stop.signal,
    held: (waiting) => void told.push(waiting ? "waiting" : "not waiting"),
    sending: () => void told.push("sending"),
    refused: () => void told.push("refused"),
    inHand: () => false,
  };
  return { scope, told, letGo: (why = new Error("let go")) => stop.abort(why) };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe("SharedCall", () => {
  it("tells every attached caller's work what goes out, late joiners included", async () => {
    let answer = (_v: string) => {};
    let group: WorkScope | undefined;
    const call = new SharedCall<string>(
      (scope) =>
        new Promise((resolve) => {
          group = scope;
          answer = resolve;
        }),
    );
    const a = recordingScope();
    const b = recordingScope();
    const first = call.join({ scope: a.scope });
    await tick();
    group!.held(true);
    group!.held(false);
    group!.sending();
    const second = call.join({ scope: b.scope });
    answer("run");
    expect(await first).toBe("run");
    expect(await second).toBe("run");
    expect(a.told).toEqual(["waiting", "not waiting", "sending"]);
    expect(b.told).toEqual(["sending"]);
  });

  it("stops the shared request only once every caller has left before the answer", async () => {
    let group: WorkScope | undefined;
    let stopped = 0;
    const call = new SharedCall<string>(
      (scope) =>
        new Promise((_resolve, reject) => {
          group = scope;
          scope.signal.addEventListener("abort", () => reject(scope.signal.reason));
        }),
      () => stopped++,
    );
    call.promise.catch(() => {});
    const a = recordingScope();
    const b = recordingScope();
    const first = call.join({ scope: a.scope });
    const second = call.join({ scope: b.scope });
    await tick();
    group!.held(true);

    a.letGo(new Error("a let go"));
    await expect(first).rejects.toThrow("a let go");
    expect(call.stopped).toBe(false);
    expect(group!.signal.aborted).toBe(false);

    b.letGo(new Error("b let go"));
    await expect(second).rejects.toThrow("b let go");
    expect(call.stopped).toBe(true);
    expect(stopped).toBe(1);
    // Each caller heard it stopped waiting as it left.
    expect(a.told).toEqual(["waiting", "not waiting"]);
    expect(b.told).toEqual(["waiting", "not waiting"]);
  });
});

describe("TallyfyClient with a work scope", () => {
  const ORG_PATH = "/organizations/acme/runs/r1";
  const PACED: CallPolicy = {
    attemptTimeoutMs: 1_000,
    budgetMs: 2_000,
    maxRetries: 1,
    paceWaitMs: 60_000,
  };
  let client: TallyfyClient | undefined;
  afterEach(async () => {
    await client?.close();
  });

  /** A client whose organization is blocked for a minute (as after a 429): every call waits. */
  async function blockedClient() {
    const pacer = new Pacer({ unknownInFlight: 1 });
    (await pacer.acquire("org:acme", { priority: "interactive", maxWaitMs: 0 })).done({
      retryAfterMs: 60_000,
    });
    // Nothing listens there: a request that went out would fail, not wait.
    client = new TallyfyClient({ baseUrl: "http://127.0.0.1:9/api", pacer });
    return { client, pacer };
  }

  it("reports a call waiting for the budget, and stops it (sending nothing) when the work is let go", async () => {
    const { client, pacer } = await blockedClient();
    const work = recordingScope();
    const call = client.request(
      { token: "tok-a" },
      { method: "POST", path: ORG_PATH, body: {}, schema: z.unknown() },
      { policy: PACED, scope: work.scope },
    );
    await tick();
    expect(work.told).toEqual(["waiting"]);
    expect(pacer.waiting("org:acme")).toBe(1);

    work.letGo(new Error("let go by a shutdown"));
    await expect(call).rejects.toThrow("let go by a shutdown");
    expect(work.told).toEqual(["waiting", "not waiting"]);
    expect(pacer.waiting("org:acme")).toBe(0);
  });

  it("finds the scope through useWorkScope, and keeps a shared GET waiting for the callers left", async () => {
    const { client, pacer } = await blockedClient();
    const a = recordingScope();
    const b = recordingScope();
    let current: WorkScope | undefined;
    client.useWorkScope(() => current);
    const conn = { token: "tok-a" };
    const schema = z.unknown();
    const get = () =>
      client.request(conn, { method: "GET", path: ORG_PATH, schema }, { policy: PACED });
    current = a.scope;
    const first = get();
    current = b.scope;
    const second = get();
    current = undefined;
    await tick();
    expect(pacer.waiting("org:acme")).toBe(1); // one shared request
    expect(a.told).toEqual(["waiting"]);
    expect(b.told).toEqual(["waiting"]);

    a.letGo();
    await expect(first).rejects.toThrow("let go");
    expect(pacer.waiting("org:acme")).toBe(1);
    b.letGo();
    await expect(second).rejects.toThrow("let go");
    await tick();
    expect(pacer.waiting("org:acme")).toBe(0);
  });
});
