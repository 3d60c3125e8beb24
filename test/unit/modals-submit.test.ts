import type { ModalView } from "@slack/types";
import { describe, expect, it, vi } from "vitest";
import { silentLogger } from "../../src/log.ts";
import { answerSubmission, type SubmitOutcome } from "../../src/slack/submission.ts";
import { OnceRegistry } from "../../src/slack/submission-claims.ts";
import type { WebClient } from "../../src/slack/web-client.ts";

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
  it("runs a key once and shares the promise", async () => {
    const r = new OnceRegistry<number>();
    const fn = vi.fn(async () => 7);
    const a = r.run("k", fn);
    const b = r.run("k", fn);
    expect(a.first).toBe(true);
    expect(b.first).toBe(false);
    expect(await b.promise).toBe(7);
    expect(fn).toHaveBeenCalledOnce();
  });

  it("runs again after forget, and after the ttl", async () => {
    vi.useFakeTimers();
    try {
      const r = new OnceRegistry<number>(1000);
      const fn = vi.fn(async () => 1);
      r.run("k", fn);
      r.forget("k");
      expect(r.run("k", fn).first).toBe(true);
      vi.advanceTimersByTime(1001);
      expect(r.run("k", fn).first).toBe(true);
      expect(fn).toHaveBeenCalledTimes(3);
    } finally {
      vi.useRealTimers();
    }
  });
});
