/** The report: every measure beside its references with PASS/FAIL, printed and kept in RESULTS.md. */
import { ACTION_TARGETS, ACTIONS, type ActionCounts } from "./actions.ts";
import type { CardLevel } from "./cards.ts";
import type { Coalesced } from "./coalesce.ts";
import type { LaunchTiming } from "./launch.ts";
import type { Paced } from "./pacing.ts";
import { fmtMs, type Latency, latency, ratio } from "./stats.ts";
import type { Storm } from "./storm.ts";

export type Measured<T> = { ok: true; value: T } | { ok: false; why: string };

export interface BenchResults {
  env: {
    date: string;
    node: string;
    cpus: number;
    cpuModel: string;
    bolt: string;
    commit: string;
    botNodeOptions: string;
    botCommand: string;
    /** Which process ran on which CPU. */
    placement: string;
    seconds: number;
  };
  cards: Measured<CardLevel[]>;
  coalesced: Measured<Coalesced>;
  pacing: Measured<Paced>;
  launch: Measured<LaunchTiming>;
  storm: Measured<Storm>;
  actions: Measured<ActionCounts>;
  memory: { botHwmMb: number; pacedBotHwmMb: number; baselineHwmMb: number; naiveHwmMb: number };
  botLog: { warn: number; error: number; samples: string[] };
}

type Verdict = "PASS" | "FAIL" | "NOT MEASURED";
export interface TargetRow {
  measure: string;
  bot: string;
  reference: string;
  target: string;
  verdict: Verdict;
}

const row = (cells: string[]) => `| ${cells.join(" | ")} |`;
const mb = (n: number) => (Number.isFinite(n) && n > 0 ? `${n.toFixed(1)} MB` : "–");
const ms = (n: number) => `${fmtMs(n)} ms`;
const pct = (n: number) => `${(100 * n).toFixed(1)}%`;
const verdict = (ok: boolean): Verdict => (ok ? "PASS" : "FAIL");

/** How far the naive bot's twin lands from the naive bot: |twin / naive − 1|. */
export const noiseOf = (naive: number, twin: number) => Math.abs(twin / naive - 1);

/** Every target of the issue, in its order, with the figures it was judged on. */
export function targetRows(r: BenchResults): TargetRow[] {
  const rows: TargetRow[] = [];
  const add = (measure: string, bot: string, reference: string, target: string, v: Verdict) =>
    rows.push({ measure, bot, reference, target, verdict: v });
  const absent = (measure: string, target: string, why: string) =>
    add(measure, `not measured: ${why}`, "–", target, "NOT MEASURED");

  // 1. Command to card.
  if (!r.cards.ok) absent("1. Command → card", "see below", r.cards.why);
  else {
    for (const l of r.cards.value) {
      const missing = l.missing.bot;
      if (l.inFlight === 1) {
        add(
          "1. Command → card p50, 1 in flight",
          ms(l.card.bot.p50),
          `naive ${ms(l.card.naive.p50)}`,
          "≤ naive + 15 ms, no card missing",
          verdict(l.card.bot.p50 <= l.card.naive.p50 + 15 && missing === 0),
        );
        continue;
      }
      const noise = noiseOf(l.card.naive.p99, l.card.twin.p99);
      add(
        `1. Command → card p99, ${l.inFlight} in flight`,
        ms(l.card.bot.p99),
        `naive ${ms(l.card.naive.p99)} (twin ${ms(l.card.twin.p99)}: noise ${pct(noise)})`,
        "< naive by more than the noise, no card missing",
        verdict(l.card.bot.p99 < l.card.naive.p99 * (1 - noise) && missing === 0),
      );
    }
    const top = r.cards.value.find((l) => l.inFlight === 200);
    if (!top) absent("1. Ack p99, 200 in flight", "≤ 1.5x bare Bolt", "level not run");
    else
      add(
        "1. Ack p99, 200 in flight",
        ms(top.ack.bot.p99),
        `bare Bolt ${ms(top.ack.baseline.p99)} (${ratio(top.ack.bot.p99, top.ack.baseline.p99)})`,
        "≤ 1.5x bare Bolt, no ack error",
        verdict(top.ack.bot.p99 <= 1.5 * top.ack.baseline.p99 && top.ackErrors.bot === 0),
      );
  }

  // 2. One read for many clicks.
  if (!r.coalesced.ok) absent("2. Reads for many clicks", "≤ 2", r.coalesced.why);
  else {
    const c = r.coalesced.value;
    add(
      `2. Run reads for ${c.shows.sent} shows of one run`,
      `${c.shows.reads} (${c.shows.cards} cards)`,
      `naive: ${c.shows.sent}`,
      "≤ 2, every card posted",
      verdict(c.shows.reads <= 2 && c.shows.cards === c.shows.sent),
    );
    add(
      `2. Run reads for ${c.refreshes.sent} Refresh clicks on one card`,
      `${c.refreshes.reads} (${c.refreshes.acked} acked, ${c.refreshes.redraws} redraws)`,
      `naive: ${c.refreshes.sent}`,
      "≤ 2, every click acked",
      verdict(c.refreshes.reads <= 2 && c.refreshes.acked === c.refreshes.sent),
    );
  }

  // 3. Rate limit.
  if (!r.pacing.ok) absent("3. Rate limit", "see below", r.pacing.why);
  else {
    const p = r.pacing.value;
    add(
      `3. ${p.people} shows at 100 requests/min: cards, errors`,
      `${p.cards}/${p.people} cards, ${p.errors} errors (last at ${p.lastCardS.toFixed(1)} s)`,
      "–",
      "every card, no error",
      verdict(p.cards === p.people && p.errors === 0),
    );
    add(
      "3. Waited > 5 s: note first, then replaced",
      `${p.waitedOver5s} waited; ${p.notedFirst} noted first; ${p.notesDeleted}/${p.notes} notes replaced`,
      "–",
      "all noted first, every note replaced",
      verdict(p.notedFirst === p.waitedOver5s && p.notesDeleted === p.notes),
    );
    const share = p.requests ? p.throttled / p.requests : 0;
    add(
      "3. 429s among the bot's Tallyfy requests",
      `${p.throttled}/${p.requests} (${pct(share)})`,
      "–",
      "≤ 5%",
      verdict(share <= 0.05),
    );
  }

  // 4. Launch modal.
  if (!r.launch.ok) absent("4. Launch modal filled", "≤ 1.2x one round trip", r.launch.why);
  else {
    const t = r.launch.value;
    const worst = t.filledMs.length ? Math.max(...t.filledMs) : Number.NaN;
    add(
      `4. Launch modal filled (worst of ${t.filledMs.length}), Tallyfy at ${t.latencyMs} ms`,
      ms(worst),
      `one round trip ${ms(t.roundTripMs)} (${ratio(worst, t.roundTripMs)})`,
      "≤ 1.2x one round trip",
      t.filledMs.length === 0
        ? "NOT MEASURED"
        : verdict(worst <= 1.2 * t.roundTripMs && t.failures.length === 0),
    );
  }

  // 5. Webhook storm.
  if (!r.storm.ok) absent("5. Webhook storm", "≤ 2 reads, ≤ 2 updates per card", r.storm.why);
  else {
    const s = r.storm.value;
    const most = Math.max(...s.updates);
    add(
      `5. ${s.events} webhooks in 1 s for one run, ${s.cards} cards`,
      `${s.reads} reads, chat.update per card ≤ ${most} (least ${Math.min(...s.updates)})`,
      "–",
      "≤ 2 reads, ≤ 2 updates per card, ≥ 1 redraw each",
      verdict(s.reads <= 2 && most <= 2 && Math.min(...s.updates) >= 1 && s.cards === 10),
    );
  }

  // 6. Memory.
  const peak = Math.max(r.memory.botHwmMb, r.memory.pacedBotHwmMb);
  add(
    "6. Peak RSS",
    mb(peak),
    `bare Bolt ${mb(r.memory.baselineHwmMb)} (${ratio(peak, r.memory.baselineHwmMb)})`,
    "≤ 1.5x bare Bolt",
    verdict(peak > 0 && peak <= 1.5 * r.memory.baselineHwmMb),
  );

  // 7. Requests per action.
  for (const action of ACTIONS) {
    const limit = ACTION_TARGETS[action];
    if (limit === undefined) continue;
    const target = action === "edit submit" ? `≤ ${limit}` : `${limit}`;
    const what = `7. Tallyfy requests per ${action}`;
    if (!r.actions.ok) {
      absent(what, target, r.actions.why);
      continue;
    }
    const c = r.actions.value.warm[action];
    if (!c) absent(what, target, r.actions.value.failures[action] ?? "not played");
    else
      add(
        what,
        String(c.count),
        "–",
        target,
        verdict(action === "edit submit" ? c.count <= limit : c.count === limit),
      );
  }
  return rows;
}

const lat = (l: Latency) => `${fmtMs(l.p50)} / ${fmtMs(l.p99)}`;

function cardsSection(levels: CardLevel[]): string[] {
  return [
    "## 1. Command to card",
    "",
    'N `/tallyfy show` of N distinct runs sent at once; each timed from its send to the fake Slack recording its card. Tallyfy sandbox latency 100 ms. Rounds alternate bot, naive, twin (the naive bot\'s code in another process) and bare Bolt, the order turning every round. p50 / p99 in ms. "To read": from the command to its Tallyfy read reaching the sandbox; "after read": from there (100 ms in the sandbox included) to the card reaching Slack. "CPU per command": the app\'s user + system CPU time (from /proc) from the round\'s first command until it settled, divided by the commands (bot / naive / twin / bare Bolt).',
    "",
    row([
      "In flight",
      "Rounds",
      "Bot card",
      "Naive card",
      "Twin card",
      "Noise (p99)",
      "Bot ack",
      "Naive ack",
      "Bare Bolt ack",
      "Bot: to read / after read",
      "Naive: to read / after read",
      "Missing cards (bot/naive/twin)",
      "CPU per command, ms",
    ]),
    row(["---:", "---:", ...Array<string>(3).fill("---"), "---:", ...Array<string>(7).fill("---")]),
    ...levels.map((l) =>
      row([
        String(l.inFlight),
        String(l.rounds),
        lat(l.card.bot),
        lat(l.card.naive),
        lat(l.card.twin),
        pct(noiseOf(l.card.naive.p99, l.card.twin.p99)),
        lat(l.ack.bot),
        lat(l.ack.naive),
        lat(l.ack.baseline),
        `${lat(l.toRead.bot)} · ${lat(l.afterRead.bot)}`,
        `${lat(l.toRead.naive)} · ${lat(l.afterRead.naive)}`,
        `${l.missing.bot}/${l.missing.naive}/${l.missing.twin}`,
        cpuCell(l.cpuMs),
      ]),
    ),
  ];
}

/** Older runs in history.json have no CPU figures. */
function cpuCell(cpu: CardLevel["cpuMs"] | undefined): string {
  if (!cpu) return "–";
  const one = (x: number | undefined) => (x === undefined ? "–" : x.toFixed(2));
  return [cpu.bot, cpu.naive, cpu.twin, cpu.baseline].map(one).join(" / ");
}

function launchSection(t: LaunchTiming): string[] {
  const warm = latency(t.filledMs);
  return [
    "## 4. Launch modal",
    "",
    `\`/tallyfy launch <exact title>\`, Tallyfy at ${t.latencyMs} ms, from the command to the views.update that fills the kick-off form. One round trip (a template GET from the runner): ${ms(t.roundTripMs)}. First launch after start-up (template index cold: search, then template): ${t.coldMs === undefined ? "–" : ms(t.coldMs)}. Warm index, a template never read before each time: ${t.filledMs.map((x) => fmtMs(x)).join(", ")} ms (p50 ${ms(warm.p50)}).${t.failures.length ? ` Failures: ${t.failures.join("; ")}.` : ""}`,
  ];
}

function actionsSection(a: ActionCounts): string[] {
  const out = [
    "## 7. Tallyfy requests per user action",
    "",
    "The same sequence twice on the bot (cold, then warm), counted by the sandbox.",
    "",
    row(["Action", "Cold", "Warm", "Warm requests", "Target"]),
    row(["---", "---:", "---:", "---", "---:"]),
  ];
  for (const action of ACTIONS) {
    const cold = a.cold[action];
    const warm = a.warm[action];
    const limit = ACTION_TARGETS[action];
    out.push(
      row([
        action,
        cold ? `${cold.count}` : "–",
        warm ? `${warm.count}` : `– (${a.failures[action] ?? "not played"})`,
        warm?.requests.map((x) => `\`${x}\``).join(", ") || "–",
        limit === undefined ? "–" : action === "edit submit" ? `≤ ${limit}` : `${limit}`,
      ]),
    );
  }
  out.push(
    "",
    "Task complete (1 request; 2 with a form) is counted by the end-to-end tests (test/e2e/tasks.test.ts), not here.",
  );
  return out;
}

export function renderReport(r: BenchResults): { markdown: string; rows: TargetRow[] } {
  const rows = targetRows(r);
  const failed = rows.filter((x) => x.verdict !== "PASS").length;
  const e = r.env;
  const lines = [
    `### Run of ${e.date} · commit ${e.commit} · ${Math.round(e.seconds)} s`,
    "",
    `Node ${e.node} · ${e.cpus} CPUs (${e.cpuModel}) · @slack/bolt ${e.bolt} · bot started as \`npm start\` starts it: \`${e.botCommand}\`${e.botNodeOptions ? ` · NODE_OPTIONS=\`${e.botNodeOptions}\`` : ""} · ${e.placement}.`,
    "",
    `**${failed === 0 ? "Every target passes." : `${failed} target(s) not met.`}**`,
    "",
    row(["Measure", "Bot", "Reference", "Target", "Result"]),
    row(["---", "---", "---", "---", "---"]),
    ...rows.map((x) => row([x.measure, x.bot, x.reference, x.target, `**${x.verdict}**`])),
    "",
    ...(r.cards.ok ? cardsSection(r.cards.value) : []),
    "",
    ...(r.launch.ok ? launchSection(r.launch.value) : []),
    "",
    ...(r.actions.ok ? actionsSection(r.actions.value) : []),
    "",
    "## 6. Memory",
    "",
    `Peak RSS (kernel VmHWM): bot ${mb(r.memory.botHwmMb)} over measures 1, 2, 4, 5 and 7; the restarted bot of measure 3 ${mb(r.memory.pacedBotHwmMb)}; bare Bolt ${mb(r.memory.baselineHwmMb)}; naive bot ${mb(r.memory.naiveHwmMb)}.`,
    "",
    `Bot log: ${r.botLog.warn} warnings, ${r.botLog.error} errors (LOG_LEVEL=warn).`,
    ...(r.botLog.samples.length
      ? ["", "```", ...r.botLog.samples.map((s) => s.slice(0, 240)), "```"]
      : []),
    "",
  ];
  return { markdown: lines.join("\n"), rows };
}
