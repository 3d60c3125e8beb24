/**
 * Measure 4, launch modal filled: `/tallyfy launch <exact title>` timed from sending the command
 * to the fake Slack recording the views.update that fills the modal, with the sandbox answering
 * in 1000 ms. Against one sandbox round trip, timed from this process in the same run.
 *
 * The first launch after start-up knows no templates (a search, then the template: two round
 * trips; reported, not targeted); it leaves the bot's template index warm, and every later
 * sample launches a template never read before, so its kick-off form really waits 1000 ms.
 */
import { request } from "undici";
import { createSeedState, SEED } from "../sandbox/tallyfy/seed.ts";
import { type BenchContext, sleep } from "./context.ts";
import { commandBody, sign } from "./load.ts";

export interface LaunchTiming {
  latencyMs: number;
  /** One GET of a template from here to the sandbox. */
  roundTripMs: number;
  /** The first launch after start-up, template index cold. */
  coldMs: number | undefined;
  /** Command sent -> modal filled, template index warm, a new template each. */
  filledMs: number[];
  failures: string[];
}

/** Live Acme templates other than Employee Onboarding (measure 7 launches that one). */
function templates(): { id: string; title: string }[] {
  return createSeedState().templates.filter(
    (t) => t.orgId === SEED.orgId && !t.archived_at && t.id !== SEED.templates.onboarding,
  );
}

async function roundTrip(url: string, token: string): Promise<number> {
  const started = performance.now();
  const res = await request(url, { headers: { authorization: `Bearer ${token}` } });
  await res.body.text();
  return performance.now() - started;
}

/** One launch: ms from send to the modal filled, or why not. */
async function launchOnce(
  ctx: BenchContext,
  title: string,
  timeoutMs: number,
): Promise<{ ms: number } | { why: string }> {
  const [minted] = await ctx.control.mint(1, { triggers: true });
  const m = await ctx.control.marks();
  const req = sign(
    ctx.bot.secret,
    commandBody(ctx.who, `launch ${title}`, minted!.responseUrl, minted!.triggerId!),
  );
  const sentAt = Date.now();
  await ctx.bot.send(ctx.bot.pool(1), req);
  const open = await ctx.control.waitCall({
    from: m.calls,
    method: "views.open",
    triggerId: minted!.triggerId!,
    timeoutMs: 5_000,
  });
  if (!open?.ok) return { why: `${title}: views.open ${open ? open.error : "never called"}` };
  const filled = await ctx.control.waitCall({
    from: open.index,
    method: "views.update",
    viewId: open.viewId!,
    timeoutMs,
  });
  // The form, or what stands for it (a template Slack cannot show says so in the modal).
  if (!filled?.ok) return { why: `${title}: the modal was never filled` };
  return { ms: filled.at - sentAt };
}

export async function measureLaunch(
  ctx: BenchContext,
  tallyfy: { url: string; orgId: string; token: string },
  samples: number,
  latencyMs = 1000,
): Promise<LaunchTiming> {
  const all = templates();
  const [first, ...rest] = all;
  if (!first) throw new Error("no templates in the seed");
  await ctx.control.setLatency(latencyMs);
  const timing: LaunchTiming = {
    latencyMs,
    roundTripMs: Number.NaN,
    coldMs: undefined,
    filledMs: [],
    failures: [],
  };
  try {
    const trips: number[] = [];
    for (const t of rest.slice(-2)) {
      trips.push(
        await roundTrip(
          `${tallyfy.url}/organizations/${tallyfy.orgId}/checklists/${t.id}`,
          tallyfy.token,
        ),
      );
    }
    timing.roundTripMs = Math.min(...trips);
    const cold = await launchOnce(ctx, first.title, 3 * latencyMs + 5_000);
    if ("ms" in cold) timing.coldMs = cold.ms;
    else timing.failures.push(cold.why);
    // The index the cold launch asked for arrives one round trip later.
    await sleep(latencyMs + 500);
    for (const t of rest.slice(0, Math.min(samples, rest.length - 2))) {
      const warm = await launchOnce(ctx, t.title, 3 * latencyMs + 5_000);
      if ("ms" in warm) timing.filledMs.push(warm.ms);
      else timing.failures.push(warm.why);
    }
  } finally {
    await ctx.control.setLatency(0);
  }
  return timing;
}
