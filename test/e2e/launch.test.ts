import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { FakeView } from "../../sandbox/slack/types.ts";
import { type RecordedRequest, SEED } from "../../sandbox/tallyfy/server.ts";
import { ACTION } from "../../src/blocks/ids.ts";
import { launchNameBlock, PICKER_BLOCK } from "../../src/blocks/modals/launch-views.ts";
import { assertModalView } from "../support/block-limits.ts";
import { eventually, type Harness, startHarness } from "../support/harness.ts";

// biome-ignore lint/suspicious/noExplicitAny: views and bodies are inspected loosely.
type Json = any;

const ALICE = "U0ALICE";
const NOW = new Date("2026-11-22T09:30:00Z");
const T = SEED.templates;
const F = SEED.onboardingFields;
const ko = (fieldId: string) => `ko_${fieldId}`;

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ now: () => NOW });
});
afterAll(async () => {
  await h?.close();
});
beforeEach(() => {
  h.sandbox.reset();
  h.slack.reset();
  h.sandbox.latencyMs = 0;
});

const text = (v: FakeView | Json) => JSON.stringify((v.view ?? v).blocks);
const launches = () =>
  h.sandbox.requests.filter((r) => r.method === "POST" && r.path.endsWith("/runs"));

/** The modal Alice sees once `ready` holds for it. */
function aliceView(ready: (v: FakeView) => boolean, timeoutMs = 5_000): Promise<FakeView> {
  return eventually(() => {
    const v = h.slack.openView(ALICE);
    if (!v || !ready(v)) throw new Error(`view not ready: ${v ? text(v).slice(0, 300) : "none"}`);
    assertModalView(v);
    return v;
  }, timeoutMs);
}
const isForm = (v: FakeView) => v.view.submit?.text === "Launch";

async function openForm(words: string): Promise<FakeView> {
  await h.driver.command(`launch ${words}`);
  return aliceView(isForm);
}

function optionId(templateId: string, fieldId: string, optionText: string): string {
  const field = h.sandbox.state.templates
    .find((t) => t.id === templateId)
    ?.prerun.find((f) => f.id === fieldId);
  const option = field?.options.find((o) => o.text === optionText);
  if (!option) throw new Error(`no option ${optionText}`);
  return String(option.id);
}

/** Every kick-off field of Employee Onboarding a Slack form can take, filled in. */
function filledOnboarding(): Record<string, Record<string, Json>> {
  const opt = (field: string, t: string) => optionId(T.onboarding, field, t);
  return {
    [launchNameBlock(T.onboarding)]: { value: "Onboarding – Maria Lopez" },
    run_summary: { value: "Joins the payments team." },
    [ko(F.fullName)]: { value: "Maria Lopez" },
    [ko(F.notes)]: { value: "Standing desk.\nPronounced ma-REE-ah." },
    [ko(F.workLocation)]: { value: opt(F.workLocation, "Remote") },
    [ko(F.department)]: { value: opt(F.department, "Sales") },
    [ko(F.systems)]: { value: [opt(F.systems, "Email"), opt(F.systems, "VPN")] },
    [ko(F.startDate)]: { value: "2026-12-01" },
    [ko(F.personalEmail)]: { value: "maria@example.com" },
    [ko(F.buddy)]: { value: ["U0BOB"] },
    run_owner: { value: "U0CAROL" },
    run_tags: { [ACTION.tagSearch]: [SEED.tags.urgent, SEED.tags.onboarding] },
  };
}

describe("opening", () => {
  it("opens the modal before any Tallyfy request, even when Tallyfy is slow", async () => {
    h.sandbox.latencyMs = 1000;
    await h.driver.command("launch Employee Onboarding");
    const open = await h.slack.waitFor((c) => c.method === "views.open");
    expect(open.response.ok).toBe(true);
    expect(text(open.args.view)).toContain("Looking for templates");
    const view = await aliceView(isForm, 8_000);
    const first = h.sandbox.requests[0] as RecordedRequest;
    expect(first.at).toBeGreaterThanOrEqual(open.at);
    // the form replaced the loading view, guarded by the hash views.open returned
    const update = h.slack.callsTo("views.update").at(-1);
    expect(update?.args.hash).toBe(open.response.view.hash);
    expect(view.id).toBe(open.response.view.id);
  });

  it("never leaves the modal on its loading view when Slack refuses the form", async () => {
    h.slack.failNext("views.update", "invalid_arguments");
    await h.driver.command("launch Employee Onboarding");
    const view = await aliceView((v) => !text(v).includes("Looking for templates"));
    expect(text(view)).toContain("Slack wouldn't show the next step (invalid_arguments)");
    expect(view.view.submit).toBeNull();
  });

  it("with no words opens the picker without asking Tallyfy; the picker searches", async () => {
    await h.driver.command("launch");
    const picker = await aliceView((v) =>
      v.view.blocks.some((b: Json) => b.block_id === PICKER_BLOCK),
    );
    // Only the template index may be read meanwhile, in the background, after the picker opened.
    const open = h.slack.callsTo("views.open").at(-1);
    for (const r of h.sandbox.requests) {
      expect([r.method, r.path.endsWith("/checklists"), r.query.q]).toEqual([
        "GET",
        true,
        undefined,
      ]);
      expect(r.at).toBeGreaterThanOrEqual(open?.at ?? Infinity);
    }
    expect(picker.view.submit).toBeNull();

    const all = await h.driver.suggest(picker.id, ACTION.launchTemplate, PICKER_BLOCK, "");
    expect(all?.problem).toBeUndefined();
    const starred = new Set(h.sandbox.state.templates.filter((t) => t.starred).map((t) => t.id));
    const flags = (all?.options ?? []).map((o: Json) => starred.has(o.value));
    expect(flags[0]).toBe(true);
    expect(flags.indexOf(false)).toBeGreaterThan(flags.lastIndexOf(true) - 1);

    const some = await h.driver.suggest(picker.id, ACTION.launchTemplate, PICKER_BLOCK, "onboard");
    const titles = (some?.options ?? []).map((o: Json) => o.text.text);
    expect(titles).toEqual(expect.arrayContaining(["Employee Onboarding", "Client Onboarding"]));
    expect(titles).not.toContain("Bug Triage");

    await h.driver.selectOption({ viewId: picker.id }, ACTION.launchTemplate, T.onboarding);
    const form = await aliceView(isForm);
    const name = form.view.blocks.find((b: Json) => b.block_id === launchNameBlock(T.onboarding));
    expect(name.element.initial_value).toBe("Employee Onboarding – 22 Nov 2026");
    const channel = form.view.blocks.find((b: Json) => b.block_id === "run_channel");
    expect(channel.element.initial_conversation).toBe("C0OPS");
    const owner = form.view.blocks.find((b: Json) => b.block_id === "run_owner");
    expect(owner.element.initial_user).toBe(ALICE);
  });

  it("says when no template matches the words", async () => {
    await h.driver.command("launch zzz nothing like it");
    const view = await aliceView((v) => text(v).includes("No template matches"));
    expect(text(view)).toContain("No template matches “zzz nothing like it”");
    expect(view.view.submit).toBeNull();
  });

  it("lists several matches to choose from", async () => {
    await h.driver.command("launch onboarding");
    const view = await aliceView((v) => text(v).includes(ACTION.launchPickMatch));
    const values = view.view.blocks
      .filter((b: Json) => b.accessory?.action_id === ACTION.launchPickMatch)
      .map((b: Json) => b.accessory.value);
    expect(values).toEqual(expect.arrayContaining([T.onboarding, T.clientOnboarding]));
    await h.driver.clickButton({ viewId: view.id }, ACTION.launchPickMatch, {
      value: T.clientOnboarding,
    });
    const form = await aliceView(isForm);
    expect(text(form)).toContain("Client name");
  });

  it("won't offer a form for a template with a required file field", async () => {
    await h.driver.command("launch Vendor Contract Review");
    const view = await aliceView((v) => text(v).includes("Launch it in Tallyfy"));
    expect(view.view.submit).toBeNull();
    expect(text(view)).toContain("Contract document");
    const link = view.view.blocks.find((b: Json) => b.accessory?.url);
    expect(link.accessory.url).toBe(h.sandbox.webUrl);
  });

  it("says a template with 120 fields doesn't fit instead of dropping any", async () => {
    await h.driver.command("launch Annual Compliance Audit");
    const view = await aliceView((v) => text(v).includes("kick-off fields"));
    expect(text(view)).toContain("has 120 kick-off fields");
    expect(view.view.submit).toBeNull();
  });
});

describe("launching", () => {
  it("launches with every field type filled and exactly those values sent", async () => {
    const form = await openForm("Employee Onboarding");
    expect(text(form)).toContain("Signed contract");
    const res = await h.driver.submitView(form.id, filledOnboarding());
    expect(res.viewProblem).toBeUndefined();
    expect(res.body.response_action).toBe("update");
    expect(text(res.body.view)).toContain("Launched");

    const [post, ...more] = launches();
    expect(more).toEqual([]);
    const opt = (field: string, t: string) => Number(optionId(T.onboarding, field, t));
    expect(post?.body).toEqual({
      checklist_id: T.onboarding,
      name: "Onboarding – Maria Lopez",
      summary: "Joins the payments team.",
      owner_id: SEED.users.carol.id,
      prerun: {
        [F.fullName]: "Maria Lopez",
        [F.notes]: "Standing desk.\nPronounced ma-REE-ah.",
        [F.workLocation]: "Remote",
        [F.department]: { id: opt(F.department, "Sales"), text: "Sales" },
        [F.systems]: [
          { id: opt(F.systems, "Email"), text: "Email", selected: true },
          { id: opt(F.systems, "VPN"), text: "VPN", selected: true },
        ],
        [F.startDate]: "2026-12-01T00:00:00.000Z",
        [F.personalEmail]: "maria@example.com",
        [F.buddy]: { users: [SEED.users.bob.id], guests: [], groups: [] },
      },
      tags: [SEED.tags.urgent, SEED.tags.onboarding],
    });

    const run = [...h.sandbox.state.runs.values()].find(
      (r) => r.name === "Onboarding – Maria Lopez",
    );
    expect(run?.prerun[F.department]).toMatchObject({ text: "Sales" });
    const card = await h.slack.waitFor(
      (c) => c.method === "chat.postMessage" && c.args.channel === "C0OPS",
    );
    expect(text(card.args)).toContain("Onboarding – Maria Lopez");
    expect(text(card.args)).toContain(`Launched by <@${ALICE}>`);
    // the card is drawn from the launch's answer (one request in all), with tag titles, not ids
    expect(text(card.args)).toContain("Urgent, Onboarding");
    const runRequests = h.sandbox.requests.filter((r) => r.path.includes("/runs"));
    expect(runRequests.map((r) => r.method)).toEqual(["POST"]);
    const done = await aliceView((v) => text(v).includes("The status card is in"));
    expect(text(done)).toContain("<#C0OPS>");
  });

  it("checks required answers, email shape and people first: errors on the inputs, no launch", async () => {
    const form = await openForm("Employee Onboarding");
    const values = filledOnboarding();
    values[ko(F.fullName)] = { value: "   " };
    values[ko(F.department)] = { value: null };
    values[ko(F.personalEmail)] = { value: "not-an-email" };
    const res = await h.driver.submitView(form.id, values, { skipClientValidation: true });
    expect(res.body.response_action).toBe("errors");
    expect(Object.keys(res.body.errors).sort()).toEqual(
      [ko(F.department), ko(F.fullName), ko(F.personalEmail)].sort(),
    );
    expect(res.viewProblem).toBeUndefined();

    const people = filledOnboarding();
    people.run_owner = { value: "U0DAVE" };
    people[ko(F.buddy)] = { value: ["U0BOB", "U0DAVE"] };
    const again = await h.driver.submitView(form.id, people);
    expect(again.body.response_action).toBe("errors");
    expect(again.body.errors.run_owner).toContain("Dave Diaz (dave@acme.test)");
    expect(again.body.errors[ko(F.buddy)]).toContain("Dave Diaz");
    expect(again.body.errors[ko(F.buddy)]).not.toContain("Bob");
    expect(launches()).toEqual([]);
  });

  it("puts Tallyfy's 422 on the field it names, and the form can be sent again", async () => {
    const form = await openForm("Employee Onboarding");
    h.sandbox.fault({
      method: "POST",
      path: /\/runs$/,
      status: 422,
      body: { error: true, message: "Personal email is required" },
    });
    const res = await h.driver.submitView(form.id, filledOnboarding());
    expect(res.body).toEqual({
      response_action: "errors",
      errors: { [ko(F.personalEmail)]: "Personal email is required" },
    });
    expect(res.viewProblem).toBeUndefined();

    h.sandbox.fault({
      method: "POST",
      path: /\/runs$/,
      status: 422,
      body: { error: true, errors: { name: ["The name has already been taken."] } },
    });
    const named = await h.driver.submitView(form.id, filledOnboarding());
    expect(named.body.errors).toEqual({
      [launchNameBlock(T.onboarding)]: "The name has already been taken.",
    });

    const ok = await h.driver.submitView(form.id, filledOnboarding());
    expect(ok.body.response_action).toBe("update");
    expect(launches()).toHaveLength(3);
  });

  it("shows a general 422 above the form, keeping every value typed", async () => {
    const form = await openForm("Employee Onboarding");
    h.sandbox.fault({
      method: "POST",
      path: /\/runs$/,
      status: 422,
      body: { error: true, message: "Invalid dropdown choice selected." },
    });
    const res = await h.driver.submitView(form.id, filledOnboarding());
    expect(res.body.response_action).toBe("update");
    const view = h.slack.openView(ALICE) as FakeView;
    expect(text(view)).toContain("Invalid dropdown choice selected.");
    const block = (id: string) => view.view.blocks.find((b: Json) => b.block_id === id);
    expect(block(launchNameBlock(T.onboarding)).element.initial_value).toBe(
      "Onboarding – Maria Lopez",
    );
    expect(block(ko(F.notes)).element.initial_value).toBe("Standing desk.\nPronounced ma-REE-ah.");
    expect(block(ko(F.buddy)).element.initial_users).toEqual(["U0BOB"]);
    expect(block("run_owner").element.initial_user).toBe("U0CAROL");
  });

  it("when Tallyfy is slower than the ack window: Launching…, then the result", async () => {
    const form = await openForm("Employee Onboarding");
    h.sandbox.latencyMs = 2500;
    const res = await h.driver.submitView(form.id, filledOnboarding());
    expect(res.late).toBe(false);
    expect(res.body.response_action).toBe("update");
    expect(text(res.body.view)).toContain("Launching");
    const done = await aliceView((v) => text(v).includes("The status card is in"), 15_000);
    expect(text(done)).toContain("Onboarding – Maria Lopez");
    expect(launches()).toHaveLength(1);
  });

  it("when Tallyfy is slow and then refuses, the form comes back with the values", async () => {
    const form = await openForm("Employee Onboarding");
    h.sandbox.latencyMs = 2500;
    h.sandbox.fault({
      method: "POST",
      path: /\/runs$/,
      status: 422,
      body: { error: true, message: "Personal email is required" },
    });
    const res = await h.driver.submitView(form.id, filledOnboarding());
    expect(text(res.body.view)).toContain("Launching");
    const back = await aliceView(isForm, 15_000);
    expect(text(back)).toContain("Personal email is required");
    const name = back.view.blocks.find((b: Json) => b.block_id === launchNameBlock(T.onboarding));
    expect(name.element.initial_value).toBe("Onboarding – Maria Lopez");
  });

  it("a double submit launches once and posts one card", async () => {
    const form = await openForm("Employee Onboarding");
    h.sandbox.latencyMs = 600;
    const values = filledOnboarding();
    const [a, b] = await Promise.all([
      h.driver.submitView(form.id, values),
      h.driver.submitView(form.id, values),
    ]);
    expect([a.status, b.status]).toEqual([200, 200]);
    await aliceView((v) => text(v).includes("The status card is in"), 10_000);
    expect(launches()).toHaveLength(1);
    expect(h.slack.callsTo("chat.postMessage")).toHaveLength(1);
  });

  it("answers a 150-option dropdown through an external select", async () => {
    const template = h.sandbox.state.templates.find((t) => t.id === T.countryAccess);
    const country = template?.prerun.find((f) => f.label === "Country");
    if (!country) throw new Error("no Country field");
    expect(country.options.length).toBe(150);
    const form = await openForm("Country Access Request");
    const block = form.view.blocks.find((b: Json) => b.block_id === ko(country.id));
    expect(block.element.type).toBe("external_select");

    const first = await h.driver.suggest(form.id, "value", ko(country.id), "");
    expect(first?.problem).toBeUndefined();
    expect(first?.options).toHaveLength(100);
    const ger = await h.driver.suggest(form.id, "value", ko(country.id), "germ");
    const germany: Json = ger?.options?.find((o: Json) => o.text.text === "Germany");
    expect(germany).toBeDefined();

    await h.driver.selectOption({ viewId: form.id }, "value", germany.value, {
      blockId: ko(country.id),
    });
    const res = await h.driver.submitView(form.id);
    expect(res.body.response_action).toBe("update");
    const [post] = launches();
    expect((post?.body as Json)?.prerun).toEqual({
      [country.id]: { id: Number(germany.value), text: "Germany" },
    });
  });

  it("suggests Tallyfy's tags by title", async () => {
    const form = await openForm("Employee Onboarding");
    const all = await h.driver.suggest(form.id, ACTION.tagSearch, "run_tags", "");
    expect(all?.problem).toBeUndefined();
    const urgent = all?.options?.find((o: Json) => o.value === SEED.tags.urgent);
    expect(urgent?.text.text).toBe("Urgent");
    const some = await h.driver.suggest(form.id, ACTION.tagSearch, "run_tags", "fin");
    expect(some?.options?.map((o: Json) => o.text.text)).toEqual(["Finance"]);
  });

  it("joins a public channel it is not in to post the card", async () => {
    const form = await openForm("Employee Onboarding");
    const values = { ...filledOnboarding(), run_channel: { value: "C0GENERAL" } };
    await h.driver.submitView(form.id, values);
    const post = await h.slack.waitFor(
      (c) => c.method === "chat.postMessage" && c.args.channel === "C0GENERAL" && c.response.ok,
    );
    expect(text(post.args)).toContain("Maria Lopez");
    expect(h.slack.callsTo("conversations.join").map((c) => c.args.channel)).toEqual(["C0GENERAL"]);
    await aliceView((v) => text(v).includes("The status card is in <#C0GENERAL>"));
  });

  it("posts the card through the response_url where the bot can't post or join", async () => {
    const form = await openForm("Employee Onboarding");
    const values = { ...filledOnboarding(), run_channel: { value: "C0LEADERS" } };
    const res = await h.driver.submitView(form.id, values);
    expect(res.body.response_action).toBe("update");
    const posted = await h.slack.waitForResponse((r) => text(r.body).includes("Maria Lopez"));
    expect(posted.body.response_type).toBe("in_channel");
    expect(posted.status).toBe(200);
    await aliceView((v) => text(v).includes("The status card is in <#C0LEADERS>"));
  });
});

describe("a launch that may have gone through", () => {
  const NAME = "Onboarding – Maria Lopez";
  const created = () => [...h.sandbox.state.runs.values()].filter((r) => r.name === NAME);
  const checks = () =>
    h.sandbox.requests.filter((r) => r.method === "GET" && r.path.endsWith("/runs"));

  /** First Launch: Tallyfy answers with `fault`; the form comes back saying so, values kept. */
  async function uncertainLaunch(fault: { afterApply?: boolean; drop?: boolean; status?: number }) {
    const form = await openForm("Employee Onboarding");
    h.sandbox.fault({ method: "POST", path: /\/runs$/, ...fault });
    const res = await h.driver.submitView(form.id, filledOnboarding());
    expect(res.body.response_action).toBe("update");
    const back = await aliceView(isForm);
    const name = back.view.blocks.find((b: Json) => b.block_id === launchNameBlock(T.onboarding));
    expect(name.element.initial_value).toBe(NAME);
    expect(launches()).toHaveLength(1);
    return { back, said: text(back) };
  }
  const saysMayHaveLaunched = (said: string) => {
    expect(said).toContain("Tallyfy may have launched this");
    expect(said).toContain("I'll check first");
  };

  for (const [what, fault] of [
    ["the connection was reset", { afterApply: true, drop: true }],
    ["Tallyfy answered 504", { afterApply: true, status: 504 }],
  ] as const) {
    it(`launched, but ${what}: Launch again shows that process and launches nothing`, async () => {
      const { back, said } = await uncertainLaunch(fault);
      expect(created()).toHaveLength(1);

      const again = await h.driver.submitView(back.id);
      expect(again.body.response_action).toBe("update");
      await aliceView((v) => text(v).includes("The status card is in"));
      expect(launches()).toHaveLength(1);
      expect(created()).toHaveLength(1);
      const [check] = checks();
      expect(check?.query).toMatchObject({
        checklist_id: T.onboarding,
        q: NAME,
        sort: "-created_at",
      });
      const cards = h.slack.callsTo("chat.postMessage");
      expect(cards).toHaveLength(1);
      expect(text(cards[0]?.args)).toContain(created()[0]?.id);
      saysMayHaveLaunched(said);
    });
  }

  it("not launched after all: Launch again checks, then launches once", async () => {
    const { back, said } = await uncertainLaunch({ drop: true });
    saysMayHaveLaunched(said);
    expect(created()).toEqual([]);
    const again = await h.driver.submitView(back.id);
    expect(again.body.response_action).toBe("update");
    await aliceView((v) => text(v).includes("The status card is in"));
    expect(checks()).toHaveLength(1);
    expect(launches()).toHaveLength(2);
    expect(created()).toHaveLength(1);
  });
});
