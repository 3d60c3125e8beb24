/** Pieces of Bolt set up our way: its logger and in-flight request tracking. */
import { type App, type Logger as BoltLogger, LogLevel } from "@slack/bolt";
import type { Logger } from "../log.ts";
import { safeJson } from "../log.ts";
import { idleWaiters } from "./idle-waiters.ts";

/**
 * Bolt's logger interface, routed through ours (so redaction applies to Bolt's lines too).
 * Bolt logs Error objects as well as strings: those keep their message (and stack, in `error`).
 */
export function boltLogger(logger: Logger): BoltLogger {
  let level = LogLevel.INFO;
  let name = "bolt";
  const entry = (msg: unknown[]): [string, Record<string, unknown>] => {
    const text = msg
      .map((m) =>
        typeof m === "string" ? m : m instanceof Error ? `${m.name}: ${m.message}` : safeJson(m),
      )
      .join(" ");
    const error = msg.find((m) => m instanceof Error);
    return [text, error ? { from: name, error } : { from: name }];
  };
  // Bolt and the WebClient log a few debug lines per request: skip building them when unread.
  const debug = logger.enabled?.("debug") ?? true;
  return {
    debug: (...m) => {
      if (debug) logger.debug(...entry(m));
    },
    info: (...m) => logger.info(...entry(m)),
    warn: (...m) => logger.warn(...entry(m)),
    error: (...m) => logger.error(...entry(m)),
    setLevel: (l) => {
      level = l;
    },
    getLevel: () => level,
    setName: (n) => {
      name = n;
    },
  };
}

/**
 * Counts requests whose listeners are still working (after the ack, Tallyfy calls and the
 * reply to Slack are still to come), so a shutdown can let them finish. A global middleware.
 */
export function trackInFlight(app: App) {
  let count = 0;
  const waiters = idleWaiters();
  app.use(async ({ next }) => {
    count++;
    try {
      await next();
    } finally {
      count--;
      if (count === 0) waiters.wake();
    }
  });
  return {
    get count() {
      return count;
    },
    /** Resolves true once nothing is in flight, false if `ms` pass first. */
    idle(ms: number): Promise<boolean> {
      return count === 0 ? Promise.resolve(true) : waiters.wait(ms);
    },
  };
}
