import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { FakeView } from "../../sandbox/slack/types.ts";
import { SEED } from "../../sandbox/tallyfy/server.ts";
import { ACTION } from "../../src/blocks/ids.ts";
import { assertModalView } from "../support/block-limits.ts";
import { eventually, type Harness, startHarness } from "../support/harness.ts";

// biome-ignore lint/suspicious/noExplicitAny: views and bodies are inspected loosely.
type Json = any;

const ALICE = "U0ALICE";
const OPS = "C0OPS";
const RUN = SEED.runs.active;
const F = SEED.onboardingFields;
const ko = (fieldId: string) => `ko_${fieldId}`;

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
  h.sandbox.latencyMs = 0;
});

const text = (v: Json) => JSON.stringify(v.view?.blocks ?? v.blocks ?? v);
const runPath = `/organizations/${SEED.orgId}/runs/${RUN}`;
const puts = () => h.sandbox.requests.filter((r) => r.method === "PUT" && r.path === runPath);
const sandboxRun = () => h.sandbox.state.runs.get(RUN)!;

function aliceView(ready: (v: FakeView) => boolean, timeoutMs = 5_000): Promise<FakeView> {
  return eventually(() => {
    const v = h.slack.openView(ALICE);
    if (!v || !ready(v)) throw new Error(`view not ready: ${v ? text(v).slice(0, 300) : "none"}`);
    assertModalView(v);
    return v;
  }, timeoutMs);
}
const isForm = (v: FakeView) => v.view.submit?.text === "Save";
/** The redraw that follows a save (awaited, so it never lands in the next test). */
const redraw = () => h.slack.waitFor((c) => c.method === "chat.update");
const block = (v: FakeView, id: string) => v.view.blocks.find((b: Json) => b.block_id === id);

/** `/tallyfy show` posts the card in #ops; returns where it is. */
async function postedCard(): Promise<{ channel: string; ts: string }> {
  await h.driver.command(`show ${RUN}`);
  const post = await h.slack.waitFor((c) => c.method === "chat.postMessage" && c.response.ok);
  return { channel: post.response.channel, ts: post.response.ts };
}

async function editFromCard(): Promise<{ card: { channel: string; ts: string }; form: FakeView }> {
  const card = await postedCard();
  await h.driver.clickButton(card, ACTION.update);
  return { card, form: await aliceView(isForm) };
}

describe("opening", () => {
  it("opens at once, before Tallyfy answers, then fills the form from the run", async () => {
    const card = await postedCard();
    h.sandbox.clearRequests();
    h.sandbox.latencyMs = 1000;
    await h.driver.clickButton(card, ACTION.update);
    const open = await h.slack.waitFor((c) => c.method === "views.open");
    expect(text(open.args.view)).toContain("Loading the process");
    const form = await aliceView(isForm, 10_000);
    expect(h.sandbox.requests[0]?.at).toBeGreaterThanOrEqual(open.at);

    const run = sandboxRun();
    expect(block(form, "run_name").element.initial_value).toBe(run.name);
    expect(block(form, "run_summary").element.initial_value).toBe(run.summary);
    expect(block(form, "run_owner").element.initial_user).toBe(ALICE);
    expect(
      block(form, "run_tags")
        .element.initial_options.map((o: Json) => o.value)
        .sort(),
    ).toEqual([...run.tags].sort());
    expect(block(form, ko(F.fullName)).element.initial_value).toBe("Maria Garcia");
    expect(block(form, ko(F.department)).element.initial_option.text.text).toBe("Engineering");
    expect(block(form, ko(F.buddy)).element.initial_users).toEqual(["U0BOB"]);
    expect(block(form, ko(F.startDate)).element.initial_date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });
});

describe("saving", () => {
  it("a changed name sends name, users and groups only, and redraws the card", async () => {
    const { card, form } = await editFromCard();
    const before = structuredClone(sandboxRun());
    h.sandbox.clearRequests();
    const res = await h.driver.submitView(form.id, {
      run_name: { value: "Onboarding – Maria G." },
    });
    expect(res.body).toEqual({ response_action: "clear" });
    expect(h.slack.openView(ALICE)).toBeUndefined();

    // the fresh read for the concurrency check, then the PUT: nothing else
    expect(h.sandbox.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      `GET ${runPath}`,
      `PUT ${runPath}`,
    ]);
    const body = puts()[0]?.body as Json;
    expect(Object.keys(body).sort()).toEqual(["groups", "name", "users"]);
    expect(body).toEqual({
      name: "Onboarding – Maria G.",
      users: before.users,
      groups: before.groups,
    });
    expect(sandboxRun().users).toEqual(before.users);
    expect(sandboxRun().groups).toEqual(before.groups);

    const update = await redraw();
    expect(update.args).toMatchObject({ channel: card.channel, ts: card.ts });
    expect(update.response.ok).toBe(true);
    expect(text(update.args)).toContain("Onboarding – Maria G.");
    expect(text(update.args)).toContain(`Updated by <@${ALICE}>`);
    // the redrawn card keeps what the PUT's bare answer lacks: tag titles and the next task
    expect(text(update.args)).toContain("Onboarding, Hiring");
    expect(text(update.args)).not.toContain(SEED.tags.onboarding);
  });

  it("changed tags are sent, replacing the list", async () => {
    const { form } = await editFromCard();
    const res = await h.driver.submitView(form.id, {
      run_tags: { [ACTION.tagSearch]: [SEED.tags.urgent] },
    });
    expect(res.body.response_action).toBe("clear");
    const body = puts()[0]?.body as Json;
    expect(Object.keys(body).sort()).toEqual(["groups", "tags", "users"]);
    expect(body.tags).toEqual([SEED.tags.urgent]);
    expect(sandboxRun().tags).toEqual([SEED.tags.urgent]);
    await redraw();
  });

  it("a changed kick-off answer sends only that field", async () => {
    const { form } = await editFromCard();
    await h.driver.submitView(form.id, { [ko(F.fullName)]: { value: "Maria García" } });
    const body = puts()[0]?.body as Json;
    expect(Object.keys(body).sort()).toEqual(["groups", "prerun", "users"]);
    expect(body.prerun).toEqual({ [F.fullName]: "Maria García" });
    expect(sandboxRun().prerun[F.personalEmail]).toBe("maria.garcia@example.com");
    expect(text((await redraw()).args)).toContain(`Updated by <@${ALICE}>`);
  });

  it("with nothing changed, sends nothing and says so", async () => {
    const { form } = await editFromCard();
    const res = await h.driver.submitView(form.id);
    expect(res.body.response_action).toBe("update");
    expect(text(res.body.view)).toContain("Nothing to update");
    expect(puts()).toEqual([]);
    expect(h.slack.callsTo("chat.update")).toEqual([]);
  });

  it("a summary longer than the form holds, or padded, is not rewritten by an unrelated edit", async () => {
    const long = `${"Background. ".repeat(200)}\n`;
    sandboxRun().summary = long;
    sandboxRun().name = "  Padded name ";
    const { form } = await editFromCard();
    expect(block(form, "run_summary").element.initial_value.length).toBeLessThan(long.length);
    await h.driver.submitView(form.id, { [ko(F.fullName)]: { value: "Maria García" } });
    const body = puts()[0]?.body as Json;
    expect(Object.keys(body).sort()).toEqual(["groups", "prerun", "users"]);
    expect(sandboxRun().summary).toBe(long);
    expect(sandboxRun().name).toBe("  Padded name ");
    await redraw();
  });

  it("warns when the run changed in Tallyfy after opening; saving again overwrites", async () => {
    const { form } = await editFromCard();
    const run = sandboxRun();
    run.name = "Renamed in Tallyfy";
    run.last_updated = new Date(Date.parse(run.last_updated) + 60_000).toISOString();

    const res = await h.driver.submitView(form.id, { run_summary: { value: "New summary" } });
    expect(res.body.response_action).toBe("update");
    expect(puts()).toEqual([]);
    const warned = h.slack.openView(ALICE) as FakeView;
    expect(text(warned)).toContain("changed in Tallyfy after you opened");
    expect(text(warned)).toContain(ACTION.editReload);
    expect(block(warned, "run_summary").element.initial_value).toBe("New summary");

    const again = await h.driver.submitView(warned.id);
    expect(again.body.response_action).toBe("clear");
    const body = puts()[0]?.body as Json;
    expect(body).toMatchObject({ summary: "New summary", name: "Onboarding – Maria Garcia" });
    await redraw();
  });

  it("Reload starts again from what Tallyfy has now", async () => {
    const { form } = await editFromCard();
    const run = sandboxRun();
    run.name = "Renamed in Tallyfy";
    run.last_updated = new Date(Date.parse(run.last_updated) + 60_000).toISOString();
    await h.driver.submitView(form.id, { run_summary: { value: "Mine" } });
    const warned = h.slack.openView(ALICE) as FakeView;
    await h.driver.clickButton({ viewId: warned.id }, ACTION.editReload);
    const fresh = await aliceView(
      (v) => isForm(v) && block(v, "run_name")?.element.initial_value === "Renamed in Tallyfy",
    );
    expect(text(fresh)).not.toContain("changed in Tallyfy after you opened");
    const res = await h.driver.submitView(fresh.id);
    expect(text(res.body.view)).toContain("Nothing to update");
  });

  it("puts Tallyfy's 422 on the input it names, keeping the form", async () => {
    const { form } = await editFromCard();
    h.sandbox.fault({
      method: "PUT",
      path: runPath,
      status: 422,
      body: { error: true, errors: { name: ["The name may not be greater than 550 characters."] } },
    });
    const res = await h.driver.submitView(form.id, {
      run_name: { value: "Too long, says Tallyfy" },
    });
    expect(res.body).toEqual({
      response_action: "errors",
      errors: { run_name: "The name may not be greater than 550 characters." },
    });
    expect(res.viewProblem).toBeUndefined();
    expect(h.slack.openView(ALICE)?.id).toBe(form.id);
  });

  it("refuses a Slack user with no Tallyfy account as owner", async () => {
    const { form } = await editFromCard();
    const res = await h.driver.submitView(form.id, { run_owner: { value: "U0DAVE" } });
    expect(res.body.response_action).toBe("errors");
    expect(res.body.errors.run_owner).toContain("Dave Diaz");
    expect(puts()).toEqual([]);
  });

  it("redraws a card Slack only lets the bot reach through its response_url", async () => {
    await h.driver.command(`show ${RUN}`, { channel: "C0LEADERS" });
    const shown = await h.slack.waitForResponse((r) => text(r.body).includes("run_update"));
    const message = h.slack.messages("C0LEADERS").at(-1);
    if (!message) throw new Error(`no card in #leadership (${shown.status})`);
    await h.driver.clickButton({ channel: "C0LEADERS", ts: message.ts }, ACTION.update);
    const form = await aliceView(isForm);
    const seen = h.slack.responses.length;
    // the bot is not in #leadership: Slack refuses chat.update there
    h.slack.failNext("chat.update", "channel_not_found");
    await h.driver.submitView(form.id, { run_name: { value: "Renamed in private" } });
    const replaced = await h.slack.waitForResponse(
      (r) => h.slack.responses.indexOf(r) >= seen && text(r.body).includes("Renamed in private"),
    );
    expect(replaced.body.replace_original).toBe(true);
    expect(replaced.status).toBe(200);
    expect(text(h.slack.message("C0LEADERS", message.ts))).toContain("Renamed in private");
  });

  it("`/tallyfy edit <run>` has no card to redraw, so saving posts one", async () => {
    await h.driver.command(`edit ${RUN}`, { channel: OPS });
    const form = await aliceView(isForm);
    await h.driver.submitView(form.id, { run_name: { value: "Edited from the command" } });
    const post = await h.slack.waitFor(
      (c) => c.method === "chat.postMessage" && text(c.args).includes("Edited from the command"),
    );
    expect(post.args.channel).toBe(OPS);
    expect(h.slack.callsTo("chat.update")).toEqual([]);
  });
});

describe("two people editing one process", () => {
  const BOB = "U0BOB";
  const formOf = (user: string) =>
    eventually(() => {
      const v = h.slack.openView(user);
      if (!v || !isForm(v)) throw new Error(`no form for ${user}`);
      return v;
    });
  const hintOf = (v: Json, id: string) => block(v, id)?.hint?.text ?? "";

  it("saving one field at the same time: one save wins, the other is told and keeps its value", async () => {
    await h.driver.command(`edit ${RUN}`, { channel: OPS, user: ALICE });
    const alice = await formOf(ALICE);
    await h.driver.command(`edit ${RUN}`, { channel: OPS, user: BOB });
    const bob = await formOf(BOB);
    h.sandbox.clearRequests();
    h.sandbox.latencyMs = 300;

    const [a, b] = await Promise.all([
      h.driver.submitView(alice.id, { run_name: { value: "Alice's name" } }),
      h.driver.submitView(bob.id, { run_name: { value: "Bob's name" } }),
    ]);
    h.sandbox.latencyMs = 0;
    expect(puts()).toHaveLength(1);
    const [won, lost, loser] = a.body.response_action === "clear" ? [a, b, BOB] : [b, a, ALICE];
    expect(won.body.response_action).toBe("clear");
    expect(lost.body.response_action).toBe("update");
    const winner = loser === BOB ? "Alice's name" : "Bob's name";
    expect(sandboxRun().name).toBe(winner);
    const told = h.slack.openView(loser) as FakeView;
    expect(hintOf(told, "run_name")).toContain(
      `Someone else changed this while you were editing: now '${winner}'`,
    );
    expect(block(told, "run_name").element.initial_value).toBe(
      loser === BOB ? "Bob's name" : "Alice's name",
    );
    await h.slack.waitFor((c) => c.method === "chat.postMessage");
  });

  it("a field changed in Tallyfy meanwhile is not overwritten, even when last_updated says nothing", async () => {
    const { form } = await editFromCard();
    sandboxRun().name = "Renamed in Tallyfy";
    h.sandbox.clearRequests();

    const res = await h.driver.submitView(form.id, { run_name: { value: "My name" } });
    expect(res.body.response_action).toBe("update");
    expect(puts()).toEqual([]);
    // one read and no PUT
    expect(h.sandbox.requests.map((r) => `${r.method} ${r.path}`)).toEqual([`GET ${runPath}`]);
    const told = h.slack.openView(ALICE) as FakeView;
    expect(hintOf(told, "run_name")).toContain(
      "Someone else changed this while you were editing: now 'Renamed in Tallyfy'",
    );
    expect(block(told, "run_name").element.initial_value).toBe("My name");
    expect(text(told)).toContain("Nothing was saved");
    expect(sandboxRun().name).toBe("Renamed in Tallyfy");

    // the form now knows what Tallyfy has: saving again is a deliberate overwrite
    const again = await h.driver.submitView(told.id);
    expect(again.body.response_action).toBe("clear");
    expect(sandboxRun().name).toBe("My name");
    await redraw();
  });
});
