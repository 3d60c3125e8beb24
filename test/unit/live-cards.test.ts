import { describe, expect, it } from "vitest";
import { createCoalescer } from "../../src/features/cards-registry/coalesce.ts";
import { createFanout } from "../../src/features/cards-registry/fanout.ts";
import { dedupKey, normalizeDate, readWebhook } from "../../src/features/webhooks/payload.ts";
import { silentLogger } from "../../src/log.ts";
import type { WebClient } from "../../src/slack/web-client.ts";

const RUN = "a".repeat(32);
const TASK = "b".repeat(32);

describe("reading Tallyfy webhooks by shape", () => {
  it("tells a task completion from a process launch and completion", () => {
    const task = readWebhook({
      this_task: { id: TASK, completed_at: "2026-01-05T10:00:00Z" },
      process: { id: RUN },
      next_task: { id: "c".repeat(32) },
    });
    expect(task).toEqual({
      ok: true,
      event: {
        kind: "task_completed",
        runId: RUN,
        taskId: TASK,
        completedAt: "2026-01-05T10:00:00.000Z",
        nextTaskId: "c".repeat(32),
      },
    });
    for (const next of [[], {}, null]) {
      const r = readWebhook({ this_task: { id: TASK }, process: { id: RUN }, next_task: next });
      expect(r.ok && r.event.kind === "task_completed" && r.event.nextTaskId).toBe(undefined);
    }
    expect(readWebhook({ id: RUN, status: "active", completed_at: null })).toMatchObject({
      event: { kind: "process_launched", runId: RUN },
    });
    expect(readWebhook({ id: RUN, status: "completed" })).toMatchObject({
      event: { kind: "process_completed" },
    });
    expect(
      readWebhook({ id: RUN, status: "active", completed_at: "5/1/2026 10:00 AM UTC" }),
    ).toMatchObject({
      event: { kind: "process_completed", completedAt: "2026-01-05T10:00:00.000Z" },
    });
  });

  it("refuses other shapes, naming the path and never the value", () => {
    for (const body of [null, [], "x", { hello: 1 }, { id: "../x" }, { this_task: { id: TASK } }]) {
      const r = readWebhook(body);
      expect(r.ok).toBe(false);
    }
    const r = readWebhook({ id: "secret-looking-value" });
    expect(r.ok ? "" : r.problem).not.toContain("secret-looking-value");
  });

  it("reads both of Tallyfy's date formats to one instant, so repeats share a key", () => {
    expect(normalizeDate("2026-01-05T10:00:00Z")).toBe("2026-01-05T10:00:00.000Z");
    expect(normalizeDate("5/1/2026 10:00 AM UTC")).toBe("2026-01-05T10:00:00.000Z");
    expect(normalizeDate("5/1/2026 12:30 PM +02:00")).toBe("2026-01-05T10:30:00.000Z");
    expect(normalizeDate("5/1/2026 12:30 AM EST")).toBe("5/1/2026 12:30 AM EST");
    expect(normalizeDate("  ")).toBeUndefined();
    const a = readWebhook({
      this_task: { id: TASK, completed_at: "2026-01-05T10:00:00Z" },
      process: { id: RUN },
    });
    const b = readWebhook({
      this_task: { id: TASK, completed_at: "5/1/2026 10:00 AM UTC" },
      process: { id: RUN },
    });
    if (!a.ok || !b.ok) throw new Error("unreadable");
    expect(dedupKey("o", a.event)).toBe(dedupKey("o", b.event));
  });
});

describe("coalescing a run's deliveries", () => {
  it("makes one job for a burst, and one more for what arrives while it runs", async () => {
    const jobs: number[][] = [];
    let release: () => void = () => {};
    const c = createCoalescer<number>({
      windowMs: 20,
      run: async (_k, items) => {
        jobs.push(items);
        if (jobs.length === 1) await new Promise<void>((r) => (release = r));
      },
      onError: () => {},
    });
    for (let n = 0; n < 30; n++) c.add("run", n);
    await new Promise((r) => setTimeout(r, 40));
    expect(jobs).toHaveLength(1);
    for (let n = 30; n < 40; n++) c.add("run", n);
    release();
    await c.flush();
    expect(jobs.map((j) => j.length)).toEqual([30, 10]);
  });
});

describe("the fan-out", () => {
  function fakeClient(fail?: (n: number) => unknown) {
    const calls: { ts: string; text: string; at: number }[] = [];
    const client = {
      chat: {
        update: async (a: { ts: string; text: string }) => {
          const err = fail?.(calls.length);
          calls.push({ ...a, at: clock.t });
          if (err) throw err;
          return { ok: true };
        },
      },
    } as unknown as WebClient;
    return { client, calls };
  }
  const clock = { t: 0 };
  const sleep = async (ms: number) => {
    clock.t += ms;
  };

  it("updates one message at most once a second, the last state winning", async () => {
    clock.t = 0;
    const { client, calls } = fakeClient();
    const f = createFanout({ client, logger: silentLogger, now: () => clock.t, sleep });
    await f.update("T", "C", "1", { text: "a", blocks: [] });
    const waits = ["b", "c", "d"].map((text) => f.update("T", "C", "1", { text, blocks: [] }));
    expect(await Promise.all(waits)).toEqual(["updated", "updated", "updated"]);
    expect(calls.map((c) => c.text)).toEqual(["a", "d"]);
    expect((calls[1]?.at ?? 0) - (calls[0]?.at ?? 0)).toBeGreaterThanOrEqual(1000);
  });

  it("keeps a workspace to its budget a minute, and says gone for a deleted message", async () => {
    clock.t = 0;
    const { client, calls } = fakeClient((n) =>
      n === 3 ? Object.assign(new Error("x"), { data: { error: "message_not_found" } }) : undefined,
    );
    const f = createFanout({
      client,
      logger: silentLogger,
      now: () => clock.t,
      sleep,
      perWorkspacePerMinute: 3,
    });
    const results = [];
    for (let n = 0; n < 4; n++)
      results.push(await f.update("T", "C", String(n), { text: "", blocks: [] }));
    expect(results).toEqual(["updated", "updated", "updated", "gone"]);
    expect(calls[3]?.at).toBeGreaterThanOrEqual(60_000);
  });

  it("pauses on a 429 for its Retry-After and tries once more", async () => {
    clock.t = 0;
    const { client, calls } = fakeClient((n) =>
      n === 0 ? Object.assign(new Error("rate limited"), { retryAfter: 7 }) : undefined,
    );
    const f = createFanout({ client, logger: silentLogger, now: () => clock.t, sleep });
    expect(await f.update("T", "C", "1", { text: "", blocks: [] })).toBe("updated");
    expect(calls.map((c) => c.at)).toEqual([0, 7000]);
  });
});
