import { describe, expect, it } from "vitest";
import {
  createWorkQueue,
  type QueuedWork,
  type Unfinished,
  WorkStopped,
} from "../../src/slack/work-queue.ts";

/** Queued work that is never stopped in these tests. */
function job(run: () => Promise<void>, onError: (e: unknown) => void = () => {}): QueuedWork {
  return { run, onError, stopped: async () => {} };
}

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
    for (const n of [1, 2, 3]) q.enqueue(job(async () => void started.push(n)));
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
        job(
          () =>
            new Promise<void>((r) => {
              started.push(n);
              release.push(r);
            }),
        ),
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
    q.enqueue(job(() => new Promise<void>((r) => (release = r))));
    q.enqueue(job(async () => {}));
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
      job(
        () => Promise.reject(new Error("boom")),
        (e) => errors.push(e),
      ),
    );
    let ran = false;
    q.enqueue(
      job(async () => {
        ran = true;
      }),
    );
    expect(await q.idle(1000)).toBe(true);
    expect(ran).toBe(true);
    expect((errors[0] as Error).message).toBe("boom");
  });
});

describe("createWorkQueue on shutdown", () => {
  const tick = () => new Promise((r) => setTimeout(r, 0));

  /** Work that runs until released, recording what it was told when the bot stopped. */
  function held(told: Map<string, Unfinished>, name: string, before?: () => void) {
    let release = () => {};
    const work: QueuedWork = {
      run: async () => {
        before?.();
        await new Promise<void>((r) => (release = r));
      },
      stopped: async (why) => void told.set(name, why),
      onError: () => {},
    };
    return { work, release: () => release() };
  }
  let queue: ReturnType<typeof createWorkQueue>;

  it("tells waiting work it was not started, and work enqueued after closing too", async () => {
    queue = createWorkQueue(1);
    const told = new Map<string, Unfinished>();
    const first = held(told, "first");
    queue.enqueue(first.work);
    queue.enqueue(held(told, "second").work);
    queue.enqueue(held(told, "third").work);
    await tick();
    const drained = queue.drain(1_000);
    queue.enqueue(held(told, "late").work);
    first.release();
    const report = await drained;
    expect(Object.fromEntries(told)).toEqual({
      second: "not_started",
      third: "not_started",
      late: "not_started",
    });
    expect(report).toEqual({ clean: true, notStarted: 3, cutOff: 0, undelivered: 0 });
  });

  it("tells work still running at the deadline whether it had sent a change", async () => {
    queue = createWorkQueue(4);
    const told = new Map<string, Unfinished>();
    queue.enqueue(held(told, "reading").work);
    queue.enqueue(held(told, "writing", () => queue.markWrite()).work);
    await tick();
    const report = await queue.drain(20);
    expect(Object.fromEntries(told)).toEqual({ reading: "read", writing: "write" });
    expect(report).toEqual({ clean: false, notStarted: 0, cutOff: 2, undelivered: 0 });
  });

  it("refuses a change from work already told that nothing was changed", async () => {
    queue = createWorkQueue(1);
    let proceed = () => {};
    let outcome: unknown;
    queue.enqueue({
      run: async () => {
        await new Promise<void>((r) => (proceed = r));
        try {
          queue.markWrite();
          outcome = "sent";
        } catch (error) {
          outcome = error;
        }
      },
      stopped: async () => {},
      onError: () => {},
    });
    await tick();
    await queue.drain(10);
    proceed();
    await tick();
    expect(outcome).toBeInstanceOf(WorkStopped);
  });

  it("lets running work finish within the budget, and reports a note it could not deliver", async () => {
    queue = createWorkQueue(1);
    const errors: unknown[] = [];
    const running = held(new Map(), "running");
    queue.enqueue(running.work);
    queue.enqueue({
      run: async () => {},
      stopped: () => Promise.reject(new Error("response_url expired")),
      onError: (e) => errors.push(e),
    });
    await tick();
    const drained = queue.drain(1_000);
    running.release();
    expect(await drained).toEqual({ clean: false, notStarted: 1, cutOff: 0, undelivered: 1 });
    expect((errors[0] as Error).message).toBe("response_url expired");
  });

  it("rejects run() work that never started with WorkStopped", async () => {
    queue = createWorkQueue(1);
    let release = () => {};
    const first = queue.run(() => new Promise<void>((r) => (release = r)));
    const second = queue.run(async () => "never");
    await tick();
    queue.close();
    await expect(second).rejects.toBeInstanceOf(WorkStopped);
    release();
    await first;
  });
});
