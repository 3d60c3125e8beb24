/**
 * One Tallyfy call per modal submission, across every instance sharing the store: a repeated
 * submit (double click, Slack's retry) reaching this instance or another never launches or
 * saves twice. The first caller claims the submission in the store and runs the call; a repeat
 * in this process shares its promise; a repeat on another instance waits for the outcome the
 * winner records in the store. One per bot, in its BotContext.
 */
import { z } from "zod";
import type { Logger } from "../log.ts";
import type { SharedState } from "../store/shared-state.ts";
import { TallyfyError, type TallyfyErrorKind, TallyfyTimeoutError } from "../tallyfy/errors.ts";

export interface OnceRegistryOptions {
  shared: SharedState;
  /** This instance's id: its claims are given back on shutdown (releaseAll). */
  owner: string;
  logger?: Logger | undefined;
  /**
   * How long a submission stays claimed and its outcome kept: longer than the slow
   * "Launching…" path (Tallyfy's background budget) by far. Default 10 minutes.
   */
  ttlMs?: number;
  /** How often a repeat on another instance looks for the outcome. Default 250 ms. */
  pollMs?: number;
  /** How long it looks before saying it can't tell. Default 40 s (above the 30 s budget). */
  waitMs?: number;
}

export interface RunResult<U> {
  promise: Promise<U>;
  /** True for the one caller that runs the call; false for a repeat sharing its outcome. */
  first: boolean;
}

const RESULT = "submission";
const outcomeSchema = z.object({
  expiresAt: z.number(),
  value: z.unknown().optional(),
  /** The call failed in a way that may have changed Tallyfy: repeats must not run it again. */
  uncertain: z
    .object({ kind: z.string(), message: z.string(), status: z.number().optional() })
    .optional(),
});
type Outcome = z.infer<typeof outcomeSchema>;

export class OnceRegistry<T = unknown> {
  private readonly local = new Map<string, { promise: Promise<T>; at: number }>();
  /** Per key, the tail of `exclusive` calls waiting their turn in this process. */
  private readonly queues = new Map<string, Promise<void>>();
  private readonly opts: Required<Omit<OnceRegistryOptions, "logger">> & {
    logger: Logger | undefined;
  };

  constructor(opts: OnceRegistryOptions) {
    this.opts = {
      shared: opts.shared,
      owner: opts.owner,
      logger: opts.logger,
      ttlMs: opts.ttlMs ?? 10 * 60_000,
      pollMs: opts.pollMs ?? 250,
      waitMs: opts.waitMs ?? 40_000,
    };
  }

  /**
   * Claims `key` and runs `fn` if no one (here or on another instance) has; otherwise the
   * promise settles like the first caller's call did. Rejects, running nothing, when the store
   * can't be reached.
   */
  async run<U extends T>(key: string, fn: () => Promise<U>): Promise<RunResult<U>> {
    const now = Date.now();
    for (const [k, e] of this.local) {
      if (now - e.at > this.opts.ttlMs) this.local.delete(k);
    }
    const existing = this.local.get(key);
    if (existing) return { promise: existing.promise as Promise<U>, first: false };
    // Held before the first await, so a repeat in this process shares whatever is decided.
    const decided = this.decide(key, fn);
    const promise = decided.then((d) => d.promise);
    promise.catch(() => {});
    this.local.set(key, { promise, at: now });
    try {
      return await decided;
    } catch (error) {
      this.local.delete(key);
      throw error;
    }
  }

  /**
   * Lets the key run again, here and on other instances (a failure that changed nothing).
   * Never rejects: if the store can't be reached the claim simply lapses after its ttl.
   */
  async forget(key: string): Promise<void> {
    this.local.delete(key);
    const { shared, owner, logger } = this.opts;
    // A recorded outcome would answer the next run in its place (a task lock taken again).
    await Promise.all([
      shared.release(claimKey(key), owner),
      shared.takePending(RESULT, key),
    ]).catch((error: unknown) =>
      logger?.warn("could not give back a submission's claim", { error }),
    );
  }

  /** Gives back every claim this instance holds (graceful shutdown); returns how many. */
  releaseAll(): Promise<number> {
    return this.opts.shared.releaseClaims(this.opts.owner);
  }

  private async decide<U>(key: string, fn: () => Promise<U>): Promise<RunResult<U>> {
    const { shared, owner, ttlMs, pollMs, waitMs } = this.opts;
    const deadline = Date.now() + waitMs;
    for (;;) {
      if (await shared.claim(claimKey(key), ttlMs, owner)) {
        // A claim given back at a shutdown after the call succeeded: its outcome still counts.
        const done = await this.outcome(key);
        if (done) return { promise: settle<U>(done), first: false };
        return { promise: quiet(this.start(key, fn)), first: true };
      }
      const done = await this.outcome(key);
      if (done) return { promise: settle<U>(done), first: false };
      if (Date.now() >= deadline) {
        this.opts.logger?.warn("a repeated submission gave up waiting for the first one", {
          waitedMs: waitMs,
        });
        // Whether the first call went through is unknown: say so, and run nothing.
        const unknown = new TallyfyTimeoutError({ mayHaveApplied: true });
        return { promise: quiet(Promise.reject(unknown)), first: false };
      }
      await new Promise((r) => setTimeout(r, pollMs));
    }
  }

  private start<U>(key: string, fn: () => Promise<U>): Promise<U> {
    const { ttlMs } = this.opts;
    const record = (outcome: Omit<Outcome, "expiresAt">) =>
      this.opts.shared
        .putPending(
          RESULT,
          key,
          JSON.stringify({ ...outcome, expiresAt: Date.now() + ttlMs }),
          ttlMs,
        )
        .catch((error: unknown) => {
          this.opts.logger?.warn("could not record a submission's outcome for other instances", {
            error,
          });
        });
    return fn().then(
      async (value) => {
        await record({ value });
        return value;
      },
      async (error: unknown) => {
        if (error instanceof TallyfyError && error.mayHaveApplied) {
          const { kind, message, status } = error;
          await record({ uncertain: { kind, message, ...(status ? { status } : {}) } });
        }
        throw error;
      },
    );
  }

  /** The recorded outcome, left in place for any other repeat (read by taking and putting back). */
  private async outcome(key: string): Promise<Outcome | undefined> {
    const { shared } = this.opts;
    const raw = await shared.takePending(RESULT, key);
    if (raw === undefined) return undefined;
    const parsed = outcomeSchema.safeParse(safeJson(raw));
    if (!parsed.success) return undefined;
    const left = parsed.data.expiresAt - Date.now();
    if (left > 0) await shared.putPending(RESULT, key, raw, Math.ceil(left));
    return parsed.data;
  }

  /**
   * Runs `fn` after every earlier `exclusive` call for `key` has settled: two saves of one
   * process through this bot read and write one after the other, never interleaved.
   */
  async exclusive<U>(key: string, fn: () => Promise<U>): Promise<U> {
    const before = this.queues.get(key) ?? Promise.resolve();
    let release = () => {};
    const done = new Promise<void>((resolve) => {
      release = resolve;
    });
    const mine = before.then(() => done);
    this.queues.set(key, mine);
    await before;
    try {
      return await fn();
    } finally {
      release();
      if (this.queues.get(key) === mine) this.queues.delete(key);
    }
  }
}

const claimKey = (key: string) => `submission:${key}`;

function settle<U>(outcome: Outcome): Promise<U> {
  const u = outcome.uncertain;
  if (!u) return Promise.resolve(outcome.value as U);
  return quiet(
    Promise.reject(
      new TallyfyError(u.kind as TallyfyErrorKind, u.message, {
        status: u.status,
        mayHaveApplied: true,
      }),
    ),
  );
}

/** Every caller awaits the promise; this keeps Node from flagging a rejection meanwhile. */
function quiet<U>(promise: Promise<U>): Promise<U> {
  promise.catch(() => {});
  return promise;
}

function safeJson(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return undefined;
  }
}
