/**
 * Tallyfy sometimes sends odd values. One odd row must not break `/tallyfy list`, and a run
 * with odd optional fields still gets its card, with those fields blank.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ACTION } from "../../src/blocks/ids.ts";
import { assertBlockKit } from "../support/block-limits.ts";
import { eventually, type Harness, startHarness } from "../support/harness.ts";

// biome-ignore lint/suspicious/noExplicitAny: messages are inspected loosely.
type Json = any;

const OPS = "C0OPS";
const ALICE = "U0ALICE";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});
beforeEach(() => {
  h.sandbox.reset();
  h.slack.reset();
});

/** `/tallyfy list` as Alice: the reply, and the run ids of its View buttons. */
async function list(): Promise<{ reply: Json; ids: string[] }> {
  const seen = h.slack.responses.length;
  await h.driver.command("list", { channel: OPS, user: ALICE });
  const reply = await eventually(() => {
    const r = h.slack.responses[seen];
    if (!r) throw new Error("no reply yet");
    return r.body as Json;
  });
  const ids = (reply.blocks as Json[])
    .filter((b) => b.accessory?.action_id === ACTION.view)
    .map((b) => b.accessory.value as string);
  return { reply, ids };
}

const raw = (id: string, fields: Record<string, unknown>) => {
  const run = h.sandbox.state.runs.get(id);
  if (!run) throw new Error(`no run ${id}`);
  run.raw = fields;
};

describe("odd rows from Tallyfy", () => {
  it("one unreadable row and one nameless row: the list shows the rest and says so", async () => {
    const before = await list();
    expect(before.ids.length).toBeGreaterThanOrEqual(3);
    const [unreadable, nameless] = before.ids;
    raw(unreadable!, { id: null, name: "CANARY-odd-row" });
    raw(nameless!, { name: null });

    const after = await list();
    const text = JSON.stringify(after.reply.blocks);
    assertBlockKit({ type: "message", blocks: after.reply.blocks });
    expect(text).not.toContain(":x:");
    expect(text).toContain("1 process couldn't be shown");
    expect(text).toContain("Untitled process");
    expect(after.ids).toEqual(before.ids.filter((id) => id !== unreadable));

    const warn = h.logs.map((l) => JSON.parse(l)).find((l) => l.msg?.includes("left out"));
    expect(warn).toMatchObject({ what: "runs", count: 1 });
    expect(h.logs.join("\n")).not.toContain("CANARY");
  });

  it("a run with null status, a null member, progress 'abc' and a numeric summary gets its card", async () => {
    const { ids } = await list();
    const id = ids[0]!;
    raw(id, { status: null, users: [null], progress: "abc", summary: 5, starred: "false" });
    h.slack.reset();
    await h.driver.command(`show ${id}`, { channel: OPS, user: ALICE });
    const post = await h.slack.waitFor((c) => c.method === "chat.postMessage");
    const blocks = post.args.blocks as Json[];
    assertBlockKit({ type: "message", blocks });
    const text = JSON.stringify(blocks);
    expect(text).toContain(h.sandbox.state.runs.get(id)!.name);
    expect(text).toContain("Unknown");
    expect(text).toContain("0%");
    expect(blocks.some((b) => b.type === "actions")).toBe(true);
    expect(h.slack.responses.map((r) => JSON.stringify(r.body)).join("")).not.toContain(":x:");
  });
});
