/**
 * Tallyfy delivers each webhook once and an admin may never configure one, so this loop
 * re-reads runs that have live cards and redraws the cards that changed. Runs something
 * happened to since their last check go first (most recently active first), then the one
 * checked longest ago. Each organization has a fixed budget of Tallyfy requests a minute,
 * counted as really sent (request-log.ts), however many cards there are.
 */
import type { BotContext } from "../../slack/context.ts";
import type { LiveRun } from "../../store/live-state.ts";
import type { Tallyfy } from "../../tallyfy/api.ts";
import { isTallyfyError } from "../../tallyfy/errors.ts";
import { apiForOrg } from "./connection.ts";
import type { Fanout } from "./fanout.ts";
import { refreshRun } from "./redraw.ts";
import type { RequestLog } from "./request-log.ts";

/**
 * Most requests one check can make: the run, a task read per task card, and the user and tag
 * lookups a status card needs.
 */
export const maxRequestsFor = (run: LiveRun) => Math.max(3, run.cards + 2);
/** A run checked this recently is not checked again. */
const MIN_RECHECK_MS = 60_000;
/** How many live runs one tick looks at, at most. */
const RUNS_PER_TICK = 5_000;
const PRUNE_EVERY_MS = 60 * 60_000;

export interface Reconciler {
  /** One round: checks what each organization's budget allows now. Returns runs checked. */
  tick(): Promise<number>;
  start(intervalMs?: number): void;
  stop(): Promise<void>;
}

export function createReconciler(deps: {
  bot: BotContext;
  tallyfy: Tallyfy;
  fanout: Fanout;
  requests: RequestLog;
  perMinute: number;
}): Reconciler {
  const { bot } = deps;
  const checkedAt = new Map<string, number>();
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<number> | undefined;
  let lastPrune = Number.NEGATIVE_INFINITY;

  const order = (runs: LiveRun[], at: number): LiveRun[] => {
    const due = runs.filter((r) => at - (checkedAt.get(r.runId) ?? -Infinity) >= MIN_RECHECK_MS);
    const changed = (r: LiveRun) => r.activeAt.getTime() > (checkedAt.get(r.runId) ?? -Infinity);
    // liveRuns is already most recently active first; sort is stable.
    return [
      ...due.filter(changed),
      ...due
        .filter((r) => !changed(r))
        .sort((a, b) => (checkedAt.get(a.runId) ?? 0) - (checkedAt.get(b.runId) ?? 0)),
    ];
  };

  const check = async (run: LiveRun, orgId: string) => {
    checkedAt.set(run.runId, bot.now().getTime());
    const api = await apiForOrg(bot, deps.tallyfy, orgId, run);
    if (!api) return;
    try {
      await refreshRun(bot, deps.fanout, api, run.runId);
    } catch (error) {
      bot.logger.info("reconcile could not re-read a run", {
        runId: run.runId,
        error: isTallyfyError(error) ? error.name : (error as Error).message,
      });
    }
  };

  const prune = async (at: number) => {
    if (at - lastPrune < PRUNE_EVERY_MS) return;
    lastPrune = at;
    const days = bot.config.live.cardRetentionDays;
    const gone = await bot.live.pruneCards(new Date(at - days * 86_400_000));
    if (gone > 0) bot.logger.info("forgot cards past their retention", { count: gone, days });
  };

  const round = async (): Promise<number> => {
    const at = bot.now().getTime();
    await prune(at);
    if (deps.perMinute <= 0) return 0;
    const runs = await bot.live.liveRuns(RUNS_PER_TICK);
    const live = new Set(runs.map((r) => r.runId));
    for (const id of checkedAt.keys()) if (!live.has(id)) checkedAt.delete(id);
    const byOrg = new Map<string, LiveRun[]>();
    for (const r of runs) {
      if (!r.orgId) continue;
      byOrg.set(r.orgId, [...(byOrg.get(r.orgId) ?? []), r]);
    }
    let checked = 0;
    await Promise.all(
      [...byOrg].map(async ([orgId, list]) => {
        for (const run of order(list, at)) {
          // A shutdown waits for the read in hand, never for the rest of a round.
          if (stopped) break;
          if (deps.requests.lastMinute(orgId) + maxRequestsFor(run) > deps.perMinute) continue;
          await check(run, orgId);
          checked++;
        }
      }),
    );
    return checked;
  };

  let stopped = false;
  const tick = () => {
    running ??= round().finally(() => {
      running = undefined;
    });
    return running;
  };

  return {
    tick,
    start(intervalMs = 2_000) {
      if (timer || intervalMs <= 0) return;
      timer = setInterval(() => {
        tick().catch((error: unknown) =>
          bot.logger.warn("reconcile round failed", { error: (error as Error).message }),
        );
      }, intervalMs);
      timer.unref();
    },
    async stop() {
      stopped = true;
      if (timer) clearInterval(timer);
      timer = undefined;
      await running?.catch(() => undefined);
    },
  };
}
