/**
 * The one HTTP client for Tallyfy: keep-alive connections (undici), per-call timeouts and a
 * total budget, retries that never risk applying a change twice, and every failure mapped
 * into the TallyfyError family. Tokens never reach a log line or an error message.
 *
 * Two things keep the request count down (issue 18, measures 2 and 3):
 * - Identical GETs in flight at once (same token, same URL, same schema) share one request:
 *   200 people showing one run's card make one read, not 200. Never across tokens: the key
 *   starts with the token's fingerprint, so one token's answer never reaches another.
 * - Every attempt first asks the per-organization Pacer (pacing.ts) for a slot, so a burst
 *   waits for Tallyfy's budget instead of collecting 429s.
 *
 * Each call reports to the work it is part of (work-scope.ts): while it waits for the budget,
 * and when a request goes out; work let go by a shutdown stops waiting and sends nothing.
 */
import { Agent, type Dispatcher } from "undici";
import type { z } from "zod";
import { requestText } from "../http/request-text.ts";
import { type Logger, type Secrets, silentLogger } from "../log.ts";
import { BACKGROUND, type CallOptions, type CallPolicy } from "./api.ts";
import { tokenFingerprint } from "./cache.ts";
import { assertSafePath } from "./ids.ts";
import { budgetKey, Pacer, type PacerOptions, type Priority, parseRemaining } from "./pacing.ts";
import {
  bodyOf,
  errorFromResponse,
  networkError,
  parseSuccess,
  type ResponseFailure,
} from "./responses.ts";
import { MIN_ATTEMPT_MS, retryableStatus, retryDelay, sleep } from "./retry.ts";
import { SharedCalls, type WorkScope, withScopeSignal } from "./work-scope.ts";

export type HttpMethod = "GET" | "POST" | "PUT" | "DELETE";
export type QueryValue = string | number | boolean | undefined;

export interface TallyfyRequest<S extends z.ZodType> {
  method: HttpMethod;
  /** Path below the API base, e.g. "/organizations/abc/runs". No query string. */
  path: string;
  query?: Record<string, QueryValue>;
  body?: unknown;
  schema: S;
}

export interface TallyfyClientOptions {
  /** e.g. https://go.tallyfy.com/api */
  baseUrl: string;
  logger?: Logger;
  userAgent?: string;
  /** Defaults to a keep-alive Agent owned (and closed) by this client. */
  dispatcher?: Dispatcher;
  /** For tests: jitter source in [0, 1). */
  random?: () => number;
  /** Scrubbed from anything Tallyfy echoes back. Default: the logger's. */
  secrets?: Secrets;
  /** How the per-organization budget is paced (tests shorten things). */
  pacing?: PacerOptions;
  /** Another client's pacer, so both keep to one budget per organization (ignores `pacing`). */
  pacer?: Pacer;
  /** The priority of calls that do not give one. Default "interactive". */
  priority?: Priority;
  /** A call held this long by pacing calls its `onPaced` (the "pacing us" note). Default 5 s. */
  pacingNoticeMs?: number;
}

/** What one attempt ended in: a value, or how it failed; and the budget Tallyfy reported. */
type AttemptResult<T> = ({ ok: true; value: T } | ({ ok: false } & ResponseFailure)) & {
  remaining?: number | undefined;
};

/** Where a request goes: the path (for the budget and errors), and with its query string. */
interface Target {
  path: string;
  pathAndQuery: string;
}

/** Tokens whose fingerprint is kept: more connections than this at once just hash again. */
const MAX_FINGERPRINTS = 1_000;

export class TallyfyClient {
  readonly #origin: string;
  readonly #basePath: string;
  readonly #dispatcher: Dispatcher;
  readonly #ownsDispatcher: boolean;
  readonly #logger: Logger;
  readonly #userAgent: string;
  readonly #random: () => number;
  readonly #secrets: Secrets;
  readonly #pacer: Pacer;
  readonly #pacingNoticeMs: number;
  readonly #priority: Priority;
  /** Identical GETs in flight, by token and URL. */
  readonly #gets = new SharedCalls();
  /** tokenFingerprint by token: a sha256 twice per request otherwise (bounded by clearing). */
  readonly #fingerprints = new Map<string, string>();
  #workScope: () => WorkScope | undefined = () => undefined;
  #closed = false;

  constructor(opts: TallyfyClientOptions) {
    const base = new URL(opts.baseUrl);
    this.#origin = base.origin;
    this.#basePath = base.pathname.replace(/\/+$/, "");
    this.#ownsDispatcher = !opts.dispatcher;
    this.#dispatcher =
      opts.dispatcher ??
      new Agent({ keepAliveTimeout: 4_000, keepAliveMaxTimeout: 30_000, connections: 512 });
    this.#logger = opts.logger ?? silentLogger;
    this.#userAgent = opts.userAgent ?? "tallyfy-for-slack";
    this.#random = opts.random ?? Math.random;
    this.#secrets = opts.secrets ?? this.#logger.secrets;
    this.#pacer = opts.pacer ?? new Pacer(opts.pacing);
    this.#pacingNoticeMs = opts.pacingNoticeMs ?? 5_000;
    this.#priority = opts.priority ?? "interactive";
  }

  /** The per-organization pacer (for a client that must keep to the same budgets). */
  get pacer(): Pacer {
    return this.#pacer;
  }

  /** Where a call finds the work it is part of, in the caller's async context. */
  useWorkScope(scope: () => WorkScope | undefined): void {
    this.#workScope = scope;
  }

  /**
   * The work a call is part of: the one its options name (null: none), else the one found in
   * the caller's async context, if any.
   */
  workScope(opts?: Pick<CallOptions, "scope">): WorkScope | undefined {
    return opts?.scope === undefined ? this.#workScope() : (opts.scope ?? undefined);
  }

  /** The registry this client scrubs Tallyfy's answers with (shared with its services). */
  get secrets(): Secrets {
    return this.#secrets;
  }

  /** tokenFingerprint(token), kept per token: the client and its services ask on every call. */
  fingerprint(token: string): string {
    let fp = this.#fingerprints.get(token);
    if (fp === undefined) {
      if (this.#fingerprints.size >= MAX_FINGERPRINTS) this.#fingerprints.clear();
      fp = tokenFingerprint(token);
      this.#fingerprints.set(token, fp);
    }
    return fp;
  }

  async request<S extends z.ZodType>(
    conn: { token: string },
    req: TallyfyRequest<S>,
    opts: CallOptions = {},
  ): Promise<z.output<S>> {
    const scope = this.workScope(opts);
    const path = req.path.split("?")[0] ?? req.path;
    assertSafePath(path);
    const target = { path, pathAndQuery: this.#pathAndQuery(path, req.query) };
    if (req.method !== "GET") {
      const signal = withScopeSignal(opts.signal, scope);
      return this.#send(conn, req, target, { ...opts, ...(signal ? { signal } : {}) }, scope);
    }
    const key = `${this.fingerprint(conn.token)} ${this.#origin}${target.pathAndQuery}`;
    const { signal, onPaced, scope: _scope, ...rest } = opts;
    // The shared call runs without any one caller's signal: each caller stops waiting on its
    // own, and the request stops once they all have (SharedCall).
    return this.#gets.join(
      key,
      req.schema,
      (group, paced) =>
        this.#send(conn, req, target, { ...rest, onPaced: paced, signal: group.signal }, group),
      { signal, scope, onPaced },
    );
  }

  /** `opts.signal` is the caller's combined with its work's; `scope` hears what goes out. */
  async #send<S extends z.ZodType>(
    conn: { token: string },
    req: TallyfyRequest<S>,
    target: Target,
    opts: CallOptions,
    scope: WorkScope | undefined,
  ): Promise<z.output<S>> {
    const policy: CallPolicy = opts.policy ?? BACKGROUND;
    let deadline = performance.now() + policy.budgetMs;
    const { path } = target;
    const org = budgetKey(path, this.fingerprint(conn.token));
    let paceWaitLeft = policy.paceWaitMs;
    let noted = false;
    const onHeld = () => {
      if (noted) return;
      noted = true;
      opts.onPaced?.();
    };

    for (let attempt = 1; ; attempt++) {
      opts.signal?.throwIfAborted();
      const permit = await this.#pacer.acquire(org, {
        priority: opts.priority ?? this.#priority,
        inHand: scope?.inHand() ?? false,
        maxWaitMs: paceWaitLeft ?? Math.max(0, deadline - performance.now() - MIN_ATTEMPT_MS),
        signal: opts.signal,
        onHeld,
        noticeMs: this.#pacingNoticeMs,
        onWait: scope ? (waiting) => scope.held(waiting) : undefined,
      });
      if (opts.signal?.aborted) {
        permit.cancel();
        throw opts.signal.reason;
      }
      // Waiting for the budget is not the call's time when the policy allows for it apart.
      if (paceWaitLeft !== undefined) {
        paceWaitLeft = Math.max(0, paceWaitLeft - permit.waitedMs);
        deadline += permit.waitedMs;
      }
      const remaining = deadline - performance.now();
      const timeoutMs = Math.max(1, Math.min(policy.attemptTimeoutMs, remaining));
      let result: AttemptResult<z.output<S>>;
      if (req.method !== "GET") {
        try {
          scope?.writing?.();
        } catch (error) {
          permit.cancel();
          throw error;
        }
      }
      scope?.sending();
      try {
        result = await this.#attempt(conn, req, target, attempt, timeoutMs, opts);
      } catch (error) {
        permit.done({});
        throw error;
      }
      permit.done(
        !result.ok && result.outcome === 429
          ? { retryAfterMs: result.retryAfterMs ?? null }
          : { remaining: result.remaining },
      );
      if (!result.ok && result.outcome === 429) scope?.refused();
      if (result.ok) return result.value;
      if (!retryableStatus(req.method, result.outcome)) throw result.error;
      // A 429 blocked the org in the pacer until its Retry-After: the next acquire waits it out.
      if (result.outcome === 429 && paceWaitLeft !== undefined) {
        if (attempt > policy.maxRetries) throw result.error;
        continue;
      }
      const room = { policy, remainingMs: deadline - performance.now() };
      const waitMs = retryDelay(attempt, result.retryAfterMs, room, this.#random);
      if (waitMs === null) throw result.error;
      await sleep(waitMs, opts.signal);
    }
  }

  async #attempt<S extends z.ZodType>(
    conn: { token: string },
    req: TallyfyRequest<S>,
    { path, pathAndQuery }: Target,
    attempt: number,
    timeoutMs: number,
    { signal: callerSignal, onAnswerDate }: CallOptions,
  ): Promise<AttemptResult<z.output<S>>> {
    const started = performance.now();
    const timer = new AbortController();
    const timeout = setTimeout(() => timer.abort(), timeoutMs);
    const signal = callerSignal ? AbortSignal.any([callerSignal, timer.signal]) : timer.signal;
    const hasBody = req.body !== undefined;
    const headers: Record<string, string> = {
      authorization: `Bearer ${conn.token}`,
      accept: "application/json",
      "x-tallyfy-client": "APIClient",
      "user-agent": this.#userAgent,
    };
    if (hasBody) headers["content-type"] = "application/json";
    const ctx = { method: req.method, path, token: conn.token, secrets: this.#secrets };
    const log = (fields: Record<string, unknown>) =>
      this.#logger.debug("tallyfy request", {
        method: req.method,
        path,
        attempt,
        ms: Math.round(performance.now() - started),
        ...fields,
      });

    try {
      const res = await requestText(this.#dispatcher, {
        origin: this.#origin,
        path: pathAndQuery,
        method: req.method,
        headers,
        body: hasBody ? JSON.stringify(req.body) : null,
        signal,
      });
      const body = bodyOf(res.text);
      log({ status: res.statusCode });
      const remaining = parseRemaining(res.headers["x-ratelimit-remaining"]);
      if (res.statusCode >= 200 && res.statusCode < 300) {
        const parsed = parseSuccess(req.schema, res.statusCode, res.headers, body, ctx);
        const date = Date.parse(String(res.headers.date ?? ""));
        if (parsed.ok && onAnswerDate && Number.isFinite(date)) onAnswerDate(date);
        return parsed.ok
          ? { ok: true, value: parsed.value, remaining }
          : fail(parsed.failure, remaining);
      }
      return fail(errorFromResponse(res.statusCode, res.headers, body, ctx), remaining);
    } catch (cause) {
      callerSignal?.throwIfAborted();
      const failure = networkError(cause, timer.signal.aborted, ctx);
      log({ error: failure.error.kind, code: failure.code });
      return fail(failure);
    } finally {
      clearTimeout(timeout);
    }
  }

  #pathAndQuery(path: string, query: Record<string, QueryValue> | undefined): string {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query ?? {})) {
      if (value !== undefined) params.set(key, String(value));
    }
    const qs = params.toString();
    return `${this.#basePath}${path}${qs ? `?${qs}` : ""}`;
  }

  /** Forgets what was learned about every organization's rate limit. */
  resetPacing(): void {
    this.#pacer.reset();
  }

  /** Closes the connection pool this client created (a dispatcher passed in is left open). */
  async close(): Promise<void> {
    if (!this.#ownsDispatcher || this.#closed) return;
    this.#closed = true;
    await this.#dispatcher.close();
  }
}

function fail<T>(f: ResponseFailure, remaining?: number): AttemptResult<T> {
  return { ok: false, ...f, remaining };
}
