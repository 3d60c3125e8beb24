/**
 * The flows issue 17 found broken with several instances, as tests over a Cluster. Each step
 * names the instance it goes to (`c.a` or `c.b`); with one instance both are the same process,
 * so the same flows check the one-instance (SQLite) deployment too.
 */
import { expect, it } from "vitest";
import { signSlackRequest } from "../../sandbox/slack/driver.ts";
import type { FakeMessage, FakeView } from "../../sandbox/slack/types.ts";
import { SEED } from "../../sandbox/tallyfy/server.ts";
import { CONNECT } from "../../src/blocks/accounts.ts";
import { ACTION, VIEW } from "../../src/blocks/ids.ts";
import { launchNameBlock } from "../../src/blocks/modals/launch-views.ts";
import { eventually, SIGNING_SECRET } from "./harness.ts";
import { type Cluster, logged, type RoundRobinDriver } from "./instances.ts";

// biome-ignore lint/suspicious/noExplicitAny: views are inspected loosely.
type Json = any;

const ALICE = "U0ALICE";
const BOB = "U0BOB";
const CAROL = "U0CAROL";
const DAVE = "U0DAVE";
const U = SEED.users;
const LABS = SEED.secondOrg.id;
const RUN = SEED.runs.active;
const OPS = "C0OPS";
const GENERAL = "C0GENERAL";
const WAIT = 15_000;
const LAUNCH_NAME = "Onboarding – two instances";

const text = (v: unknown) => JSON.stringify(v);
/** Room for work the bot does after its ack, before checking that something did NOT happen. */
const settle = () => new Promise((r) => setTimeout(r, 700));

export async function resetCluster(c: Cluster): Promise<void> {
  c.sandbox.reset();
  c.slack.reset();
  for (const user of [ALICE, BOB, CAROL, DAVE]) {
    await c.store.delete(c.slack.teamId, user);
    await c.store.takePending("command", `${c.slack.teamId}:${user}`);
    await c.store.takePending("connect-token", `${c.slack.teamId}:${user}`);
  }
}

/** The modal open for `user` once `ready` holds. */
function openView(c: Cluster, user: string, ready: (v: FakeView) => boolean): Promise<FakeView> {
  return eventually(() => {
    const v = c.slack.openView(user);
    if (!v || !ready(v))
      throw new Error(`view not ready: ${v ? text(v.view).slice(0, 300) : "none"}`);
    return v;
  }, WAIT);
}

const isConnect = (v: FakeView) => v.view.callback_id === VIEW.connect;

async function openConnect(c: Cluster, d: RoundRobinDriver, user: string): Promise<FakeView> {
  const before = c.slack.openView(user)?.id;
  await d.command("connect", { user, channel: channelOf(user) });
  return openView(c, user, (v) => isConnect(v) && v.id !== before);
}

const submitToken = (d: RoundRobinDriver, viewId: string, token: string) =>
  d.submitView(viewId, { [CONNECT.tokenBlock]: { [CONNECT.tokenAction]: token } });
const submitOrg = (d: RoundRobinDriver, viewId: string, org: string) =>
  d.submitView(viewId, { [CONNECT.orgBlock]: { [CONNECT.orgAction]: org } });

async function connectOn(c: Cluster, d: RoundRobinDriver, user: string, token: string) {
  const view = await openConnect(c, d, user);
  const res = await submitToken(d, view.id, token);
  expect(res.viewProblem).toBeUndefined();
  await eventually(async () =>
    expect((await c.store.get(c.slack.teamId, user))?.status).toBe("ok"),
  );
  return res;
}

/** Dave is not in #ops; everyone else works there. */
const channelOf = (user: string) => (user === DAVE ? GENERAL : OPS);

function ephemerals(c: Cluster, user: string): FakeMessage[] {
  return c.slack.messages(channelOf(user)).filter((m) => m.ephemeralTo === user);
}
function nextEphemeral(
  c: Cluster,
  user: string,
  pred: (m: FakeMessage) => boolean,
  after = 0,
): Promise<FakeMessage> {
  return eventually(() => {
    const found = ephemerals(c, user).slice(after).find(pred);
    if (!found) throw new Error(`no matching ephemeral for ${user}`);
    return found;
  }, WAIT);
}
const hasAction = (id: string) => (m: FakeMessage) =>
  text(m.blocks).includes(`"action_id":"${id}"`);

/** Tallyfy requests from `from` on, as "METHOD path token". */
const tallyfyCalls = (c: Cluster, from = 0) =>
  c.sandbox.requests.slice(from).map((r) => ({ method: r.method, path: r.path, token: r.token }));
const archives = (c: Cluster, from = 0) =>
  tallyfyCalls(c, from).filter((r) => r.method === "DELETE" && r.path.endsWith(`/runs/${RUN}`));
const launches = (c: Cluster) =>
  c.sandbox.requests.filter((r) => r.method === "POST" && r.path.endsWith("/runs"));
/** Cards posted for this suite's launches (not, say, a card a stale replay redrew). */
const cards = (c: Cluster) =>
  c.slack
    .callsTo("chat.postMessage")
    .filter((x) => x.response.ok && text(x.args).includes(LAUNCH_NAME));

/** A saved connection Tallyfy has since rejected: the person is asked to (re)connect. */
async function invalidConnection(c: Cluster, user: string, token: string): Promise<void> {
  await c.store.put({
    teamId: c.slack.teamId,
    userId: user,
    token,
    orgId: SEED.orgId,
    orgName: "Acme Operations",
    tallyfyUserId: null,
    tallyfyEmail: null,
    tallyfyName: null,
  });
  await c.store.markInvalid(c.slack.teamId, user, token);
}

/** A command typed before connecting: answered with a Connect prompt that keeps it. */
async function typedBeforeConnecting(
  c: Cluster,
  d: RoundRobinDriver,
  user: string,
  command: string,
): Promise<FakeMessage> {
  const n = ephemerals(c, user).length;
  await d.command(command, { user, channel: channelOf(user) });
  return nextEphemeral(c, user, hasAction(ACTION.connect), n);
}

export function onboardingValues(c: Cluster): Record<string, Record<string, Json>> {
  const tpl = c.sandbox.state.templates.find((t) => t.id === SEED.templates.onboarding);
  const option = (fieldId: string, label: string) =>
    String(tpl?.prerun.find((f) => f.id === fieldId)?.options.find((o) => o.text === label)?.id);
  const F = SEED.onboardingFields;
  const ko = (id: string) => `ko_${id}`;
  return {
    [launchNameBlock(SEED.templates.onboarding)]: { value: LAUNCH_NAME },
    [ko(F.fullName)]: { value: "Maria Lopez" },
    [ko(F.workLocation)]: { value: option(F.workLocation, "Remote") },
    [ko(F.department)]: { value: option(F.department, "Sales") },
    [ko(F.startDate)]: { value: "2026-12-01" },
    [ko(F.personalEmail)]: { value: "maria@example.com" },
  };
}

async function openLaunchForm(c: Cluster, d: RoundRobinDriver): Promise<FakeView> {
  await d.command("launch Employee Onboarding", { user: ALICE });
  return openView(c, ALICE, (v) => v.view.submit?.text === "Launch");
}

/** Registers every flow as a test. */
export function instanceFlows(get: () => Cluster): void {
  it("org picker: the token step on A, the organization step on B connects", async () => {
    const c = get();
    const view = await openConnect(c, c.a, ALICE);
    const step1 = await submitToken(c.a, view.id, U.admin.token);
    expect(text(step1.body?.view)).toContain("Acme Labs");
    const done = await submitOrg(c.b, view.id, LABS);
    expect(done.viewProblem).toBeUndefined();
    expect(text(done.body?.view)).not.toContain("took too long");
    expect(text(done.body?.view)).toContain("Acme Labs");
    expect(await c.store.get(c.slack.teamId, ALICE)).toMatchObject({
      orgId: LABS,
      token: U.admin.token,
    });
  });

  it("org picker: /tallyfy disconnect on B while A holds the picker stops A connecting", async () => {
    const c = get();
    const view = await openConnect(c, c.a, ALICE);
    await submitToken(c.a, view.id, U.admin.token);
    const n = ephemerals(c, ALICE).length;
    await c.b.command("disconnect", { user: ALICE });
    await nextEphemeral(c, ALICE, () => true, n);
    const late = await submitOrg(c.a, view.id, LABS);
    expect(late.viewProblem).toBeUndefined();
    expect(text(late.body?.view)).not.toContain("Acme Labs");
    expect(await c.store.get(c.slack.teamId, ALICE)).toBeUndefined();
  });

  it("a command typed before connecting on A is carried out when the connect lands on B", async () => {
    const c = get();
    await invalidConnection(c, BOB, U.bob.token);
    const prompt = await typedBeforeConnecting(c, c.a, BOB, "list");
    const n = ephemerals(c, BOB).length;
    await c.a.clickButton({ ephemeral: prompt }, ACTION.connect, { user: BOB });
    const view = await openView(c, BOB, isConnect);
    const from = c.sandbox.requests.length;
    const res = await submitToken(c.b, view.id, U.bob.token);
    expect(text(res.body?.view)).toContain("/tallyfy list");
    await nextEphemeral(c, BOB, hasAction(ACTION.view), n);
    const lists = tallyfyCalls(c, from).filter((r) => r.path.endsWith("/runs"));
    expect(lists.length).toBeGreaterThan(0);
    expect(new Set(lists.map((r) => r.token))).toEqual(new Set([U.bob.token]));
  });

  it("a waiting /tallyfy archive runs once, when the connect lands on B, not on a later reconnect on A", async () => {
    const c = get();
    await invalidConnection(c, CAROL, U.carol.token);
    await typedBeforeConnecting(c, c.a, CAROL, `archive ${RUN}`);
    const res = await connectOn(c, c.b, CAROL, U.carol.token);
    expect(text(res.body?.view)).toContain(`/tallyfy archive ${RUN}`);
    await eventually(() => expect(archives(c)).toHaveLength(1), WAIT);
    expect(archives(c)[0]?.token).toBe(U.carol.token);

    // Later: disconnect, and connect again on A. Nothing is left to replay.
    await c.b.command("disconnect", { user: CAROL });
    await eventually(async () => expect(await c.store.get(c.slack.teamId, CAROL)).toBeUndefined());
    const again = await connectOn(c, c.a, CAROL, U.carol.token);
    expect(text(again.body?.view)).not.toContain("/tallyfy archive");
    await settle();
    expect(archives(c)).toHaveLength(1);
  });

  it("/tallyfy disconnect on B drops a command waiting from A: connecting later replays nothing", async () => {
    const c = get();
    await invalidConnection(c, DAVE, U.bob.token);
    await typedBeforeConnecting(c, c.a, DAVE, `archive ${RUN}`);
    await c.b.command("disconnect", { user: DAVE, channel: GENERAL });
    await eventually(async () => expect(await c.store.get(c.slack.teamId, DAVE)).toBeUndefined());
    const res = await connectOn(c, c.a, DAVE, U.bob.token);
    expect(text(res.body?.view)).not.toContain("/tallyfy archive");
    await settle();
    expect(archives(c)).toHaveLength(0);
  });

  it("a Launch double-clicked to A and B launches one process and posts one card", async () => {
    const c = get();
    const form = await openLaunchForm(c, c.a);
    const values = onboardingValues(c);
    const [x, y] = await Promise.all([
      c.a.submitView(form.id, values),
      c.b.submitView(form.id, values),
    ]);
    expect([x.status, y.status]).toEqual([200, 200]);
    expect(launches(c)).toHaveLength(1);
    await eventually(() => expect(cards(c)).toHaveLength(1), WAIT);
    await openView(c, ALICE, (v) => text(v.view).includes("Launched"));
    await settle();
    expect(launches(c)).toHaveLength(1);
    expect(cards(c)).toHaveLength(1);
  });

  it("a Launch double-clicked on the slow path: both show Launching…, one process, one card", async () => {
    const c = get();
    const form = await openLaunchForm(c, c.a);
    const values = onboardingValues(c);
    c.sandbox.latencyMs = 2600;
    const [x, y] = await Promise.all([
      c.a.submitView(form.id, values),
      c.b.submitView(form.id, values),
    ]);
    expect(text(x.body?.view)).toContain("Launching");
    expect(text(y.body?.view)).toContain("Launching");
    // The first submission shows Launched, then Launched with the card; the repeat shows
    // Launched too: three views.update in all.
    await eventually(() => {
      const launched = c.slack
        .callsTo("views.update")
        .filter((u) => text(u.args.view).includes("Launched"));
      expect(launched.length).toBeGreaterThanOrEqual(3);
      expect(cards(c).length).toBeGreaterThanOrEqual(1);
    }, 30_000);
    c.sandbox.latencyMs = 0;
    expect(launches(c)).toHaveLength(1);
    expect(cards(c)).toHaveLength(1);
  });

  it("a Save double-clicked to A and B sends one update to Tallyfy", async () => {
    const c = get();
    await c.a.command(`edit ${RUN}`, { user: ALICE });
    const form = await openView(c, ALICE, (v) => v.view.submit?.text === "Save");
    const [x, y] = await Promise.all([
      c.a.submitView(form.id, { run_name: { value: "Renamed on two instances" } }),
      c.b.submitView(form.id, { run_name: { value: "Renamed on two instances" } }),
    ]);
    expect([x.status, y.status]).toEqual([200, 200]);
    await c.slack.waitFor(
      (call) => call.method === "chat.postMessage" || call.method === "chat.update",
    );
    const puts = c.sandbox.requests.filter(
      (r) => r.method === "PUT" && r.path.endsWith(`/runs/${RUN}`),
    );
    expect(puts).toHaveLength(1);
  });

  it("connected on A: B acts with the person's own token; disconnecting on B deletes it everywhere", async () => {
    const c = get();
    await connectOn(c, c.a, BOB, U.bob.token);
    const from = c.sandbox.requests.length;
    await c.b.command("list", { user: BOB });
    await nextEphemeral(c, BOB, hasAction(ACTION.view));
    const onB = tallyfyCalls(c, from);
    expect(onB.length).toBeGreaterThan(0);
    expect(new Set(onB.map((r) => r.token))).toEqual(new Set([U.bob.token]));

    const n = ephemerals(c, BOB).length;
    await c.b.command("disconnect", { user: BOB });
    await nextEphemeral(c, BOB, (m) => text(m).includes("Disconnected"), n);
    expect(await c.store.get(c.slack.teamId, BOB)).toBeUndefined();
    const after = c.sandbox.requests.length;
    await c.a.command("list", { user: BOB });
    await nextEphemeral(c, BOB, hasAction(ACTION.view), n + 1);
    expect(new Set(tallyfyCalls(c, after).map((r) => r.token))).toEqual(new Set([c.sandbox.token]));
  });

  it("a 401 on A marks the connection invalid, and B asks to reconnect too (never the workspace token)", async () => {
    const c = get();
    await connectOn(c, c.b, BOB, U.bob.token);
    c.sandbox.fault({ path: /\/runs/, status: 401, times: Infinity });
    await c.a.command(`show ${RUN}`, { user: BOB });
    const prompt = await nextEphemeral(c, BOB, hasAction(ACTION.connect));
    expect(text(prompt.blocks)).toContain("Reconnect");
    expect((await c.store.get(c.slack.teamId, BOB))?.status).toBe("invalid");
    c.sandbox.clearFaults();
    const quiet = c.sandbox.requests.length;
    const n = ephemerals(c, BOB).length;
    await c.b.command("list", { user: BOB });
    const again = await nextEphemeral(c, BOB, hasAction(ACTION.connect), n);
    expect(text(again.blocks)).toContain("Reconnect");
    expect(c.sandbox.requests.length).toBe(quiet);
  });

  it("an event Slack retries to the other instance is handled once; a replayed request is refused", async () => {
    const c = get();
    const event = JSON.stringify({
      token: "x",
      team_id: c.slack.teamId,
      api_app_id: "A0TALLYFY",
      type: "event_callback",
      event_id: `Ev${Date.now()}`,
      event_time: Math.floor(Date.now() / 1000),
      event: { type: "app_home_opened", user: ALICE, channel: "D0ALICE", tab: "home" },
    });
    const now = Math.floor(Date.now() / 1000);
    expect((await c.a.signedPost(event, "application/json", { timestamp: now })).status).toBe(200);
    // Slack's retry: the same event with a later timestamp (so another signature), to B.
    const retry = { timestamp: now + 1 };
    expect((await c.b.signedPost(event, "application/json", retry)).status).toBe(200);
    // Bolt answers an event before its middleware runs, so either delivery may be the one
    // dropped: one of them is, on whichever instance.
    const dropped = () => c.instances.flatMap((i) => logged(i, "dropped an event already handled"));
    await eventually(() => expect(dropped()).toHaveLength(1));
    await settle();
    expect(dropped()).toHaveLength(1);

    // The very same signed bytes again (a replay), to the other instance: refused.
    const body = new URLSearchParams({
      payload: JSON.stringify({ type: "interactive_message" }),
    }).toString();
    const timestamp = Math.floor(Date.now() / 1000);
    const signature = signSlackRequest(SIGNING_SECRET, timestamp, body);
    const ct = "application/x-www-form-urlencoded";
    expect((await c.a.signedPost(body, ct, { timestamp, signature })).status).toBe(200);
    expect((await c.b.signedPost(body, ct, { timestamp, signature })).status).toBe(401);
  });

  it("requests alternating A, B, A, B… through a whole connect-and-launch session", async () => {
    const c = get();
    const start = c.rr.sentTo.length;
    await invalidConnection(c, ALICE, U.admin.token);
    await typedBeforeConnecting(c, c.rr, ALICE, "launch Employee Onboarding");
    const view = await openConnect(c, c.rr, ALICE);
    await submitToken(c.rr, view.id, U.admin.token);
    const connected = await submitOrg(c.rr, view.id, SEED.orgId);
    expect(text(connected.body?.view)).toContain("/tallyfy launch Employee Onboarding");
    // The waiting launch opens its form in the connect window.
    const form = await openView(c, ALICE, (v) => v.view.submit?.text === "Launch");
    const values = onboardingValues(c);
    await Promise.all([c.rr.submitView(form.id, values), c.rr.submitView(form.id, values)]);
    await eventually(() => expect(cards(c)).toHaveLength(1), WAIT);
    await settle();
    expect(launches(c)).toHaveLength(1);
    expect(cards(c)).toHaveLength(1);
    const sent = c.rr.sentTo.slice(start);
    if (c.instances.length === 2) {
      expect(sent).toEqual(sent.map((_, i) => (i % 2 === 0 ? sent[0] : sent[1])));
      expect(new Set(sent).size).toBe(2);
    }
  });
}
