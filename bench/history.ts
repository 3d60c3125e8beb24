/**
 * bench/RESULTS.md holds the last three runs: a table of every target's result per run, then
 * each run's full report. Runs are kept in bench/history.json (newest last).
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import type { TargetRow } from "./report.ts";

export interface HistoryEntry {
  date: string;
  commit: string;
  machine: string;
  rows: TargetRow[];
  markdown: string;
}

const KEEP = 10;
const SHOWN = 3;

export function loadHistory(path: string): HistoryEntry[] {
  if (!existsSync(path)) return [];
  return JSON.parse(readFileSync(path, "utf8")) as HistoryEntry[];
}

/** How many runs in a row, newest back, passed every target on the same machine. */
export function passingStreak(history: HistoryEntry[]): number {
  let n = 0;
  const machine = history.at(-1)?.machine;
  for (const run of [...history].reverse()) {
    if (run.machine !== machine || run.rows.some((r) => r.verdict !== "PASS")) break;
    n++;
  }
  return n;
}

export function renderResults(history: HistoryEntry[]): string {
  const shown = history.slice(-SHOWN).reverse();
  const measures = [...new Set(shown.flatMap((run) => run.rows.map((r) => r.measure)))];
  const cell = (run: HistoryEntry, measure: string) => {
    const r = run.rows.find((x) => x.measure === measure);
    return r ? `${r.verdict === "PASS" ? "PASS" : `**${r.verdict}**`} (${r.bot})` : "–";
  };
  const streak = passingStreak(history);
  return [
    "# Benchmark results",
    "",
    "`npm run bench` (see README.md, Performance): the bot's production build, started as `npm start` starts it, beside two references in the same run: a bare Bolt app that only acks (`bench/baseline.ts`) and a naive bot that acks, reads the run with undici and posts a plain card (`bench/naive.ts`, twice: the second copy measures the noise). The Tallyfy sandbox and the fake Slack run in their own process; the runner sends Slack-signed requests.",
    "",
    `**Consecutive runs passing every target on this machine: ${streak}.**`,
    "",
    `| Measure | ${shown.map((run) => `${run.date.slice(0, 16).replace("T", " ")} (${run.commit})`).join(" | ")} |`,
    `| --- | ${shown.map(() => "---").join(" | ")} |`,
    ...measures.map((m) => `| ${m} | ${shown.map((run) => cell(run, m)).join(" | ")} |`),
    "",
    ...shown.flatMap((run) => [run.markdown, ""]),
  ].join("\n");
}

export function recordRun(historyPath: string, resultsPath: string, entry: HistoryEntry): number {
  const history = [...loadHistory(historyPath), entry].slice(-KEEP);
  writeFileSync(historyPath, `${JSON.stringify(history, null, 1)}\n`);
  writeFileSync(resultsPath, renderResults(history));
  return passingStreak(history);
}
