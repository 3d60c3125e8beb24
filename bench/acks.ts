/**
 * Measure 1: ack latency of `/tallyfy list` and `/tallyfy show <id>` at fixed concurrency, bot
 * beside baseline. Measure 6: the highest rate at which `/tallyfy show`'s p99 ack stays under
 * 1 s (open loop, stepped up, bounded). After every bot phase the follow-up work (Tallyfy read,
 * card post, list reply) is drained and its errors counted.
 */
import { SEED } from "../sandbox/tallyfy/seed.ts";
import { type BenchContext, drain, type FollowUp, type Outcome, sleep } from "./context.ts";
import {
  closedLoop,
  commandBody,
  openLoop,
  type SignedRequest,
  sign,
  type Target,
} from "./load.ts";
import { ackErrors, type Latency, latency, type Sample } from "./stats.ts";

export const COMMANDS: { name: string; text: string; outcome: Outcome }[] = [
  { name: "list", text: "list", outcome: "list" },
  { name: "show", text: `show ${SEED.runs.active}`, outcome: "card" },
];

export interface AckPhase {
  command: string;
  concurrency: number;
  bot: Latency;
  baseline: Latency;
  botAckErrors: Record<string, number>;
  baselineAckErrors: Record<string, number>;
  followUp: FollowUp;
  /** Requests per second the bot acked during the phase. */
  botRate: number;
}

async function signedCommands(
  ctx: BenchContext,
  target: Target,
  text: string,
  n: number,
): Promise<SignedRequest[]> {
  // The baseline never answers through its response_urls; it needs no real ones.
  const minted =
    target === ctx.bot
      ? await ctx.control.mint(n)
      : Array.from({ length: n }, (_, i) => ({ responseUrl: `${ctx.bot.origin}/unused/${i}` }));
  return minted.map((m, i) =>
    sign(target.secret, commandBody(ctx.who, text, m.responseUrl, `bench.${Date.now()}.${i}`)),
  );
}

/**
 * Untimed `/tallyfy help` (answered inside the ack by the bot, acked by the baseline: no work
 * after it) at the round's concurrency, just before it: every keep-alive connection of the pool
 * is open again. An idle connection is closed (by the baseline's Node after 5 s, by the
 * runner's pool after 10 s), and the other target's round plus a drain can take that long;
 * without this, a round could open with up to `concurrency` new TCP connections and its p99
 * would time connection set-up, not the ack.
 */
async function refreshConnections(ctx: BenchContext, target: Target, concurrency: number) {
  const help = Array.from({ length: 2 * concurrency }, (_, i) =>
    sign(
      target.secret,
      commandBody(ctx.who, "help", `${target.origin}/unused/${i}`, `warm.${Date.now()}.${i}`),
    ),
  );
  await closedLoop(target, help, concurrency);
}

async function run(
  ctx: BenchContext,
  target: Target,
  text: string,
  n: number,
  concurrency: number,
): Promise<{ samples: Sample[]; seconds: number }> {
  const requests = await signedCommands(ctx, target, text, n);
  await refreshConnections(ctx, target, concurrency);
  const started = performance.now();
  const samples = await closedLoop(target, requests, concurrency);
  return { samples, seconds: (performance.now() - started) / 1000 };
}

export async function measureAcks(
  ctx: BenchContext,
  levels: { concurrency: number; requests: number }[],
  warmup: number,
): Promise<AckPhase[]> {
  const phases: AckPhase[] = [];
  for (const { concurrency, requests } of levels) {
    for (const cmd of COMMANDS) {
      if (ctx.remainingMs() < 30_000) {
        ctx.log(`  skipped ${cmd.name} at ${concurrency}: out of time`);
        continue;
      }
      // Warm-up at the phase's own concurrency: JIT, caches and every keep-alive connection of
      // the pool are ready, so the figures are steady state for bot and baseline alike.
      const warm = Math.max(warmup, 2 * concurrency);
      for (const target of [ctx.baseline, ctx.bot]) {
        const m = await ctx.control.marks();
        await run(ctx, target, cmd.text, warm, concurrency);
        if (target === ctx.bot) await drain(ctx, m, cmd.outcome, warm);
      }
      // Four rounds, the order turning each time (baseline-bot, bot-baseline, ...), so a drift
      // during the phase (other processes, thermal) lands on both alike instead of on whichever
      // target always runs second.
      const baseSamples: Sample[] = [];
      const botSamples: Sample[] = [];
      const followUps: FollowUp[] = [];
      let botSeconds = 0;
      for (const [i, size] of splitRounds(requests, ROUNDS).entries()) {
        const order = i % 2 === 0 ? [ctx.baseline, ctx.bot] : [ctx.bot, ctx.baseline];
        for (const target of order) {
          if (target === ctx.baseline) {
            baseSamples.push(...(await run(ctx, target, cmd.text, size, concurrency)).samples);
            continue;
          }
          const m = await ctx.control.marks();
          const bot = await run(ctx, target, cmd.text, size, concurrency);
          botSamples.push(...bot.samples);
          botSeconds += bot.seconds;
          followUps.push(await drain(ctx, m, cmd.outcome, size));
        }
      }
      const followUp = mergeFollowUps(followUps);
      phases.push({
        command: cmd.name,
        concurrency,
        bot: latency(botSamples.map((s) => s.ms)),
        baseline: latency(baseSamples.map((s) => s.ms)),
        botAckErrors: ackErrors(botSamples).kinds,
        baselineAckErrors: ackErrors(baseSamples).kinds,
        followUp,
        botRate: requests / botSeconds,
      });
      ctx.log(
        `  ${cmd.name} c=${concurrency}: bot p99 ${phases.at(-1)!.bot.p99.toFixed(1)} ms, baseline p99 ${phases.at(-1)!.baseline.p99.toFixed(1)} ms, follow-up ${followUp.done}/${followUp.expected} in ${followUp.drainMs} ms, ${followUp.errors} errors`,
      );
    }
  }
  return phases;
}

/** Timed rounds per target and phase. */
export const ROUNDS = 4;

/** `total` requests in `rounds` rounds as even as can be (the first ones take the remainder). */
export function splitRounds(total: number, rounds: number): number[] {
  const base = Math.floor(total / rounds);
  return Array.from({ length: rounds }, (_, i) => base + (i < total % rounds ? 1 : 0)).filter(
    (n) => n > 0,
  );
}

function mergeFollowUps(parts: FollowUp[]): FollowUp {
  return {
    done: parts.reduce((n, p) => n + p.done, 0),
    expected: parts.reduce((n, p) => n + p.expected, 0),
    errors: parts.reduce((n, p) => n + p.errors, 0),
    details: parts.flatMap((p) => p.details),
    drainMs: Math.max(...parts.map((p) => p.drainMs)),
    botLogProblems: parts.reduce((n, p) => n + p.botLogProblems, 0),
  };
}

export interface RateStep {
  rate: number;
  requests: number;
  ack: Latency;
  ackErrors: number;
  ackErrorKinds: Record<string, number>;
  /** Only for the bot: its follow-up work for the step. */
  followUp?: FollowUp | undefined;
  pass: boolean;
}

export interface RateResult {
  steps: RateStep[];
  /** Highest rate whose p99 ack stayed under the limit with no ack errors. */
  best: number | undefined;
  /** Why stepping stopped. */
  stopped: string;
}

export async function measureMaxRate(
  ctx: BenchContext,
  target: Target,
  rates: number[],
  secondsEach: number,
  p99LimitMs = 1000,
): Promise<RateResult> {
  const cmd = COMMANDS.find((c) => c.name === "show")!;
  const steps: RateStep[] = [];
  let best: number | undefined;
  let stopped = `reached the top step (${rates.at(-1)}/s)`;
  for (const rate of rates) {
    const n = Math.round(rate * secondsEach);
    if (ctx.remainingMs() < 15_000 + secondsEach * 1000) {
      stopped = `out of time before ${rate}/s`;
      break;
    }
    const requests = await signedCommands(ctx, target, cmd.text, n);
    const m = await ctx.control.marks();
    const samples = await openLoop(target, requests, rate);
    const { count: errors, kinds } = ackErrors(samples);
    const ack = latency(samples.map((s) => s.ms));
    const followUp =
      target === ctx.bot
        ? await drain(ctx, m, cmd.outcome, n, { stallMs: 10_000, maxMs: 45_000 })
        : undefined;
    const pass = ack.p99 < p99LimitMs && errors === 0;
    steps.push({ rate, requests: n, ack, ackErrors: errors, ackErrorKinds: kinds, followUp, pass });
    ctx.log(
      `  ${target.name} ${rate}/s: p99 ${ack.p99.toFixed(1)} ms, ${errors} ack errors${followUp ? `, follow-up drained in ${followUp.drainMs} ms with ${followUp.errors} errors` : ""}`,
    );
    if (!pass) {
      stopped = `p99 ${Math.round(ack.p99)} ms${errors ? `, ${errors} ack errors` : ""} at ${rate}/s`;
      break;
    }
    best = rate;
    if (followUp && followUp.done + followUp.errors < followUp.expected) {
      stopped = `follow-up work did not finish after ${rate}/s`;
      break;
    }
    await sleep(300);
  }
  return { steps, best, stopped };
}
