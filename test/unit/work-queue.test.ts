import { describe, expect, it } from "vitest";
import { createWorkQueue } from "../../src/slack/work-queue.ts";

describe("createWorkQueue", () => {
  it("runs at most `limit` at once, the rest in arrival order", async () => {
    const q = createWorkQueue(2);
    const started: number[] = [];
    const release: (() => void)[] = [];
    const job = (n: number) =>
      q.run(async () => {
        started.push(n);
        await new Promise<void>((r) => release.push(r));
        return n;
      });
    const all = [1, 2, 3, 4].map(job);
    await new Promise((r) => setTimeout(r, 0));
    expect(started).toEqual([1, 2]);
    expect(q.waiting).toBe(2);
    release.shift()?.();
    await new Promise((r) => setTimeout(r, 0));
    expect(started).toEqual([1, 2, 3]);
    for (let i = 0; i < 3; i++) {
      release.shift()?.();
      await new Promise((r) => setTimeout(r, 0));
    }
    expect(await Promise.all(all)).toEqual([1, 2, 3, 4]);
    expect(q.waiting).toBe(0);
  });

  it("frees the slot when work fails", async () => {
    const q = createWorkQueue(1);
    await expect(q.run(() => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    expect(await q.run(async () => "next")).toBe("next");
  });
});

describe("createWorkQueue while requests are arriving", () => {
  const tick = () => new Promise((r) => setTimeout(r, 0));

  it("holds work back while busy, and kick() starts it once the acks are answered", async () => {
    let busy = true;
    const q = createWorkQueue({ limit: 4, busy: () => busy, maxWaitMs: 60_000 });
    const started: number[] = [];
    for (const n of [1, 2, 3])
      q.enqueue(
        async () => void started.push(n),
        () => {},
      );
    await tick();
    expect(started).toEqual([]);
    expect(q.waiting).toBe(3);
    busy = false;
    q.kick();
    await tick();
    expect(started).toEqual([1, 2, 3]);
    expect(q.pending).toBe(0);
  });

  it("starts work that has waited maxWaitMs even while busy, busyLimit at a time", async () => {
    let clock = 0;
    const q = createWorkQueue({
      limit: 8,
      busy: () => true,
      maxWaitMs: 50,
      busyLimit: 2,
      now: () => clock,
    });
    const started: number[] = [];
    const release: (() => void)[] = [];
    for (const n of [1, 2, 3, 4]) {
      q.enqueue(
        () =>
          new Promise<void>((r) => {
            started.push(n);
            release.push(r);
          }),
        () => {},
      );
    }
    await tick();
    expect(started).toEqual([]);
    clock = 50;
    await new Promise((r) => setTimeout(r, 70)); // the queue's own timer looks again
    expect(started).toEqual([1, 2]);
    release.shift()?.();
    await tick();
    expect(started).toEqual([1, 2, 3]);
    for (const r of release.splice(0)) r();
    await tick();
    for (const r of release.splice(0)) r();
    expect(await q.idle(1000)).toBe(true);
    expect(started).toEqual([1, 2, 3, 4]);
  });

  it("idle() waits for running and waiting work, and gives up after its time", async () => {
    const q = createWorkQueue(1);
    let release = () => {};
    q.enqueue(
      () => new Promise<void>((r) => (release = r)),
      () => {},
    );
    q.enqueue(
      async () => {},
      () => {},
    );
    expect(await q.idle(20)).toBe(false);
    const idle = q.idle(1000);
    release();
    expect(await idle).toBe(true);
    expect(q.pending).toBe(0);
  });

  it("hands a failure that escapes the work to onError, and keeps going", async () => {
    const q = createWorkQueue(1);
    const errors: unknown[] = [];
    q.enqueue(
      () => Promise.reject(new Error("boom")),
      (e) => errors.push(e),
    );
    let ran = false;
    q.enqueue(
      async () => {
        ran = true;
      },
      () => {},
    );
    expect(await q.idle(1000)).toBe(true);
    expect(ran).toBe(true);
    expect((errors[0] as Error).message).toBe("boom");
  });
});
