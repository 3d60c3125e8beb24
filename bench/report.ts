/** The results table: printed by the runner and written to bench/RESULTS.md. */
import type { AckPhase, RateResult } from "./acks.ts";
import { ACTION_TARGETS, ACTIONS, type ActionCounts } from "./actions.ts";
import type { OpenTiming, SuggestTiming } from "./modals.ts";
import { fmtMs, type Latency, latency, ratio } from "./stats.ts";

export type Measured<T> = { ok: true; value: T } | { ok: false; why: string };

export interface BenchResults {
  env: {
    date: string;
    node: string;
    cpus: number;
    cpuModel: string;
    bolt: string;
    commit: string;
    /** NODE_OPTIONS given to the bot (BENCH_BOT_NODE_OPTIONS), normally empty. */
    botNodeOptions: string;
    /** How the bot was started: `npm start`'s command line. */
    botCommand: string;
    seconds: number;
  };
  actions: Measured<ActionCounts>;
  suggestions: Measured<SuggestTiming>;
  viewsOpen: Measured<OpenTiming[]>;
  acks: Measured<AckPhase[]>;
  rateBot: Measured<RateResult>;
  rateBaseline: Measured<RateResult>;
  memory: {
    botHwmMb: number;
    botSampledMb: number;
    /** VmHWM when measures 1–4 were done, before the overload steps of measure 6. */
    botHwmBeforeRateMb: number;
    baselineHwmMb: number;
  };
  botLog: { warn: number; error: number; samples: string[] };
}

type Verdict = "PASS" | "FAIL" | "NOT MEASURED" | "–";
const row = (cells: string[]) => `| ${cells.join(" | ")} |`;
const mb = (n: number) => (Number.isFinite(n) && n > 0 ? `${n.toFixed(1)} MB` : "–");
const lat = (l: Latency) => `${fmtMs(l.p50)} / ${fmtMs(l.p95)} / ${fmtMs(l.p99)}`;
const verdict = (ok: boolean): Verdict => (ok ? "PASS" : "FAIL");

function targetRows(r: BenchResults): { rows: string[]; failed: number; missing: number } {
  const rows: string[] = [];
  let failed = 0;
  let missing = 0;
  const add = (
    what: string,
    bot: string,
    base: string,
    rat: string,
    target: string,
    v: Verdict,
  ) => {
    if (v === "FAIL") failed++;
    if (v === "NOT MEASURED") missing++;
    rows.push(row([what, bot, base, rat, target, `**${v}**`]));
  };
  const absent = (what: string, target: string, why: string) =>
    add(what, `not measured: ${why}`, "–", "–", target, "NOT MEASURED");

  for (const cmd of ["list", "show"]) {
    const what = `Ack p99, \`/tallyfy ${cmd}\`, 200 concurrent`;
    const target = "≤ 1.2x baseline";
    if (!r.acks.ok) {
      absent(what, target, r.acks.why);
      continue;
    }
    const p = r.acks.value.find((a) => a.command === cmd && a.concurrency === 200);
    if (!p) absent(what, target, "phase skipped (time budget)");
    else
      add(
        what,
        `${fmtMs(p.bot.p99)} ms`,
        `${fmtMs(p.baseline.p99)} ms`,
        ratio(p.bot.p99, p.baseline.p99),
        target,
        verdict(p.bot.p99 <= 1.2 * p.baseline.p99),
      );
  }

  const baseAck = r.acks.ok
    ? r.acks.value.find((a) => a.concurrency === 1 && a.command === "list")?.baseline.p50
    : undefined;
  const openTarget = "≤ 300 ms";
  if (!r.viewsOpen.ok) absent("Command → views.open", openTarget, r.viewsOpen.why);
  else
    for (const t of r.viewsOpen.value) {
      const what = `Command → views.open (worst of ${t.openMs.length}), Tallyfy latency ${t.latencyMs} ms`;
      const worst = t.openMs.length ? Math.max(...t.openMs) : Number.NaN;
      if (!t.openMs.length) absent(what, openTarget, t.failures.join("; ") || "no sample");
      else
        add(
          what,
          `${fmtMs(worst)} ms`,
          baseAck === undefined ? "–" : `${fmtMs(baseAck)} ms (ack, c=1)`,
          baseAck === undefined ? "–" : ratio(worst, baseAck),
          openTarget,
          verdict(worst <= 300 && t.failures.length === 0),
        );
    }

  const sugWhat = "Warm template suggestions p99";
  if (!r.suggestions.ok) absent(sugWhat, "≤ 50 ms", r.suggestions.why);
  else {
    const s = r.suggestions.value;
    add(
      sugWhat,
      `${fmtMs(s.warm.p99)} ms`,
      `${fmtMs(s.baseline.p99)} ms`,
      ratio(s.warm.p99, s.baseline.p99),
      "≤ 50 ms",
      verdict(s.warm.p99 <= 50 && s.errors === 0),
    );
  }

  for (const action of ACTIONS) {
    const limit = ACTION_TARGETS[action];
    if (limit === undefined) continue;
    const target = action === "edit submit" ? `≤ ${limit}` : `${limit}`;
    const what = `Tallyfy requests per ${action} (warm)`;
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
        "–",
        target,
        verdict(action === "edit submit" ? c.count <= limit : c.count === limit),
      );
  }

  const m = r.memory;
  add(
    "Peak RSS of the bot (VmHWM)",
    mb(m.botHwmMb),
    mb(m.baselineHwmMb),
    ratio(m.botHwmMb, m.baselineHwmMb),
    "≤ 150 MB",
    m.botHwmMb > 0 ? verdict(m.botHwmMb <= 150) : "NOT MEASURED",
  );

  const rate = (x: Measured<RateResult>) =>
    x.ok ? (x.value.best === undefined ? "none" : `${x.value.best}/s`) : "–";
  add(
    "Highest `/tallyfy show` rate with p99 ack < 1 s",
    r.rateBot.ok ? rate(r.rateBot) : `not measured: ${r.rateBot.why}`,
    rate(r.rateBaseline),
    r.rateBot.ok && r.rateBaseline.ok
      ? ratio(r.rateBot.value.best ?? 0, r.rateBaseline.value.best ?? 0)
      : "–",
    "(no target)",
    r.rateBot.ok ? "–" : "NOT MEASURED",
  );
  return { rows, failed, missing };
}

function ackSection(acks: AckPhase[]): string[] {
  const out = [
    "## 1. Ack latency (HTTP answer to the signed slash command)",
    "",
    "Closed loop: N requests always in flight, after a warm-up at the same concurrency; four rounds of a quarter of the requests each, the order turning every round (baseline then bot, bot then baseline, …), so drift hits both alike. p50 / p95 / p99 in ms. Follow-up = the work after the ack (Tallyfy read, card post or list reply), drained after each round; its time is the longest round's.",
    "",
    row([
      "Command",
      "Concurrency",
      "Requests",
      "Bot",
      "Baseline",
      "Ratio p50 / p95 / p99",
      "Bot ack errors",
      "Follow-up",
      "Follow-up errors",
    ]),
    row(["---", "---:", "---:", "---", "---", "---", "---", "---", "---"]),
  ];
  for (const a of acks) {
    const ackErr = Object.entries(a.botAckErrors)
      .map(([k, n]) => `${n} ${k}`)
      .join(", ");
    const f = a.followUp;
    out.push(
      row([
        `\`/tallyfy ${a.command}\``,
        String(a.concurrency),
        String(a.bot.n),
        lat(a.bot),
        lat(a.baseline),
        `${ratio(a.bot.p50, a.baseline.p50)} / ${ratio(a.bot.p95, a.baseline.p95)} / ${ratio(a.bot.p99, a.baseline.p99)}`,
        ackErr || "0",
        `${f.done}/${f.expected} done ${f.drainMs} ms after the last ack (acks at ${Math.round(a.botRate)}/s)`,
        f.errors ? `${f.errors}: ${f.details.join("; ")}` : "0",
      ]),
    );
  }
  return out;
}

function openSection(t: OpenTiming[]): string[] {
  const out = [
    "## 2. `/tallyfy launch <template>` → views.open",
    "",
    "From sending the command to the fake Slack recording views.open (then the modal's next views.update, when the Tallyfy reads are done). A different template each sample, so no cache hides the sandbox latency.",
    "",
    row([
      "Tallyfy latency",
      "Samples",
      "→ views.open p50 / worst",
      "→ modal filled p50 / worst",
      "Ack p50",
      "Failures",
    ]),
    row(["---:", "---:", "---", "---", "---", "---"]),
  ];
  for (const x of t) {
    const open = latency(x.openMs);
    const filled = latency(x.filledMs);
    out.push(
      row([
        `${x.latencyMs} ms`,
        String(x.openMs.length),
        `${fmtMs(open.p50)} / ${fmtMs(open.max)} ms`,
        `${fmtMs(filled.p50)} / ${fmtMs(filled.max)} ms`,
        `${fmtMs(latency(x.ackMs).p50)} ms`,
        x.failures.join("; ") || "0",
      ]),
    );
  }
  return out;
}

function suggestSection(s: SuggestTiming): string[] {
  return [
    "## 3. Template picker suggestions (block_suggestion)",
    "",
    "One at a time. Cold: the first answer per query (a Tallyfy search behind it); warm: the same queries repeated. The baseline answers an empty list at once.",
    "",
    row(["", "Samples", "p50 / p95 / p99 (ms)", "Max (ms)"]),
    row(["---", "---:", "---", "---:"]),
    row(["Bot, cold", String(s.cold.n), lat(s.cold), fmtMs(s.cold.max)]),
    row(["Bot, warm", String(s.warm.n), lat(s.warm), fmtMs(s.warm.max)]),
    row(["Baseline", String(s.baseline.n), lat(s.baseline), fmtMs(s.baseline.max)]),
    "",
    `Options in the first answer per query: ${Object.entries(s.optionCounts)
      .map(([q, n]) => `${q} → ${n}`)
      .join(", ")}. Errors: ${s.errors}.`,
  ];
}

function actionsSection(a: ActionCounts): string[] {
  const out = [
    "## 4. Tallyfy requests per user action (counted by the sandbox)",
    "",
    "The same sequence twice on the bot: cold (first pass after start, caches empty) and warm. Clicks and modal submissions are played by SlackDriver in the services process.",
    "",
    row([
      "Action",
      "Cold",
      "Warm",
      "Warm requests",
      "Target",
      "Result",
      "Slack calls, response_url posts (warm)",
    ]),
    row(["---", "---:", "---:", "---", "---:", "---", "---"]),
  ];
  for (const action of ACTIONS) {
    const cold = a.cold[action];
    const warm = a.warm[action];
    const limit = ACTION_TARGETS[action];
    const v: Verdict =
      limit === undefined
        ? "–"
        : !warm
          ? "NOT MEASURED"
          : verdict(action === "edit submit" ? warm.count <= limit : warm.count === limit);
    out.push(
      row([
        action,
        cold ? `${cold.count}` : "–",
        warm ? `${warm.count}` : `– (${a.failures[action] ?? "not played"})`,
        warm?.requests.map((x) => `\`${x}\``).join(", ") || "–",
        limit === undefined ? "–" : action === "edit submit" ? `≤ ${limit}` : `${limit}`,
        v,
        warm
          ? Object.entries(warm.slack)
              .map(([m, n]) => `${m} ×${n}`)
              .join(", ")
          : "–",
      ]),
    );
  }
  const coldDetail = ACTIONS.filter((x) => a.cold[x] && a.cold[x].count !== a.warm[x]?.count).map(
    (x) => `${x}: ${a.cold[x]!.requests.map((q) => `\`${q}\``).join(", ")}`,
  );
  if (coldDetail.length) out.push("", `Cold requests where they differ: ${coldDetail.join("; ")}.`);
  return out;
}

function rateSection(bot: Measured<RateResult>, base: Measured<RateResult>): string[] {
  const out = [
    "## 6. Highest `/tallyfy show` rate with p99 ack under 1 s",
    "",
    "Open loop: a fixed rate for a few seconds, latency counted from each request's scheduled send time; the rate steps up until p99 ≥ 1 s or an ack fails. Bot steps drain their follow-up work before the next step.",
    "",
    row([
      "Target",
      "Rate",
      "Requests",
      "Ack p50 / p95 / p99 (ms)",
      "Ack errors",
      "Follow-up",
      "Pass",
    ]),
    row(["---", "---:", "---:", "---", "---:", "---", "---"]),
  ];
  for (const [name, r] of [
    ["bot", bot],
    ["baseline", base],
  ] as const) {
    if (!r.ok) {
      out.push(row([name, "–", "–", `not measured: ${r.why}`, "–", "–", "–"]));
      continue;
    }
    for (const s of r.value.steps) {
      const f = s.followUp;
      out.push(
        row([
          name,
          `${s.rate}/s`,
          String(s.requests),
          lat(s.ack),
          s.ackErrors
            ? `${s.ackErrors} (${Object.entries(s.ackErrorKinds)
                .map(([k, n]) => `${n} ${k}`)
                .join(", ")})`
            : "0",
          f
            ? `${f.done}/${f.expected} done ${f.drainMs} ms after the last ack, ${f.errors} errors`
            : "–",
          s.pass ? "yes" : "no",
        ]),
      );
    }
    out.push(
      row([name, `**${r.value.best ?? "none"}/s**`, "", `stopped: ${r.value.stopped}`, "", "", ""]),
    );
  }
  return out;
}

const section = <T>(m: Measured<T>, title: string, render: (v: T) => string[]): string[] =>
  m.ok ? render(m.value) : [`## ${title}`, "", `Not measured: ${m.why}`];

export function renderReport(r: BenchResults): string {
  const t = targetRows(r);
  const e = r.env;
  const lines = [
    "# Benchmark results",
    "",
    `Latest \`npm run bench\`: ${e.date} · Node ${e.node} · ${e.cpus} CPUs (${e.cpuModel}) · @slack/bolt ${e.bolt} · commit ${e.commit} · ${Math.round(e.seconds)} s${e.botNodeOptions ? ` · bot NODE_OPTIONS=\`${e.botNodeOptions}\`` : ""}.`,
    "",
    `Three processes on loopback: the production build of the bot, started as \`npm start\` starts it (\`${e.botCommand}\`, HTTP mode, \`LOG_LEVEL=warn\`), the Tallyfy sandbox and the fake Slack Web API (\`bench/services.ts\`), and the runner with the load generator (undici, Slack-signed requests). The baseline is a bare Bolt app (\`bench/baseline.ts\`, same Bolt and receiver) whose \`/tallyfy\` handler only acks, on Node's default V8 settings. See the Performance section of README.md for how to read it.`,
    "",
    `**${t.failed === 0 && t.missing === 0 ? "All targets met." : `${t.failed} target(s) missed, ${t.missing} not measured.`}**`,
    "",
    row(["Measure", "Bot", "Baseline", "Ratio", "Target", "Result"]),
    row(["---", "---", "---", "---", "---", "---"]),
    ...t.rows,
    "",
    ...section(r.acks, "1. Ack latency", ackSection),
    "",
    ...section(r.viewsOpen, "2. views.open", openSection),
    "",
    ...section(r.suggestions, "3. Suggestions", suggestSection),
    "",
    ...section(r.actions, "4. Tallyfy requests per action", actionsSection),
    "",
    "## 5. Memory",
    "",
    `Bot: peak RSS ${mb(r.memory.botHwmMb)} (kernel VmHWM over the whole run; the highest 250 ms sample of VmRSS was ${mb(r.memory.botSampledMb)}); ${mb(r.memory.botHwmBeforeRateMb)} before measure 6 pushed it past its capacity. Baseline: ${mb(r.memory.baselineHwmMb)} over the whole run.`,
    "",
    ...rateSection(r.rateBot, r.rateBaseline),
    "",
    "## Bot log",
    "",
    `Warnings: ${r.botLog.warn}, errors: ${r.botLog.error} (LOG_LEVEL=warn, over the whole run).`,
    ...(r.botLog.samples.length
      ? ["", "```", ...r.botLog.samples.map((s) => s.slice(0, 240)), "```"]
      : []),
    "",
  ];
  return lines.join("\n");
}
