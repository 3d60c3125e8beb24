/**
 * Measure 2: `/tallyfy launch <template>` -> views.open, timed from sending the command to the
 * fake Slack recording views.open, at several sandbox latencies.
 * Measure 3: block_suggestion answers of the launch modal's template picker, cold and warm,
 * beside the baseline's (which answers an empty list at once).
 */
import { createSeedState, SEED } from "../sandbox/tallyfy/seed.ts";
import { ACTION } from "../src/blocks/ids.ts";
import { PICKER_BLOCK } from "../src/blocks/modals/launch-views.ts";
import type { BenchContext } from "./context.ts";
import { commandBody, sign, suggestionBody, type Target } from "./load.ts";
import { type Latency, latency } from "./stats.ts";

export interface OpenTiming {
  latencyMs: number;
  /** Command sent -> views.open recorded, per sample. */
  openMs: number[];
  /** Command sent -> the modal's next views.update (form or matches) recorded. */
  filledMs: number[];
  ackMs: number[];
  failures: string[];
}

/** Live Acme templates other than Employee Onboarding (measure 4 warms that one). */
function templateTitles(): string[] {
  return createSeedState()
    .templates.filter(
      (t) => t.orgId === SEED.orgId && !t.archived_at && t.id !== SEED.templates.onboarding,
    )
    .map((t) => t.title);
}

export async function measureViewsOpen(
  ctx: BenchContext,
  latencies: number[],
  samplesEach: number,
): Promise<OpenTiming[]> {
  const titles = templateTitles();
  const pool = ctx.bot.pool(1);
  const out: OpenTiming[] = [];
  let t = 0;
  try {
    for (const latencyMs of latencies) {
      await ctx.control.setLatency(latencyMs);
      const timing: OpenTiming = { latencyMs, openMs: [], filledMs: [], ackMs: [], failures: [] };
      out.push(timing);
      for (let i = 0; i < samplesEach; i++) {
        // A template not searched before, so its Tallyfy reads really wait `latencyMs`.
        const title = titles[t++ % titles.length]!;
        const [minted] = await ctx.control.mint(1, { triggers: true });
        const m = await ctx.control.marks();
        const req = sign(
          ctx.bot.secret,
          commandBody(ctx.who, `launch ${title}`, minted!.responseUrl, minted!.triggerId!),
        );
        const sentAt = Date.now();
        const ack = await ctx.bot.send(pool, req);
        timing.ackMs.push(ack.ms);
        const open = await ctx.control.waitCall({
          from: m.calls,
          method: "views.open",
          triggerId: minted!.triggerId!,
          timeoutMs: 5_000,
        });
        if (!open?.ok) {
          timing.failures.push(`${title}: views.open ${open ? open.error : "never called"}`);
          continue;
        }
        timing.openMs.push(open.at - sentAt);
        const filled = await ctx.control.waitCall({
          from: open.index,
          method: "views.update",
          viewId: open.viewId!,
          timeoutMs: 2 * latencyMs + 10_000,
        });
        if (filled?.ok) timing.filledMs.push(filled.at - sentAt);
        else timing.failures.push(`${title}: the modal was never filled`);
      }
    }
  } finally {
    await ctx.control.setLatency(0);
  }
  return out;
}

export interface SuggestTiming {
  /** First answer for each query (a Tallyfy search behind it). */
  cold: Latency;
  /** Repeats of the same queries (answered from cache). */
  warm: Latency;
  baseline: Latency;
  /** Options in the bot's first answer for each query. */
  optionCounts: Record<string, number>;
  errors: number;
}

const QUERIES = ["", "onb", "req", "rev", "tri"];

async function timeSuggestions(
  target: Target,
  bodies: string[],
): Promise<{ ms: number[]; options: number[]; errors: number }> {
  const pool = target.pool(1);
  const ms: number[] = [];
  const options: number[] = [];
  let errors = 0;
  for (const body of bodies) {
    const req = sign(target.secret, body);
    const started = performance.now();
    try {
      const res = await pool.request({
        path: "/slack/events",
        method: "POST",
        headers: req.headers,
        body: req.body,
      });
      const text = await res.body.text();
      ms.push(performance.now() - started);
      if (res.statusCode !== 200) errors++;
      const parsed = text ? (JSON.parse(text) as { options?: unknown[] }) : {};
      options.push(parsed.options?.length ?? -1);
    } catch {
      errors++;
    }
  }
  return { ms, options, errors };
}

export async function measureSuggestions(
  ctx: BenchContext,
  warmRepeats: number,
): Promise<SuggestTiming> {
  const m = await ctx.control.marks();
  const opened = await ctx.control.command("launch");
  if (opened.status !== 200) throw new Error(`/tallyfy launch acked ${opened.status}`);
  const open = await ctx.control.waitCall({ from: m.calls, method: "views.open", ok: true });
  if (!open) throw new Error("/tallyfy launch never opened the picker");
  const view = await ctx.control.openView();
  if (!view?.view.blocks?.some((b: { block_id?: string }) => b.block_id === PICKER_BLOCK))
    throw new Error("the launch modal has no template picker");
  const body = (q: string) => suggestionBody(ctx.who, view, ACTION.launchTemplate, PICKER_BLOCK, q);

  const cold = await timeSuggestions(ctx.bot, QUERIES.map(body));
  const warmBodies = Array.from({ length: warmRepeats }, () => QUERIES.map(body)).flat();
  const warm = await timeSuggestions(ctx.bot, warmBodies);
  const base = await timeSuggestions(ctx.baseline, warmBodies);
  return {
    cold: latency(cold.ms),
    warm: latency(warm.ms),
    baseline: latency(base.ms),
    optionCounts: Object.fromEntries(QUERIES.map((q, i) => [q || "(empty)", cold.options[i]!])),
    errors:
      cold.errors +
      warm.errors +
      base.errors +
      [...cold.options, ...warm.options].filter((n) => n < 0).length,
  };
}
