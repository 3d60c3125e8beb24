import { describe, expect, it } from "vitest";
import {
  createWorkQueue,
  type QueuedWork,
  type Unfinished,
  type WorkQueue,
  WorkStopped,
} from "../../src/slack/work-queue.ts";
import type { WorkScope } from "../../src/tallyfy/work-scope.ts";

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
    await new Promise((r) => setTimeout(r, 5));
    expect(started).toEqual([1, 2]);
    expect(q.waiting).toBe(2);
    release.shift()?.();
    await new Promise((r) => setTimeout(r, 5));
    expect(started).toEqual([1, 2, 3]);
    for (let i = 0; i < 3; i++) {
      release.shift()?.();
      await new Promise((r) => setTimeout(r, 5));
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

describe("createWorkQueue: running", () => {
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
  /** What the Tallyfy client does just before it sends a change for the running work. */
  const writeFrom = (q: WorkQueue) => q.scope()?.writing?.();

  // Queued work starts on setImmediate: wait past it.
  const tick = () => new Promise((r) => setTimeout(r, 5));

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
  let queue: WorkQueue;

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
    queue.enqueue(held(told, "writing", () => writeFrom(queue)).work);
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
          writeFrom(queue);
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

  /**
   * A Tallyfy call as the SDK makes it, never answered: `sends` goes out at once, otherwise it
   * waits for the budget (held); either way it stops when the work is let go.
   */
  function tallyfyCall(q: WorkQueue, sends: boolean): Promise<void> {
    const scope = q.scope();
    if (!scope) throw new Error("not inside queued work");
    if (sends) scope.sending();
    else scope.held(true);
    return new Promise<void>((_answered, reject) => {
      scope.signal.addEventListener("abort", () => reject(scope.signal.reason), { once: true });
      if (scope.signal.aborted) reject(scope.signal.reason);
    }).finally(() => {
      if (!sends) scope.held(false);
    });
  }

  /** Work making one Tallyfy call that never answers; what it ended in goes to `outcome`. */
  function oneCall(q: WorkQueue, told: Map<string, Unfinished>, name: string, sends: boolean) {
    const outcome: unknown[] = [];
    const work: QueuedWork = {
      run: () => tallyfyCall(q, sends).catch((e: unknown) => void outcome.push(e)),
      stopped: async (why) => void told.set(name, why),
      onError: () => {},
    };
    return { work, outcome };
  }

  it("lets go at close of running work waiting for Tallyfy's budget with nothing sent: not started", async () => {
    queue = createWorkQueue(10);
    const told = new Map<string, Unfinished>();
    const waiting = oneCall(queue, told, "waiting", false);
    const reading = oneCall(queue, told, "reading", true);
    queue.enqueue(waiting.work);
    queue.enqueue(reading.work);
    await tick();

    queue.close();
    await tick();
    // The let-go call stopped with WorkStopped, and its work was told at once, not at the deadline.
    expect(waiting.outcome[0]).toBeInstanceOf(WorkStopped);
    expect(Object.fromEntries(told)).toEqual({ waiting: "not_started" });
    expect(reading.outcome).toEqual([]);

    const report = await queue.drain(20);
    // Told once: drain does not cut the let-go work off again.
    expect(Object.fromEntries(told)).toEqual({ waiting: "not_started", reading: "read" });
    expect(report).toEqual({ clean: false, notStarted: 1, cutOff: 1, undelivered: 0 });
  });

  it("after close, lets go of work that starts to wait for the budget with nothing sent, and refuses its change", async () => {
    queue = createWorkQueue(10);
    const told = new Map<string, Unfinished>();
    let proceed = () => {};
    const outcome: unknown[] = [];
    queue.enqueue({
      run: async () => {
        await new Promise<void>((r) => (proceed = r));
        await tallyfyCall(queue, false).catch((e: unknown) => void outcome.push(e));
        try {
          writeFrom(queue);
        } catch (error) {
          outcome.push(error);
        }
      },
      stopped: async (why) => void told.set("late", why),
      onError: () => {},
    });
    await tick();
    const drained = queue.drain(1_000);
    proceed();
    const report = await drained;
    expect(outcome).toHaveLength(2);
    expect(outcome.every((e) => e instanceof WorkStopped)).toBe(true);
    expect(Object.fromEntries(told)).toEqual({ late: "not_started" });
    expect(report).toEqual({ clean: true, notStarted: 1, cutOff: 0, undelivered: 0 });
  });

  it("counts a request Tallyfy refused with a 429 as nothing sent", async () => {
    queue = createWorkQueue(10);
    const told = new Map<string, Unfinished>();
    let scope: WorkScope | undefined;
    const outcome: unknown[] = [];
    queue.enqueue({
      run: async () => {
        scope = queue.scope();
        await tallyfyCall(queue, true).catch((e: unknown) => void outcome.push(e));
        await tallyfyCall(queue, false).catch((e: unknown) => void outcome.push(e));
      },
      stopped: async (why) => void told.set("probe", why),
      onError: () => {},
    });
    await tick();
    queue.close();
    expect(told.size).toBe(0); // its request is out
    expect(scope!.inHand()).toBe(true);
    // Refused with a 429, it waits for the budget again: now it has sent nothing.
    scope!.refused();
    expect(scope!.inHand()).toBe(false);
    scope!.held(true);
    await tick();
    expect(outcome[0]).toBeInstanceOf(WorkStopped);
    expect(await queue.drain(1_000)).toEqual({
      clean: true,
      notStarted: 1,
      cutOff: 0,
      undelivered: 0,
    });
    expect(Object.fromEntries(told)).toEqual({ probe: "not_started" });
  });

  it("gives no scope outside queued work, nor to work that has ended", async () => {
    queue = createWorkQueue(1);
    expect(queue.scope()).toBeUndefined();
    let later: (() => WorkScope | undefined) | undefined;
    await queue.run(async () => {
      expect(queue.scope()).toBeDefined();
      later = () => queue.scope();
    });
    expect(later!()).toBeUndefined();
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
