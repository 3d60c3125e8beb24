/**
 * Measure 1, command to card: N `/tallyfy show` of N distinct runs sent at once, each timed from
 * its send to the fake Slack recording its card (chat.postMessage naming the run). The bot, the
 * naive bot and the naive bot's twin (the same code in another process: its difference from the
 * naive bot is the noise) take turns, round by round, the order turning every round; the bare
 * Bolt baseline takes its turn too, for the ack.
 */
import { type BenchContext, pollFor, sleep } from "./context.ts";
import { closedLoop, commandBody, type SignedRequest, sign, type Target } from "./load.ts";
import { cpuMsOf } from "./procs.ts";
import type { SeededRun } from "./protocol.ts";
import { type Latency, latency } from "./stats.ts";

export interface CardLevel {
  inFlight: number;
  rounds: number;
  /** Command to card, per target (the baseline posts no card: acks only). */
  card: Record<"bot" | "naive" | "twin", Latency>;
  ack: Record<"bot" | "naive" | "twin" | "baseline", Latency>;
  /** Commands whose card never came (or failed), per target. */
  missing: Record<"bot" | "naive" | "twin", number>;
  /** Command sent -> its Tallyfy read reaching the sandbox. */
  toRead: Record<"bot" | "naive", Latency>;
  /** That read reaching the sandbox (then 100 ms there) -> the card reaching Slack. */
  afterRead: Record<"bot" | "naive", Latency>;
  ackErrors: Record<"bot" | "naive" | "twin" | "baseline", number>;
  /**
   * The app's CPU time (user + system, from /proc) per command, from the first command sent to
   * the round settled (its after-work included); undefined where it can't be read.
   */
  cpuMs: Record<"bot" | "naive" | "twin" | "baseline", number | undefined>;
}

export interface CardPlan {
  levels: { inFlight: number; rounds: number }[];
}

type Who = "bot" | "naive" | "twin" | "baseline";

/** Keep-alive connections to `target` open again before a timed round (see refresh in README). */
async function refreshConnections(ctx: BenchContext, target: Target, n: number) {
  const help = Array.from({ length: n }, (_, i) =>
    sign(
      target.secret,
      commandBody(ctx.who, "help", `${target.origin}/unused/${i}`, `warm.${Date.now()}.${i}`),
    ),
  );
  await closedLoop(target, help, n);
}

/** One round: `runs.length` commands at once; returns per-command ack and card times. */
async function round(
  ctx: BenchContext,
  target: Target,
  who: Who,
  runs: SeededRun[],
  prefix: string,
): Promise<{
  acks: number[];
  ackErrors: number;
  cards: number[];
  missing: number;
  toRead: number[];
  afterRead: number[];
  cpuMs: number | undefined;
}> {
  const n = runs.length;
  const minted = await ctx.control.mint(n);
  const requests: SignedRequest[] = runs.map((run, i) =>
    sign(
      target.secret,
      commandBody(ctx.who, `show ${run.id}`, minted[i]!.responseUrl, `card.${Date.now()}.${i}`),
    ),
  );
  await refreshConnections(ctx, target, n);
  const marks = await ctx.control.marks();
  const pool = target.pool(n);
  const cpuFrom = cpuMsOf(target.pid);
  const sentAt = new Map<string, number>();
  const samples = await Promise.all(
    requests.map((req, i) => {
      sentAt.set(runs[i]!.key, Date.now());
      return target.send(pool, req);
    }),
  );
  const acks = samples.map((s) => s.ms);
  const ackErrors = samples.filter((s) => s.status !== 200 || s.ms > 3000).length;
  // Let the app's own after-work (card records, logs) settle before the next turn.
  const settled = async () => {
    await sleep(Math.min(500, 20 + n * 2));
    const cpuTo = cpuMsOf(target.pid);
    return cpuFrom === undefined || cpuTo === undefined ? undefined : (cpuTo - cpuFrom) / n;
  };
  if (who === "baseline") {
    const cpuMs = await settled();
    return { acks, ackErrors, cards: [], missing: 0, toRead: [], afterRead: [], cpuMs };
  }
  let seen = await ctx.control.cards(marks.calls, prefix);
  await pollFor(async () => {
    seen = await ctx.control.cards(marks.calls, prefix);
    return seen.filter((c) => c.ok).length >= n ? true : undefined;
  }, 30_000);
  // Where the time went: command -> its Tallyfy read arriving, and that read -> the card.
  const readAt = new Map<string, number>();
  for (const r of await ctx.control.tallyfyRequests(marks.tallyfy)) {
    const id = /\/runs\/([0-9a-f]{32})$/.exec(r.path)?.[1];
    if (id && r.method === "GET" && !readAt.has(id)) readAt.set(id, r.at);
  }
  const keyToId = new Map(runs.map((r) => [r.key, r.id]));
  const cards: number[] = [];
  const toRead: number[] = [];
  const afterRead: number[] = [];
  for (const c of seen) {
    const from = sentAt.get(c.key);
    if (c.ok && from !== undefined) {
      cards.push(c.at - from);
      const read = readAt.get(keyToId.get(c.key) ?? "");
      if (read !== undefined) {
        toRead.push(read - from);
        afterRead.push(c.at - read);
      }
      sentAt.delete(c.key);
    }
  }
  const missing = sentAt.size;
  return { acks, ackErrors, cards, missing, toRead, afterRead, cpuMs: await settled() };
}

export async function measureCards(
  ctx: BenchContext,
  targets: Record<Who, Target>,
  plan: CardPlan,
): Promise<CardLevel[]> {
  await ctx.control.setLatency(100);
  const most = Math.max(...plan.levels.map((l) => l.inFlight));
  const prefix = "BC";
  const runs = await ctx.control.seedRuns(most, prefix);
  const order: Who[] = ["bot", "naive", "twin", "baseline"];
  const out: CardLevel[] = [];
  try {
    for (const level of plan.levels) {
      const acks: Record<Who, number[]> = { bot: [], naive: [], twin: [], baseline: [] };
      const cards: Record<Who, number[]> = { bot: [], naive: [], twin: [], baseline: [] };
      const missing: Record<Who, number> = { bot: 0, naive: 0, twin: 0, baseline: 0 };
      const ackErrors: Record<Who, number> = { bot: 0, naive: 0, twin: 0, baseline: 0 };
      const toRead: Record<Who, number[]> = { bot: [], naive: [], twin: [], baseline: [] };
      const afterRead: Record<Who, number[]> = { bot: [], naive: [], twin: [], baseline: [] };
      const cpu: Record<Who, number[]> = { bot: [], naive: [], twin: [], baseline: [] };
      for (let r = 0; r < level.rounds; r++) {
        // The order turns every round, so drift (CPU heat, GC, the services' own state) hits all.
        const turn = order.map((_, i) => order[(i + r) % order.length]!);
        for (const who of turn) {
          const result = await round(ctx, targets[who], who, runs.slice(0, level.inFlight), prefix);
          acks[who].push(...result.acks);
          toRead[who].push(...result.toRead);
          afterRead[who].push(...result.afterRead);
          cards[who].push(...result.cards);
          missing[who] += result.missing;
          ackErrors[who] += result.ackErrors;
          if (result.cpuMs !== undefined) cpu[who].push(result.cpuMs);
        }
      }
      out.push({
        inFlight: level.inFlight,
        rounds: level.rounds,
        card: { bot: latency(cards.bot), naive: latency(cards.naive), twin: latency(cards.twin) },
        ack: {
          bot: latency(acks.bot),
          naive: latency(acks.naive),
          twin: latency(acks.twin),
          baseline: latency(acks.baseline),
        },
        missing: { bot: missing.bot, naive: missing.naive, twin: missing.twin },
        toRead: { bot: latency(toRead.bot), naive: latency(toRead.naive) },
        afterRead: { bot: latency(afterRead.bot), naive: latency(afterRead.naive) },
        ackErrors,
        cpuMs: {
          bot: mean(cpu.bot),
          naive: mean(cpu.naive),
          twin: mean(cpu.twin),
          baseline: mean(cpu.baseline),
        },
      });
      const l = out.at(-1)!;
      ctx.log(
        `  ${level.inFlight} in flight: card p50/p99 bot ${fmt(l.card.bot)}, naive ${fmt(l.card.naive)}, twin ${fmt(l.card.twin)}; to read bot ${fmt(l.toRead.bot)} naive ${fmt(l.toRead.naive)}; after read bot ${fmt(l.afterRead.bot)} naive ${fmt(l.afterRead.naive)}; CPU per command bot ${cpuFmt(l.cpuMs.bot)}, naive ${cpuFmt(l.cpuMs.naive)}, twin ${cpuFmt(l.cpuMs.twin)}, bare Bolt ${cpuFmt(l.cpuMs.baseline)}`,
      );
    }
  } finally {
    await ctx.control.setLatency(0);
  }
  return out;
}

const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : undefined);
const cpuFmt = (ms: number | undefined) => (ms === undefined ? "–" : `${ms.toFixed(2)} ms`);
const fmt = (l: Latency) => `${l.p50.toFixed(0)}/${l.p99.toFixed(0)} ms`;
