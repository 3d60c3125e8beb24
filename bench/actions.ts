/**
 * Measure 4: Tallyfy requests per user action, counted by the sandbox. The whole sequence runs
 * twice on a fresh bot: the first pass shows cold counts (empty caches), the second warm ones.
 * Clicks and submissions are played by SlackDriver inside the services process (where the fake
 * Slack's messages and views live); request counts do not depend on who sends them.
 */
import { createSeedState, SEED } from "../sandbox/tallyfy/seed.ts";
import { ACTION } from "../src/blocks/ids.ts";
import { launchNameBlock } from "../src/blocks/modals/launch-views.ts";
import { type BenchContext, pollFor, sleep } from "./context.ts";
import type { Json } from "./protocol.ts";

export const ACTIONS = [
  "show",
  "list page",
  "refresh",
  "archive",
  "activate",
  "edit open",
  "edit submit",
  "launch submit",
] as const;
export type ActionName = (typeof ACTIONS)[number];

/** The targets of the issue (list page has none). */
export const ACTION_TARGETS: Partial<Record<ActionName, number>> = {
  show: 1,
  activate: 1,
  archive: 1,
  refresh: 1,
  "launch submit": 1,
  "edit open": 1,
  "edit submit": 2,
};

export interface Counted {
  count: number;
  /** e.g. "GET /organizations/:org/runs/:id" */
  requests: string[];
  /** Slack Web API calls and response_url posts in the same window, e.g. { "chat.update": 1 }. */
  slack: Record<string, number>;
}

export interface ActionCounts {
  cold: Partial<Record<ActionName, Counted>>;
  warm: Partial<Record<ActionName, Counted>>;
  /** Actions that could not be played, and why. */
  failures: Partial<Record<ActionName, string>>;
}

const RUN = SEED.runs.active;
const T = SEED.templates.onboarding;
const F = SEED.onboardingFields;

const NAME_LISTS = /^\/organizations\/:org\/(users|tags)$/;

export function normalisePath(path: string): string {
  return path.replaceAll(SEED.orgId, ":org").replace(/\b[0-9a-f]{32}\b/g, ":id");
}

/** Count the Tallyfy requests made from now until `act` is done and the sandbox is quiet. */
async function counted(ctx: BenchContext, act: () => Promise<void>): Promise<Counted> {
  const before = await ctx.control.marks();
  await act();
  // Quiet: no new Tallyfy request for 300 ms.
  let seen = -1;
  let quietSince = Date.now();
  for (;;) {
    const now = (await ctx.control.marks()).tallyfy;
    if (now !== seen) {
      seen = now;
      quietSince = Date.now();
    } else if (Date.now() - quietSince >= 300) break;
    await sleep(50);
  }
  const all = await ctx.control.tallyfyRequests(before.tallyfy);
  // The people and tag lists are read at most once a minute per connection, behind the answer
  // (a name past its minute is answered from the old list): not the action's own requests.
  const reqs = all.filter((r) => !NAME_LISTS.test(normalisePath(r.path)) || r.method !== "GET");
  const slack: Record<string, number> = {};
  for (const call of await ctx.control.calls(before.calls)) {
    slack[call.method] = (slack[call.method] ?? 0) + 1;
  }
  const posts = (await ctx.control.marks()).responses - before.responses;
  if (posts > 0) slack.response_url = posts;
  return {
    count: reqs.length,
    requests: reqs.map((r) => `${r.method} ${normalisePath(r.path)}`),
    slack,
  };
}

async function must<T>(what: string, value: Promise<T | undefined>): Promise<T> {
  const v = await value;
  if (v === undefined) throw new Error(`${what}: not seen in time`);
  return v;
}

function optionId(fieldId: string, text: string): string {
  const field = createSeedState()
    .templates.find((t) => t.id === T)
    ?.prerun.find((f) => f.id === fieldId);
  const option = field?.options.find((o) => o.text === text);
  if (!option) throw new Error(`seed: no option ${text}`);
  return String(option.id);
}

/** Every kick-off field of Employee Onboarding a Slack form can take, filled in. */
function filledOnboarding(name: string): Record<string, Record<string, unknown>> {
  const ko = (id: string) => `ko_${id}`;
  return {
    [launchNameBlock(T)]: { value: name },
    run_summary: { value: "Joins the payments team." },
    [ko(F.fullName)]: { value: "Maria Lopez" },
    [ko(F.notes)]: { value: "Standing desk." },
    [ko(F.workLocation)]: { value: optionId(F.workLocation, "Remote") },
    [ko(F.department)]: { value: optionId(F.department, "Sales") },
    [ko(F.systems)]: { value: [optionId(F.systems, "Email"), optionId(F.systems, "VPN")] },
    [ko(F.startDate)]: { value: "2026-12-01" },
    [ko(F.personalEmail)]: { value: "maria@example.com" },
    [ko(F.buddy)]: { value: ["U0BOB"] },
    run_owner: { value: "U0CAROL" },
    run_tags: { [ACTION.tagSearch]: [SEED.tags.urgent, SEED.tags.onboarding] },
  };
}

/** One pass of every action on a fresh card. */
async function pass(
  ctx: BenchContext,
  label: string,
  out: Partial<Record<ActionName, Counted>>,
  failures: ActionCounts["failures"],
): Promise<void> {
  const c = ctx.control;
  const step = async (name: ActionName, act: () => Promise<void>) => {
    if (failures[name]) return;
    try {
      out[name] = await counted(ctx, act);
    } catch (e) {
      failures[name] = (e as Error).message;
    }
  };
  const afterCall = async (method: string, act: () => Promise<unknown>, submit?: string) => {
    const m = await c.marks();
    await act();
    return must(
      method,
      c.waitCall({
        from: m.calls,
        method,
        ok: true,
        timeoutMs: 10_000,
        ...(submit ? { submit } : {}),
      }),
    );
  };

  let card: { channel: string; ts: string } | undefined;
  await step("show", async () => {
    const post = await afterCall("chat.postMessage", () => c.command(`show ${RUN}`));
    card = { channel: post.channel!, ts: post.ts! };
  });
  if (!card) throw new Error(`show did not post a card: ${failures.show}`);
  const cardAt = card;

  await step("list page", async () => {
    const m = await c.marks();
    await c.command("list");
    await must(
      "list reply",
      pollFor(async () => {
        const s = await c.summary(m);
        return s.responses.ok + s.responses.notices > 0 ? true : undefined;
      }, 10_000),
    );
  });
  for (const [name, actionId] of [
    ["refresh", ACTION.refresh],
    ["archive", ACTION.archive],
    ["activate", ACTION.activate],
  ] as const) {
    await step(name, async () => {
      await afterCall("chat.update", () => c.click(cardAt, actionId));
    });
  }

  let editView: string | undefined;
  await step("edit open", async () => {
    const form = await afterCall("views.update", () => c.click(cardAt, ACTION.update), "Save");
    editView = form.viewId;
  });
  if (editView) {
    const viewId = editView;
    await step("edit submit", async () => {
      await afterCall("chat.update", async () => {
        const r = await c.submit(viewId, { run_name: { value: `Onboarding – ${label}` } });
        if (r.problem) throw new Error(`edit submit: ${r.problem}`);
      });
    });
  } else failures["edit submit"] ??= "the edit form never opened";

  // Opening the launch form is not counted; submitting it is.
  let launchView: string | undefined;
  try {
    const form = await afterCall(
      "views.update",
      () => c.command("launch Employee Onboarding"),
      "Launch",
    );
    launchView = form.viewId;
  } catch (e) {
    failures["launch submit"] = `the launch form never opened: ${(e as Error).message}`;
  }
  if (launchView) {
    const viewId = launchView;
    await step("launch submit", async () => {
      await afterCall("chat.postMessage", async () => {
        const r = await c.submit(viewId, filledOnboarding(`Onboarding – ${label}`));
        if (r.problem) throw new Error(`launch submit: ${r.problem}`);
        const body = r.body as Json | undefined;
        if (body?.response_action === "errors")
          throw new Error(`launch refused: ${JSON.stringify(body.errors)}`);
      });
    });
  }
}

export async function measureActions(ctx: BenchContext): Promise<ActionCounts> {
  const result: ActionCounts = { cold: {}, warm: {}, failures: {} };
  await pass(ctx, "bench cold", result.cold, result.failures);
  await pass(ctx, "bench warm", result.warm, result.failures);
  return result;
}
