/**
 * Ids that reach a Tallyfy path come from Slack: button values and modal private_metadata.
 * Forged ones (`..`, `.`, empty) must never reach Tallyfy, and the person gets one sentence.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { FakeView } from "../../sandbox/slack/types.ts";
import { SEED } from "../../sandbox/tallyfy/server.ts";
import { ACTION } from "../../src/blocks/ids.ts";
import { metadataKey, seal, unseal } from "../../src/slack/sealed-metadata.ts";
import { eventually, type Harness, SIGNING_SECRET, startHarness } from "../support/harness.ts";

// biome-ignore lint/suspicious/noExplicitAny: messages and views are inspected loosely.
type Json = any;

const ALICE = "U0ALICE";
const OPS = "C0OPS";
const HUMAN = "That process link doesn't look right";

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

const text = (v: unknown) => JSON.stringify(v);

/**
 * The form's metadata with `change` applied and sealed again with the bot's own key: the id
 * check must hold even behind a valid seal (a leaked signing secret, or a bug that seals what
 * it should not).
 */
function resealed(view: FakeView["view"], userId: string, change: object): string {
  const key = metadataKey(SIGNING_SECRET);
  const scope = { form: view.callback_id ?? "", userId };
  const json = unseal(key, scope, view.private_metadata);
  if (!json) throw new Error("the form's metadata is not sealed for this person");
  return seal(key, scope, JSON.stringify({ ...JSON.parse(json), ...change }));
}

/** A card for the active seeded run, with every button's value replaced by `value`. */
async function forgedCard(value: string): Promise<{ channel: string; ts: string }> {
  await h.driver.command(`show ${SEED.runs.active}`, { channel: OPS, user: ALICE });
  const post = await h.slack.waitFor((c) => c.method === "chat.postMessage" && c.response.ok);
  const where = { channel: post.response.channel as string, ts: post.response.ts as string };
  const message = h.slack.message(where.channel, where.ts) as Json;
  for (const block of message.blocks as Json[]) {
    for (const el of [...(block.elements ?? []), block.accessory].filter(Boolean)) {
      if (el.type === "button" && el.value !== undefined) el.value = value;
    }
  }
  return where;
}

/** The response_url posts after the first `seen`. */
function responsesAfter(seen: number): Json[] {
  return h.slack.responses.slice(seen).map((r) => r.body as Json);
}

describe("a card button whose value is not a run id", () => {
  for (const value of ["..", ".", ""]) {
    for (const action of [ACTION.archive, ACTION.refresh, ACTION.activate]) {
      it(`${action} with value ${JSON.stringify(value)}: no Tallyfy request, a human message`, async () => {
        const card = await forgedCard(value);
        if (action === ACTION.activate) {
          // Archive and Activate are never on one card; give this one an Activate button.
          const message = h.slack.message(card.channel, card.ts) as Json;
          for (const block of message.blocks as Json[]) {
            for (const el of block.elements ?? []) {
              if (el.action_id === ACTION.archive) el.action_id = ACTION.activate;
            }
          }
        }
        h.sandbox.clearRequests();
        const seen = h.slack.responses.length;
        await h.driver.clickButton(card, action, { user: ALICE });
        const [reply] = await eventually(() => {
          const out = responsesAfter(seen);
          if (out.length === 0) throw new Error("no reply yet");
          return out;
        });
        expect(text(reply.blocks)).toContain(HUMAN);
        expect(text(reply)).not.toMatch(/\n\s+at |TallyfyInvalidIdError|Error:/);
        expect(reply.replace_original).toBe(false);
        expect(h.sandbox.requests).toEqual([]);
        expect(h.sandbox.state.runs.get(SEED.runs.active)?.status).toBe("active");
        expect(h.slack.callsTo("chat.update")).toHaveLength(0);
      });
    }
  }

  it("a list row's View button with value `..` is refused the same way", async () => {
    await h.driver.command("list", { channel: OPS, user: ALICE });
    const list = await eventually(() => {
      const m = h.slack.messages(OPS).find((x) => x.ephemeralTo === ALICE);
      if (!m) throw new Error("no list yet");
      return m;
    });
    const seen = h.slack.responses.length;
    for (const block of list.blocks as Json[]) {
      if (block.accessory?.action_id === ACTION.view) block.accessory.value = "..";
    }
    h.sandbox.clearRequests();
    await h.driver.clickButton({ ephemeral: list }, ACTION.view, { user: ALICE, value: ".." });
    const [reply] = await eventually(() => {
      const out = responsesAfter(seen);
      if (out.length === 0) throw new Error("no reply yet");
      return out;
    });
    expect(text(reply.blocks)).toContain(HUMAN);
    expect(h.sandbox.requests).toEqual([]);
  });
});

describe("a modal whose private_metadata names no run", () => {
  function aliceView(ready: (v: FakeView) => boolean): Promise<FakeView> {
    return eventually(() => {
      const v = h.slack.openView(ALICE);
      if (!v || !ready(v)) throw new Error("view not ready");
      return v;
    });
  }

  it("Update on a forged card opens a modal that explains, with no Tallyfy request", async () => {
    const card = await forgedCard("..");
    h.sandbox.clearRequests();
    await h.driver.clickButton(card, ACTION.update, { user: ALICE });
    const view = await aliceView((v) => text(v.view.blocks).includes(HUMAN));
    expect(view.view.submit?.text).not.toBe("Save");
    expect(h.sandbox.requests).toEqual([]);
  });

  it("saving an edit modal whose run id was swapped for `..` sends nothing to Tallyfy", async () => {
    await h.driver.command(`edit ${SEED.runs.active}`, { channel: OPS, user: ALICE });
    const form = await aliceView((v) => v.view.submit?.text === "Save");
    form.view.private_metadata = resealed(form.view, ALICE, { r: ".." });
    h.sandbox.clearRequests();
    const res = await h.driver.submitView(form.id, { run_name: { value: "Renamed" } });
    const shown = await eventually(() => {
      const all = `${text(res.body)} ${text(h.slack.openView(ALICE)?.view.blocks ?? [])}`;
      if (!all.includes(HUMAN)) throw new Error(`no message yet: ${all.slice(0, 300)}`);
      return all;
    });
    expect(shown).not.toMatch(/\n\s+at |Error:/);
    expect(h.sandbox.requests).toEqual([]);
    expect(h.sandbox.state.runs.get(SEED.runs.active)?.name).not.toBe("Renamed");
  });

  it("submitting a launch modal whose template id was swapped for `..` launches nothing", async () => {
    await h.driver.command("launch Employee Onboarding", { channel: OPS, user: ALICE });
    const form = await aliceView((v) => v.view.submit?.text === "Launch");
    form.view.private_metadata = resealed(form.view, ALICE, { t: ".." });
    h.sandbox.clearRequests();
    const res = await h.driver.submitView(form.id, {}, { skipClientValidation: true });
    const shown = await eventually(() => {
      const all = `${text(res.body)} ${text(h.slack.openView(ALICE)?.view.blocks ?? [])}`;
      if (!all.includes("doesn't look right")) throw new Error(`no message: ${all.slice(0, 400)}`);
      return all;
    });
    expect(shown).not.toMatch(/\n\s+at |Error:/);
    expect(h.sandbox.requests).toEqual([]);
  });
});
