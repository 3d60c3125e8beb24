/**
 * The Tallyfy sandbox: a real HTTP server that answers like the live Tallyfy API (as its own
 * open-source clients show it behaves, where that differs from the public docs), data-loss traps
 * included, with injectable faults and a record of every API request. Used by the tests, the playground and the benchmark.
 */
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { FaultList, faultHeaders, type SandboxFault } from "./faults.ts";
import {
  ApiError,
  defaultErrorBody,
  endpointNotFound,
  readBody,
  sendJson,
  unauthenticated,
} from "./http.ts";
import { type RateLimit, RateMeter } from "./rate-limit.ts";
import { matchRoute, runRoute } from "./routes.ts";
import { createSeedState, SEED } from "./seed.ts";
import { completeTask, findTask } from "./tasks.ts";
import type { SandboxState } from "./types.ts";
import { answerWebPage } from "./web.ts";
import { createWebhookSender, type SandboxWebhooks } from "./webhooks.ts";

export type { SandboxFault } from "./faults.ts";
export type { RateLimit } from "./rate-limit.ts";
export { SEED, SEED_TASKS } from "./seed.ts";
export type * from "./types.ts";
export type { SandboxWebhooks, SentWebhook } from "./webhooks.ts";

export interface RecordedRequest {
  method: string;
  /** Below the /api prefix, without query, e.g. "/organizations/…/runs". */
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  /** Parsed JSON; the raw text when it is not JSON; undefined when empty. */
  body: unknown;
  token: string | undefined;
  at: number;
}

export interface TallyfySandbox {
  /** API base, e.g. "http://127.0.0.1:PORT/api" (TALLYFY_API_URL). */
  url: string;
  /** "http://127.0.0.1:PORT" (TALLYFY_WEB_URL). */
  webUrl: string;
  /** The seeded organization ("Acme Operations"). */
  orgId: string;
  /** The seeded admin user's (alice's) personal access token. */
  token: string;
  /** Every API request received, in order. */
  requests: RecordedRequest[];
  clearRequests(): void;
  fault(f: SandboxFault): void;
  clearFaults(): void;
  /** Added to every request; settable at any time. */
  latencyMs: number;
  /**
   * Completion requests Tallyfy accepted for a task, repeats included: each one re-fires the
   * task's webhooks and emails on the live service (details in state.completionLog).
   */
  completions(taskId: string): number;
  /** Webhooks sent as Tallyfy sends them when runs change (none until a URL is set). */
  webhooks: SandboxWebhooks;
  /**
   * Completes a task as `userId` (default: the admin), as a person would in Tallyfy's web app:
   * webhooks fire. Returns false when there is no such task or Tallyfy would refuse.
   */
  completeTask(taskId: string, userId?: number): boolean;
  /** Live data; mutate it to set up a scenario. */
  state: SandboxState;
  /**
   * Tallyfy's per-organization rate limit, off unless set: `requests` per fixed window of
   * `windowMs` (Tallyfy: 100 a minute). Beyond it: 429 with Retry-After; every answer under
   * /organizations/{org} carries X-RateLimit-Limit and X-RateLimit-Remaining.
   */
  rateLimit: RateLimit | undefined;
  /** How many requests the rate limit refused with a 429. */
  readonly throttled: number;
  /** Restores the seed, clears faults and requests. */
  reset(): void;
  close(): Promise<void>;
}

export interface SandboxOptions {
  port?: number;
  host?: string;
  latencyMs?: number;
  rateLimit?: RateLimit;
}

const MALFORMED_BODY = '{"data":{"id":"3f2a9c';

export async function startTallyfySandbox(opts: SandboxOptions = {}): Promise<TallyfySandbox> {
  const host = opts.host ?? "127.0.0.1";
  // The state object keeps its identity across reset(), so references to it stay live.
  const state: SandboxState = createSeedState();
  const requests: RecordedRequest[] = [];
  const faults = new FaultList();
  let latencyMs = opts.latencyMs ?? 0;
  const meter = new RateMeter(opts.rateLimit);
  let origin = "";
  const webhooks = createWebhookSender();
  /** Fires the webhooks for what a request (or a person in the web app) just changed. */
  const fireFor = (before: { completions: number; runs: number }) => {
    for (const c of state.completionLog.slice(before.completions)) {
      for (const run of state.runs.values()) {
        const task = run.tasks.find((t) => t.id === c.taskId);
        const by = state.users.find((u) => u.id === c.userId);
        if (!task || !by) continue;
        webhooks.taskCompleted(state, run, task, by);
        if (
          !c.repeat &&
          run.status === "complete" &&
          run.completed_at === new Date(c.at).toISOString()
        ) {
          webhooks.processCompleted(state, run);
        }
      }
    }
    if (state.runs.size > before.runs) {
      for (const run of [...state.runs.values()].slice(before.runs)) webhooks.launched(state, run);
    }
  };

  const handleApi = async (req: IncomingMessage, res: ServerResponse, url: URL) => {
    const method = (req.method ?? "GET").toUpperCase();
    const path = url.pathname.slice("/api".length).replace(/(.)\/+$/, "$1") || "/";
    const raw = await readBody(req);
    const body = parseBody(raw);
    const token = bearer(req.headers.authorization);
    requests.push({
      method,
      path,
      query: Object.fromEntries(url.searchParams),
      headers: flatHeaders(req),
      body: body.value,
      token,
      at: Date.now(),
    });

    const metered = meter.take(path);
    if (metered.over) {
      if (latencyMs > 0) await sleep(latencyMs);
      const message = "Too Many Attempts.";
      sendJson(
        res,
        429,
        { error: true, message },
        { "X-Request-Id": randomUUID(), ...metered.headers },
      );
      return;
    }
    const fault = faults.take(method, path);
    const extra = {
      "X-Request-Id": randomUUID(),
      ...metered.headers,
      ...(fault ? faultHeaders(fault) : {}),
    };
    const wait = latencyMs + (fault?.latencyMs ?? 0);
    if (wait > 0) await sleep(wait);
    if (res.destroyed) return;
    const route = () => answerRoute(req, url, method, path, body, token);
    // Applied, but the caller sees only the fault: its answer is dropped.
    if (fault?.afterApply) route();
    if (fault?.drop) {
      req.socket.destroy();
      return;
    }
    if (fault?.malformed) {
      res.writeHead(200, { "content-type": "application/json", ...extra });
      res.end(MALFORMED_BODY);
      return;
    }
    if (fault && (fault.status !== undefined || fault.body !== undefined)) {
      const status = fault.status ?? 200;
      sendJson(res, status, fault.body ?? defaultErrorBody(status), extra);
      return;
    }

    const answer = route();
    sendJson(res, answer.status, answer.body, extra);
  };

  const answerRoute = (
    req: IncomingMessage,
    url: URL,
    method: string,
    path: string,
    body: ReturnType<typeof parseBody>,
    token: string | undefined,
  ): { status: number; body: unknown } => {
    try {
      if (req.headers["x-tallyfy-client"] !== "APIClient") throw endpointNotFound();
      const match = matchRoute(method, path);
      if (match === undefined) throw endpointNotFound();
      if (match === "method") {
        throw new ApiError(405, { error: true, message: "Method not allowed." });
      }
      const user = state.users.find((u) => token !== undefined && u.token === token);
      if (!user) throw unauthenticated();
      if (!body.ok) {
        throw new ApiError(400, { error: true, message: "The request body is not valid JSON." });
      }
      const query = Object.fromEntries(url.searchParams);
      const before = { completions: state.completionLog.length, runs: state.runs.size };
      const result = runRoute(match, {
        state,
        user,
        query,
        body: body.value,
        url,
        now: Date.now(),
      });
      fireFor(before);
      return { status: result.status, body: result.body };
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      return { status: e.status, body: e.body };
    }
  };

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", origin);
    const isApi = url.pathname === "/api" || url.pathname.startsWith("/api/");
    const work = isApi ? handleApi(req, res, url) : answerWebPage(state, req, res, url);
    work.catch((e: unknown) => {
      console.error("tallyfy sandbox: handler failed:", e);
      if (!res.headersSent) sendJson(res, 500, { error: true, message: "Server Error" });
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 5_000;

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const shownHost = host.includes(":") ? `[${host}]` : host;
  origin = `http://${shownHost}:${port}`;

  return {
    url: `${origin}/api`,
    webUrl: origin,
    orgId: SEED.orgId,
    token: SEED.users.admin.token,
    requests,
    clearRequests: () => {
      requests.length = 0;
    },
    fault: (f) => faults.add(f),
    clearFaults: () => faults.clear(),
    get latencyMs() {
      return latencyMs;
    },
    set latencyMs(ms: number) {
      latencyMs = Math.max(0, ms);
    },
    get rateLimit() {
      return meter.limit;
    },
    set rateLimit(limit: RateLimit | undefined) {
      meter.limit = limit;
    },
    get throttled() {
      return meter.throttled;
    },
    state,
    webhooks,
    completeTask(taskId, userId = SEED.users.admin.id) {
      const user = state.users.find((u) => u.id === userId);
      if (!user) return false;
      const before = { completions: state.completionLog.length, runs: state.runs.size };
      try {
        const found = findTask(state, SEED.orgId, taskId);
        completeTask(state, found, user, { is_approved: true }, Date.now());
      } catch {
        return false;
      }
      fireFor(before);
      return true;
    },
    completions: (taskId) => state.completionLog.filter((c) => c.taskId === taskId).length,
    reset: () => {
      Object.assign(state, createSeedState());
      webhooks.reset();
      faults.clear();
      requests.length = 0;
      meter.reset();
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}

function parseBody(raw: string): { ok: boolean; value: unknown } {
  if (raw.trim() === "") return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(raw) };
  } catch {
    return { ok: false, value: raw };
  }
}

function bearer(header: string | undefined): string | undefined {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? "");
  return m?.[1];
}

function flatHeaders(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) {
    if (v !== undefined) out[k] = Array.isArray(v) ? v.join(", ") : v;
  }
  return out;
}
