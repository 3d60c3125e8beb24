import { EventEmitter } from "node:events";
import {
  createServer,
  type IncomingMessage,
  type RequestListener,
  type ServerResponse,
} from "node:http";
import type { AddressInfo } from "node:net";
import { parse as parseQuery } from "node:querystring";
import { METHODS } from "./methods.ts";
import { BOT, TEAM } from "./seed.ts";
import type {
  ApiCall,
  FakeChannel,
  FakeSlack,
  FakeUser,
  HttpFailure,
  Json,
  ResponseUrlPost,
} from "./types.ts";
import { SlackApiError, Workspace } from "./workspace.ts";

export * from "./seed.ts";
export type * from "./types.ts";

export interface FakeSlackOptions {
  port?: number;
  host?: string;
  botToken?: string;
  users?: FakeUser[];
  channels?: FakeChannel[];
  /** How long a trigger_id stays valid (Slack: 3 s). */
  triggerTtlMs?: number;
  /** Requests outside /api/ and /response/ (e.g. the playground's pages). Default: 404. */
  onUnhandled?: RequestListener;
}

/** Form fields that @slack/web-api JSON-encodes (it sends objects as JSON strings). */
const JSON_FIELDS = new Set([
  "blocks",
  "attachments",
  "view",
  "metadata",
  "unfurls",
  "user_auth_blocks",
]);
const DEFAULT_WAIT_MS = 5000;

/**
 * Start a fake Slack: the Web API under /api/ (pass `apiUrl` as the bot's
 * clientOptions.slackApiUrl) and response_urls under /response/, over a model of the "Acme"
 * workspace. Pair it with SlackDriver (driver.ts) to play the user's side.
 */
export async function startFakeSlack(opts: FakeSlackOptions = {}): Promise<FakeSlack> {
  const host = opts.host ?? "127.0.0.1";
  const botToken = opts.botToken ?? BOT.token;
  const ws = new Workspace(opts);
  const recorded = new EventEmitter();
  recorded.setMaxListeners(100);
  const calls: ApiCall[] = [];
  const responses: ResponseUrlPost[] = [];
  const failures = new Map<string, string[]>();
  const httpFailures = new Map<string, HttpFailure & { times: number }>();
  let base = "";

  const answerApi = (method: string, args: Json, token: string | undefined): Json => {
    if (!token) return { ok: false, error: "not_authed" };
    if (token !== botToken) return { ok: false, error: "invalid_auth" };
    const queued = failures.get(method);
    const forced = queued?.shift();
    if (queued && queued.length === 0) failures.delete(method);
    if (forced) return { ok: false, error: forced };
    const handler = METHODS[method];
    if (!handler) return { ok: false, error: "unknown_method", req_method: method };
    try {
      return { ok: true, ...handler(ws, args) };
    } catch (e) {
      if (e instanceof SlackApiError) return { ok: false, error: e.code, ...e.extra };
      throw e;
    }
  };

  const handleApi = async (req: IncomingMessage, res: ServerResponse, method: string) => {
    const raw = await readBody(req);
    // When the call reached Slack, before the fake's own checks (Slack's time, not the app's).
    const at = Date.now();
    const { args, token: bodyToken } = parseApiArgs(req, raw);
    const http = httpFailures.get(method);
    if (http) {
      if (--http.times <= 0) httpFailures.delete(method);
      const response = { ok: false, status: http.status };
      const call: ApiCall = { method, args, at, response };
      calls.push(call);
      recorded.emit("call", call);
      const retry =
        http.retryAfterSec === undefined ? {} : { "retry-after": `${http.retryAfterSec}` };
      res.writeHead(http.status, { "content-type": "text/plain", ...retry });
      res.end(http.status === 429 ? "ratelimited" : "service unavailable");
      return;
    }
    const token = bearer(req.headers.authorization) ?? bodyToken;
    const response = answerApi(method, args, token);
    const call: ApiCall = { method, args, at, response };
    calls.push(call);
    recorded.emit("call", call);
    sendJson(res, 200, response);
  };

  const handleResponseUrl = async (req: IncomingMessage, res: ServerResponse, id: string) => {
    const raw = await readBody(req);
    let body: unknown;
    try {
      body = parseResponseBody(req, raw);
    } catch {
      body = undefined;
    }
    const result = ws.postToResponseUrl(id, body);
    const post: ResponseUrlPost = {
      id,
      body: (body ?? { raw }) as Json,
      at: Date.now(),
      status: result.status,
    };
    responses.push(post);
    recorded.emit("response", post);
    res.writeHead(result.status, { "content-type": "text/plain" });
    res.end(result.text);
  };

  const server = createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://fake").pathname;
    const api = /^\/api\/([\w.]+)$/.exec(path);
    const resp = /^\/response\/([\w-]+)$/.exec(path);
    const work = api?.[1]
      ? handleApi(req, res, api[1])
      : resp?.[1] && req.method === "POST"
        ? handleResponseUrl(req, res, resp[1])
        : undefined;
    if (work) {
      work.catch((e: unknown) => {
        if (!res.headersSent) sendJson(res, 500, { ok: false, error: "fatal_error" });
        else res.end();
        console.error("fake slack:", e);
      });
    } else if (opts.onUnhandled) {
      opts.onUnhandled(req, res);
    } else {
      res.writeHead(404, { "content-type": "text/plain" });
      res.end("not found");
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  base = `http://${host}:${port}`;

  return {
    apiUrl: `${base}/api/`,
    url: base,
    botToken,
    botUserId: BOT.userId,
    botId: BOT.botId,
    teamId: TEAM.id,
    teamDomain: TEAM.domain,
    server,
    calls,
    callsTo: (method) => calls.filter((c) => c.method === method),
    waitFor: (pred, timeoutMs = DEFAULT_WAIT_MS) =>
      waitForItem(calls, recorded, "call", pred, timeoutMs, "Web API call"),
    responses,
    waitForResponse: (pred = () => true, timeoutMs = DEFAULT_WAIT_MS) =>
      waitForItem(responses, recorded, "response", pred, timeoutMs, "response_url post"),
    newResponseUrl: (ctx) => `${base}/response/${ws.newResponseUrl(ctx)}`,
    postAsUser: (channelId, userId, text, opts = {}) => {
      const channel = ws.resolveChannel(channelId);
      if (!channel) throw new Error(`fake slack: no channel ${channelId}`);
      if (!channel.members.includes(userId))
        throw new Error(`fake slack: ${userId} is not in ${channelId}`);
      return ws.addMessage({
        channel: channel.id,
        user: userId,
        text,
        blocks: opts.blocks ?? [],
        threadTs: opts.threadTs,
      });
    },
    messages: (channelId) => ws.messages(channelId),
    message: (channelId, ts) => ws.message(channelId, ts),
    views: ws.views,
    openView: (userId) => ws.openView(userId),
    triggerId: (ctx) => ws.triggerId(ctx),
    get users() {
      return ws.users;
    },
    get channels() {
      return ws.channels;
    },
    user: (id) => ws.user(id),
    channel: (id) => ws.resolveChannel(id),
    events: ws.events,
    failNext: (method, error) => {
      const q = failures.get(method) ?? [];
      q.push(error);
      failures.set(method, q);
    },
    failHttp: (method, failure) => {
      httpFailures.set(method, { ...failure, times: failure.times ?? 1 });
    },
    applyViewResponse: (viewId, ack) => ws.applyViewResponse(viewId, ack),
    applyCommandAck: (responseUrl, body) => {
      const id = responseUrl.slice(responseUrl.lastIndexOf("/") + 1);
      const r = ws.postToResponseUrl(id, body, { countUse: false });
      return r.status === 200 ? undefined : r.text;
    },
    closeView: (viewId) => ws.closeView(viewId),
    homeView: (userId) => ws.homeView(userId),
    postUserMessage: (m) => {
      const channel = ws.resolveChannel(m.channel);
      if (!channel) throw new Error(`fake slack: no channel ${m.channel}`);
      return ws.addMessage({
        channel: channel.id,
        user: m.user,
        text: m.text,
        blocks: [],
        threadTs: m.threadTs,
      });
    },
    newComposer: (c) => ws.newComposer(c),
    composer: (unfurlId) => ws.composers.get(unfurlId),
    reset: () => {
      calls.length = 0;
      responses.length = 0;
      failures.clear();
      httpFailures.clear();
      ws.reset();
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((e) => (e ? reject(e) : resolve()));
      }),
  };
}

function waitForItem<T>(
  items: T[],
  emitter: EventEmitter,
  event: string,
  pred: (item: T) => boolean,
  timeoutMs: number,
  what: string,
): Promise<T> {
  const existing = items.find(pred);
  if (existing) return Promise.resolve(existing);
  return new Promise<T>((resolve, reject) => {
    const onItem = (item: T) => {
      if (!pred(item)) return;
      cleanup();
      resolve(item);
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`fake slack: no matching ${what} within ${timeoutMs} ms`));
    }, timeoutMs);
    const cleanup = () => {
      clearTimeout(timer);
      emitter.off(event, onItem);
    };
    emitter.on(event, onItem);
  });
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function mediaType(req: IncomingMessage): string {
  return (req.headers["content-type"] ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
}

/** Web API arguments: form-encoded (JSON fields decoded), JSON, or query string. */
function parseApiArgs(req: IncomingMessage, raw: string): { args: Json; token?: string } {
  let args: Json = {};
  const type = mediaType(req);
  if (type === "application/json" && raw.trim() !== "") {
    try {
      args = JSON.parse(raw) as Json;
    } catch {
      args = { __invalid_json: raw };
    }
  } else {
    const query = new URL(req.url ?? "/", "http://fake").searchParams;
    const form = parseQuery(type === "application/x-www-form-urlencoded" ? raw : "");
    for (const [k, v] of query) args[k] = v;
    for (const [k, v] of Object.entries(form)) args[k] = Array.isArray(v) ? v[v.length - 1] : v;
    for (const k of Object.keys(args)) {
      if (JSON_FIELDS.has(k) && typeof args[k] === "string") {
        try {
          args[k] = JSON.parse(args[k]);
        } catch {
          // left as a string: the method answers invalid_blocks_format / invalid_arguments
        }
      }
    }
  }
  const token = typeof args.token === "string" ? args.token : undefined;
  delete args.token;
  return token === undefined ? { args } : { args, token };
}

function parseResponseBody(req: IncomingMessage, raw: string): unknown {
  if (mediaType(req) === "application/x-www-form-urlencoded") {
    const payload = parseQuery(raw).payload;
    return typeof payload === "string" ? JSON.parse(payload) : undefined;
  }
  return JSON.parse(raw);
}

function bearer(header: string | undefined): string | undefined {
  const m = /^Bearer\s+(\S+)$/i.exec(header ?? "");
  return m?.[1];
}

function sendJson(res: ServerResponse, status: number, body: Json): void {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8" });
  res.end(JSON.stringify(body));
}
