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
