/** What every measure needs: the services' control client, the two targets, the clock. */
import type { Control } from "./control.ts";
import type { SlackWho, Target } from "./load.ts";
import type { Child } from "./procs.ts";
import type { Marks, SlackSummary } from "./protocol.ts";

export interface BenchContext {
  control: Control;
  bot: Target;
  baseline: Target;
  botChild: Child;
  who: SlackWho;
  /** Milliseconds left in the run's time budget. */
  remainingMs(): number;
  log(line: string): void;
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Poll `check` until it returns a value or `timeoutMs` passes (then undefined). */
export async function pollFor<T>(
  check: () => Promise<T | undefined>,
  timeoutMs: number,
  everyMs = 25,
): Promise<T | undefined> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) return undefined;
    await sleep(everyMs);
  }
}

/** Follow-up work the bot did after its acks, and what went wrong in it. */
export interface FollowUp {
  /** Commands whose expected outcome (card posted / list shown) arrived. */
  done: number;
  expected: number;
  /** Slack calls that failed, refused response_url posts, error notices shown to the user. */
  errors: number;
  details: string[];
  /** From the last ack until every outcome was seen (polled every 100 ms), or to giving up. */
  drainMs: number;
  botLogProblems: number;
}

export type Outcome = "card" | "list";

export function outcomesOf(kind: Outcome, s: SlackSummary): number {
  return kind === "card" ? (s.calls["chat.postMessage"]?.ok ?? 0) : s.responses.ok;
}

export function followUpErrors(s: SlackSummary): { errors: number; details: string[] } {
  const details: string[] = [];
  let errors = 0;
  for (const [method, t] of Object.entries(s.calls)) {
    if (t.failed === 0) continue;
    errors += t.failed;
    details.push(`${method} failed ${t.failed}x (${JSON.stringify(t.errors)})`);
  }
  for (const [status, n] of Object.entries(s.responses.refused)) {
    errors += n;
    details.push(`response_url refused ${n}x (HTTP ${status})`);
  }
  if (s.responses.notices > 0) {
    errors += s.responses.notices;
    details.push(`${s.responses.notices} error notices, e.g. ${s.responses.noticeTexts[0]}`);
  }
  return { errors, details };
}

/**
 * Wait until the bot has finished the follow-up work for `expected` commands sent after
 * `marks`: every outcome arrived, or no progress for `stallMs`, or `maxMs` passed.
 */
export async function drain(
  ctx: BenchContext,
  marks: Marks,
  kind: Outcome,
  expected: number,
  opts: { stallMs?: number; maxMs?: number } = {},
): Promise<FollowUp> {
  const started = Date.now();
  const problemsBefore = ctx.botChild.problems.warn + ctx.botChild.problems.error;
  const stallMs = opts.stallMs ?? 10_000;
  const maxMs = Math.min(opts.maxMs ?? 60_000, Math.max(5_000, ctx.remainingMs() - 20_000));
  let last = -1;
  let lastProgress = Date.now();
  let summary = await ctx.control.summary(marks);
  let finishedAt = Date.now();
  for (;;) {
    finishedAt = Date.now();
    const done = outcomesOf(kind, summary);
    const { errors } = followUpErrors(summary);
    if (done + errors >= expected) break;
    if (done !== last) {
      last = done;
      lastProgress = Date.now();
    }
    if (Date.now() - lastProgress > stallMs || Date.now() - started > maxMs) break;
    await sleep(100);
    summary = await ctx.control.summary(marks);
  }
  // Let stragglers (late errors) land before counting.
  await sleep(200);
  summary = await ctx.control.summary(marks);
  const { errors, details } = followUpErrors(summary);
  const done = outcomesOf(kind, summary);
  if (done + errors < expected) details.push(`${expected - done - errors} never finished`);
  return {
    done,
    expected,
    errors: errors + Math.max(0, expected - done - errors),
    details,
    drainMs: finishedAt - started,
    botLogProblems: ctx.botChild.problems.warn + ctx.botChild.problems.error - problemsBefore,
  };
}
