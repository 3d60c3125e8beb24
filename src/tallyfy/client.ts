/**
 * The one HTTP client for Tallyfy: keep-alive connections (undici), per-call timeouts and a
 * total budget, retries that never risk applying a change twice, and every failure mapped
 * into the TallyfyError family. Tokens never reach a log line or an error message.
 */
import { Agent, type Dispatcher, request as undiciRequest } from "undici";
import type { z } from "zod";
import { type Logger, type Secrets, silentLogger } from "../log.ts";
import { BACKGROUND, type CallOptions, type CallPolicy } from "./api.ts";
import { assertSafePath } from "./ids.ts";
import {
  errorFromResponse,
  networkError,
  parseSuccess,
  type ResponseFailure,
  readBody,
} from "./responses.ts";
import { retryableStatus, retryDelay, sleep } from "./retry.ts";

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
}

/** What one attempt ended in: a value, or how it failed. */
type AttemptResult<T> = { ok: true; value: T } | ({ ok: false } & ResponseFailure);

export class TallyfyClient {
  readonly #origin: string;
  readonly #basePath: string;
  readonly #dispatcher: Dispatcher;
  readonly #ownsDispatcher: boolean;
  readonly #logger: Logger;
  readonly #userAgent: string;
  readonly #random: () => number;
  readonly #secrets: Secrets;
  #closed = false;

  constructor(opts: TallyfyClientOptions) {
    const base = new URL(opts.baseUrl);
    this.#origin = base.origin;
    this.#basePath = base.pathname.replace(/\/+$/, "");
    this.#ownsDispatcher = !opts.dispatcher;
    this.#dispatcher =
      opts.dispatcher ??
      new Agent({ keepAliveTimeout: 4_000, keepAliveMaxTimeout: 30_000, connections: 32 });
    this.#logger = opts.logger ?? silentLogger;
    this.#userAgent = opts.userAgent ?? "tallyfy-for-slack";
    this.#random = opts.random ?? Math.random;
    this.#secrets = opts.secrets ?? this.#logger.secrets;
  }

  /** The registry this client scrubs Tallyfy's answers with (shared with its services). */
  get secrets(): Secrets {
    return this.#secrets;
  }

  async request<S extends z.ZodType>(
    conn: { token: string },
    req: TallyfyRequest<S>,
    opts: CallOptions = {},
  ): Promise<z.output<S>> {
    const policy: CallPolicy = opts.policy ?? BACKGROUND;
    const deadline = performance.now() + policy.budgetMs;
    const path = req.path.split("?")[0] ?? req.path;
    assertSafePath(path);

    for (let attempt = 1; ; attempt++) {
      opts.signal?.throwIfAborted();
      const remaining = deadline - performance.now();
      const timeoutMs = Math.max(1, Math.min(policy.attemptTimeoutMs, remaining));
      const result = await this.#attempt(conn, req, path, attempt, timeoutMs, opts.signal);
      if (result.ok) return result.value;
      if (!retryableStatus(req.method, result.outcome)) throw result.error;
      const room = { policy, remainingMs: deadline - performance.now() };
      const waitMs = retryDelay(attempt, result.retryAfterMs, room, this.#random);
      if (waitMs === null) throw result.error;
      await sleep(waitMs, opts.signal);
    }
  }

  async #attempt<S extends z.ZodType>(
    conn: { token: string },
    req: TallyfyRequest<S>,
    path: string,
    attempt: number,
    timeoutMs: number,
    callerSignal: AbortSignal | undefined,
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
      const res = await undiciRequest(this.#url(path, req.query), {
        dispatcher: this.#dispatcher,
        method: req.method,
        headers,
        body: hasBody ? JSON.stringify(req.body) : null,
        signal,
      });
      const body = await readBody(res);
      log({ status: res.statusCode });
      if (res.statusCode >= 200 && res.statusCode < 300) {
        const parsed = parseSuccess(req.schema, res.statusCode, res.headers, body, ctx);
        return parsed.ok ? { ok: true, value: parsed.value } : fail(parsed.failure);
      }
      return fail(errorFromResponse(res.statusCode, res.headers, body, ctx));
    } catch (cause) {
      callerSignal?.throwIfAborted();
      const failure = networkError(cause, timer.signal.aborted, ctx);
      log({ error: failure.error.kind, code: failure.code });
      return fail(failure);
    } finally {
      clearTimeout(timeout);
    }
  }

  #url(path: string, query: Record<string, QueryValue> | undefined): string {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query ?? {})) {
      if (value !== undefined) params.set(key, String(value));
    }
    const qs = params.toString();
    return `${this.#origin}${this.#basePath}${path}${qs ? `?${qs}` : ""}`;
  }

  /** Closes the connection pool this client created (a dispatcher passed in is left open). */
  async close(): Promise<void> {
    if (!this.#ownsDispatcher || this.#closed) return;
    this.#closed = true;
    await this.#dispatcher.close();
  }
}

function fail<T>(f: ResponseFailure): AttemptResult<T> {
  return { ok: false, ...f };
}
