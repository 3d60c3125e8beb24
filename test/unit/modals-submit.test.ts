import type { ModalView } from "@slack/types";
import { describe, expect, it, vi } from "vitest";
import { silentLogger } from "../../src/log.ts";
import { answerSubmission, type SubmitOutcome } from "../../src/slack/submission.ts";
import { OnceRegistry } from "../../src/slack/submission-claims.ts";
import type { WebClient } from "../../src/slack/web-client.ts";
import { createMemorySharedState } from "../../src/store/shared-state.ts";
import {
  TallyfyError,
  TallyfyTimeoutError,
  TallyfyValidationError,
} from "../../src/tallyfy/errors.ts";
import { deferred } from "../support/clock.ts";

const view = (text: string): ModalView => ({
  type: "modal",
  title: { type: "plain_text", text },
  blocks: [],
});

function setup(work: Promise<SubmitOutcome>, deadlineMs = 100) {
  const acks: unknown[] = [];
  const updates: unknown[] = [];
  const client = {
    views: {
      update: vi.fn(async (args: unknown) => {
        updates.push(args);
        return { ok: true };
      }),
    },
  } as unknown as WebClient;
  const done = answerSubmission({
    ack: async (r) => {
      acks.push(r);
    },
    client,
    viewId: "V1",
    startedAt: Date.now(),
    deadlineMs,
    pendingView: view("Working"),
    work,
    logger: silentLogger,
  });
  return { acks, updates, done };
}

const later = <T>(ms: number, value: T) => new Promise<T>((r) => setTimeout(() => r(value), ms));

describe("answerSubmission", () => {
  it("answers input errors in the ack when in time", async () => {
    const s = setup(Promise.resolve({ errors: { b: "bad" }, view: view("Form") }));
    await s.done;
    expect(s.acks).toEqual([{ response_action: "errors", errors: { b: "bad" } }]);
    expect(s.updates).toEqual([]);
  });

  it("shows the next view in the ack, then what `after` returns", async () => {
    const s = setup(Promise.resolve({ view: view("Done"), after: async () => view("Done+card") }));
    await s.done;
    expect(s.acks).toEqual([{ response_action: "update", view: view("Done") }]);
    expect(s.updates).toEqual([{ view_id: "V1", view: view("Done+card") }]);
  });

  it("closes when asked and never updates a closed view", async () => {
    const after = vi.fn(async () => view("ignored"));
    const s = setup(Promise.resolve({ close: true, view: view("Done"), after }));
    await s.done;
    expect(s.acks).toEqual([{ response_action: "clear" }]);
    expect(after).toHaveBeenCalledOnce();
    expect(s.updates).toEqual([]);
  });

  it("too slow: acks a pending view, then updates to the result (errors shown in the view)", async () => {
    const s = setup(later(250, { errors: { b: "bad" }, view: view("Form with errors") }), 50);
    await s.done;
    expect(s.acks).toEqual([{ response_action: "update", view: view("Working") }]);
    expect(s.updates).toEqual([{ view_id: "V1", view: view("Form with errors") }]);
  });

  it("too slow and closing: the result view stays up instead", async () => {
    const s = setup(later(200, { close: true, view: view("Updated") }), 50);
    await s.done;
    expect(s.acks).toEqual([{ response_action: "update", view: view("Working") }]);
    expect(s.updates).toEqual([{ view_id: "V1", view: view("Updated") }]);
  });
});

describe("answerSubmission when Slack refuses the late result", () => {
  it("replaces the pending view with an explanation instead of leaving it up", async () => {
    const updates: { view: ModalView }[] = [];
    let refuse = true;
    const client = {
      views: {
        update: async (args: { view: ModalView }) => {
          updates.push(args);
          if (refuse) {
            refuse = false;
            throw Object.assign(new Error("invalid_arguments"), {
              data: { error: "invalid_arguments" },
            });
          }
          return { ok: true };
        },
      },
    } as unknown as WebClient;
    await answerSubmission({
      ack: async () => {},
      client,
      viewId: "V1",
      startedAt: Date.now(),
      deadlineMs: 20,
      pendingView: view("Working"),
      work: later(80, { view: view("Form with errors") }),
      logger: silentLogger,
    });
    expect(updates).toHaveLength(2);
    expect(JSON.stringify(updates[1]?.view.blocks)).toContain("Slack wouldn't show the next step");
  });
});

describe("OnceRegistry", () => {
  /** Two instances' registries over one shared state (one store). */
  function instances(opts: { waitMs?: number; ttlMs?: number } = {}) {
    const shared = createMemorySharedState();
    const make = (owner: string) =>
      new OnceRegistry<number>({
        shared,
        owner,
        pollMs: 5,
        waitMs: opts.waitMs ?? 5_000,
        ...(opts.ttlMs ? { ttlMs: opts.ttlMs } : {}),
      });
    return { shared, a: make("A"), b: make("B") };
  }
  it("runs a key once and shares the promise within an instance", async () => {
    const { a } = instances();
    const fn = vi.fn(async () => 7);
    const [x, y] = await Promise.all([a.run("k", fn), a.run("k", fn)]);
    expect(x.first).toBe(true);
    expect(y.first).toBe(false);
    expect(await y.promise).toBe(7);
    expect(fn).toHaveBeenCalledOnce();
  });

  it("a repeat on another instance runs nothing and gets the first one's value", async () => {
    const { a, b } = instances();
    const call = deferred<number>();
    const fnA = vi.fn(() => call.promise);
    const fnB = vi.fn(async () => 99);
    const x = await a.run("k", fnA);
    const waiting = b.run("k", fnB);
    call.resolve(7);
    const y = await waiting;
    expect([x.first, y.first]).toEqual([true, false]);
    expect(await y.promise).toBe(7);
    expect(fnB).not.toHaveBeenCalled();
    // Later repeats too, and the outcome stays for them.
    expect(await (await b.run("k", fnB)).promise).toBe(7);
  });

  it("after a failure that changed nothing, the repeat on the other instance runs it", async () => {
    const { a, b } = instances();
    const call = deferred<number>();
    const x = await a.run("k", () => call.promise);
    const waiting = b.run("k", async () => 8);
    call.reject(new TallyfyValidationError({ status: 422 }));
    await expect(x.promise).rejects.toBeInstanceOf(TallyfyValidationError);
    await a.forget("k");
    const y = await waiting;
    expect(y.first).toBe(true);
    expect(await y.promise).toBe(8);
  });

  it("after a failure that may have applied, the repeat elsewhere says so and runs nothing", async () => {
    const { a, b } = instances();
    await expect(
      (await a.run("k", () => Promise.reject(new TallyfyTimeoutError({ mayHaveApplied: true }))))
        .promise,
    ).rejects.toBeInstanceOf(TallyfyTimeoutError);
    const fnB = vi.fn(async () => 1);
    const y = await b.run("k", fnB);
    const error = await y.promise.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TallyfyError);
    expect((error as TallyfyError).mayHaveApplied).toBe(true);
    expect((error as TallyfyError).kind).toBe("timeout");
    expect(fnB).not.toHaveBeenCalled();
  });

  it("a repeat gives up waiting with 'can't tell', running nothing", async () => {
    const { a, b } = instances({ waitMs: 30 });
    await a.run("k", () => new Promise<number>(() => {}));
    const fnB = vi.fn(async () => 1);
    const y = await b.run("k", fnB);
    const error = await y.promise.catch((e: unknown) => e);
    expect((error as TallyfyError).mayHaveApplied).toBe(true);
    expect(fnB).not.toHaveBeenCalled();
  });

  it("releaseAll gives unfinished work to another instance; finished work stays done", async () => {
    const { a, b } = instances();
    await a.run("hung", () => new Promise<number>(() => {}));
    await (await a.run("done", async () => 5)).promise;
    expect(await a.releaseAll()).toBe(2);
    const hung = await b.run("hung", async () => 6);
    expect(hung.first).toBe(true);
    expect(await hung.promise).toBe(6);
    const fnB = vi.fn(async () => 9);
    const done = await b.run("done", fnB);
    expect(done.first).toBe(false);
    expect(await done.promise).toBe(5);
    expect(fnB).not.toHaveBeenCalled();
  });

  it("runs nothing when the store can't be reached, and may run once it can", async () => {
    const { shared, a } = instances();
    const claim = shared.claim;
    shared.claim = () => Promise.reject(new Error("connection refused"));
    const fn = vi.fn(async () => 1);
    await expect(a.run("k", fn)).rejects.toThrow("connection refused");
    expect(fn).not.toHaveBeenCalled();
    shared.claim = claim;
    expect((await a.run("k", fn)).first).toBe(true);
  });

  it("runs again after the ttl", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    try {
      const { a, b } = instances({ ttlMs: 1000 });
      const fn = vi.fn(async () => 1);
      await (await a.run("k", fn)).promise;
      expect((await b.run("k", fn)).first).toBe(false);
      vi.setSystemTime(Date.now() + 1001);
      expect((await a.run("k", fn)).first).toBe(true);
      vi.setSystemTime(Date.now() + 1001);
      expect((await b.run("k", fn)).first).toBe(true);
      expect(fn).toHaveBeenCalledTimes(3);
    } finally {
      vi.useRealTimers();
    }
  });
});
