/**
 * The bench's second process: the Tallyfy sandbox and the fake Slack Web API, plus a small
 * control server the runner uses to read what they recorded, set the sandbox's latency, mint
 * response_urls and trigger ids, and play UI steps (clicks, submissions) through SlackDriver.
 *
 *   BENCH_SIGNING_SECRET=… node bench/services.ts
 *
 * Prints one JSON line (ServicesInfo) once listening; exits when stdin closes or on SIGTERM.
 */
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { SlackDriver, type StateInput } from "../sandbox/slack/driver.ts";
import { startFakeSlack } from "../sandbox/slack/fake-slack.ts";
import type { ApiCall } from "../sandbox/slack/types.ts";
import { startTallyfySandbox } from "../sandbox/tallyfy/server.ts";
import type {
  CallInfo,
  CardInfo,
  ClickTarget,
  DriveResult,
  Json,
  Marks,
  ReplyInfo,
  SeededRun,
  ServicesInfo,
  SlackSummary,
} from "./protocol.ts";

const secret = process.env.BENCH_SIGNING_SECRET;
if (!secret) {
  process.stderr.write("bench services: BENCH_SIGNING_SECRET is required\n");
  process.exit(2);
}

const sandbox = await startTallyfySandbox({ latencyMs: 0 });
const slack = await startFakeSlack();
let driver: SlackDriver | undefined;

function callInfo(c: ApiCall, index: number): CallInfo {
  const view = c.args.view as Json | undefined;
  return {
    index,
    method: c.method,
    at: c.at,
    ok: c.response.ok === true,
    error: typeof c.response.error === "string" ? c.response.error : undefined,
    triggerId: typeof c.args.trigger_id === "string" ? c.args.trigger_id : undefined,
    viewId: c.response.view?.id ?? c.args.view_id,
    channel: c.response.channel ?? c.args.channel,
    ts: c.response.ts ?? c.args.ts,
    submit: view?.submit?.text,
  };
}

function marks(): Marks {
  return {
    tallyfy: sandbox.requests.length,
    calls: slack.calls.length,
    responses: slack.responses.length,
  };
}

function noticeText(body: Json): string | undefined {
  const first = Array.isArray(body.blocks) ? body.blocks[0] : undefined;
  const text: unknown = first?.text?.text;
  return typeof text === "string" && /^:(x|warning):/.test(text) ? text : undefined;
}

function summary(fromCalls: number, fromResponses: number): SlackSummary {
  const out: SlackSummary = {
    calls: {},
    responses: { ok: 0, refused: {}, notices: 0, noticeTexts: [] },
  };
  for (const c of slack.calls.slice(fromCalls)) {
    out.calls[c.method] ??= { ok: 0, failed: 0, errors: {} };
    const t = out.calls[c.method]!;
    if (c.response.ok === true) t.ok++;
    else {
      t.failed++;
      const code = String(c.response.error ?? "unknown");
      t.errors[code] = (t.errors[code] ?? 0) + 1;
    }
  }
  for (const r of slack.responses.slice(fromResponses)) {
    if (r.status !== 200) {
      const why = `${r.status}`;
      out.responses.refused[why] = (out.responses.refused[why] ?? 0) + 1;
      continue;
    }
    const notice = noticeText(r.body);
    if (notice) {
      out.responses.notices++;
      if (out.responses.noticeTexts.length < 5) out.responses.noticeTexts.push(notice);
    } else out.responses.ok++;
  }
  return out;
}

/** Poll the recorded calls from `from` for the first one `match` accepts. */
async function waitCall(
  from: number,
  match: (c: ApiCall) => boolean,
  timeoutMs: number,
): Promise<CallInfo | undefined> {
  const deadline = Date.now() + timeoutMs;
  let i = from;
  for (;;) {
    for (; i < slack.calls.length; i++) {
      const c = slack.calls[i]!;
      if (match(c)) return callInfo(c, i);
    }
    if (Date.now() > deadline) return undefined;
    await new Promise((r) => setTimeout(r, 2));
  }
}

/** `n` active runs copied from the seed, each named `<prefix><n, 6 digits>` (a card's key). */
function seedRuns(n: number, prefix: string): SeededRun[] {
  const seed = [...sandbox.state.runs.values()].find(
    (r) => r.orgId === sandbox.orgId && r.status === "active" && r.tasks.length >= 2,
  );
  if (!seed) throw new Error("no active run with tasks in the seed");
  return Array.from({ length: n }, (_, i) => {
    const key = `${prefix}${String(i).padStart(6, "0")}`;
    const id = randomBytes(16).toString("hex");
    const run = structuredClone(seed);
    Object.assign(run, { id, name: `Bench run ${key}` });
    for (const t of run.tasks) t.id = randomBytes(16).toString("hex");
    sandbox.state.runs.set(id, run);
    return { id, name: run.name, key };
  });
}

/** chat.postMessage calls from `from` on that carry a card key (`<prefix>` + 6 digits). */
function cards(from: number, prefix: string): CardInfo[] {
  const pattern = new RegExp(`${prefix}\\d{6}`);
  const out: CardInfo[] = [];
  for (let i = from; i < slack.calls.length; i++) {
    const c = slack.calls[i]!;
    if (c.method !== "chat.postMessage") continue;
    const key = pattern.exec(JSON.stringify(c.args))?.[0];
    if (key) out.push({ key, at: c.at, ok: c.response.ok === true, ts: c.response.ts });
  }
  return out;
}

/** response_url posts from `from` on: when, and whether each was text, a deletion or a notice. */
function replies(from: number): ReplyInfo[] {
  return slack.responses.slice(from).map((r) => ({
    id: r.id,
    at: r.at,
    status: r.status,
    text: typeof r.body.text === "string" ? r.body.text : undefined,
    deleted: r.body.delete_original === true,
    notice: noticeText(r.body) !== undefined,
  }));
}

function needDriver(): SlackDriver {
  if (!driver) throw new Error("POST /configure with the bot's URL first");
  return driver;
}

function driveResult(r: { status: number; ms: number; body: unknown }, problem?: string) {
  return { status: r.status, ms: r.ms, body: r.body, problem } satisfies DriveResult;
}

type Handler = (q: URLSearchParams, body: Json) => Promise<unknown> | unknown;

const routes: Record<string, Handler> = {
  "GET /info": (): ServicesInfo => ({
    control: controlUrl,
    tallyfy: {
      url: sandbox.url,
      webUrl: sandbox.webUrl,
      orgId: sandbox.orgId,
      token: sandbox.token,
    },
    slack: {
      apiUrl: slack.apiUrl,
      botToken: slack.botToken,
      teamId: slack.teamId,
      teamDomain: slack.teamDomain,
    },
  }),
  "POST /configure": (_q, b) => {
    driver = new SlackDriver({ botUrl: String(b.botUrl), signingSecret: secret, slack });
    return { ok: true };
  },
  "POST /latency": (_q, b) => {
    sandbox.latencyMs = Number(b.ms) || 0;
    return { latencyMs: sandbox.latencyMs };
  },
  "GET /marks": () => marks(),
  "POST /seed-runs": (_q, b) => seedRuns(Math.min(Number(b.n) || 1, 5_000), String(b.prefix)),
  "GET /cards": (q) => cards(Number(q.get("from") ?? 0), q.get("prefix") ?? "BR"),
  "GET /replies": (q) => replies(Number(q.get("from") ?? 0)),
  "POST /rate-limit": (_q, b) => {
    sandbox.rateLimit = b.requests
      ? { requests: Number(b.requests), windowMs: Number(b.windowMs) }
      : undefined;
    return { throttled: sandbox.throttled };
  },
  "GET /throttled": () => ({ throttled: sandbox.throttled }),
  /** Completes a run's first open task as a person would in Tallyfy (no webhook is sent). */
  "POST /complete-task": (_q, b) => {
    const run = sandbox.state.runs.get(String(b.runId));
    const task = run?.tasks.find((t) => t.status !== "completed");
    if (!task) return { ok: false };
    Object.assign(task, { status: "completed", completed_at: new Date().toISOString() });
    return { ok: true, taskId: task.id };
  },
  "POST /mint": (_q, b) => {
    const n = Math.min(Number(b.n) || 1, 50_000);
    const ctx = { channelId: String(b.channel ?? "C0OPS"), userId: String(b.user ?? "U0ALICE") };
    const items = [];
    for (let i = 0; i < n; i++) {
      items.push({
        responseUrl: slack.newResponseUrl(ctx),
        triggerId: b.triggers ? slack.triggerId({ userId: ctx.userId }) : undefined,
      });
    }
    return { items };
  },
  "GET /tallyfy/requests": (q) =>
    sandbox.requests
      .slice(Number(q.get("from") ?? 0))
      .map((r) => ({ method: r.method, path: r.path, at: r.at })),
  "GET /slack/calls": (q) => {
    const from = Number(q.get("from") ?? 0);
    const method = q.get("method");
    return slack.calls
      .map((c, i) => [c, i] as const)
      .slice(from)
      .filter(([c]) => !method || c.method === method)
      .map(([c, i]) => callInfo(c, i));
  },
  "GET /slack/summary": (q) =>
    summary(Number(q.get("calls") ?? 0), Number(q.get("responses") ?? 0)),
  "POST /slack/wait": (_q, b) =>
    waitCall(
      Number(b.from ?? 0),
      (c) =>
        c.method === b.method &&
        (b.triggerId === undefined || c.args.trigger_id === b.triggerId) &&
        (b.viewId === undefined || c.args.view_id === b.viewId) &&
        (b.submit === undefined || (c.args.view as Json | undefined)?.submit?.text === b.submit) &&
        (b.ok === undefined || c.response.ok === b.ok),
      Math.min(Number(b.timeoutMs) || 5_000, 60_000),
    ).then((c) => c ?? null),
  "GET /slack/view": (q) => {
    const fv = slack.openView(q.get("user") ?? "U0ALICE");
    return fv ? { id: fv.id, view: fv.view } : null;
  },
  "POST /drive/command": async (_q, b) => {
    const r = await needDriver().command(String(b.text), {
      user: b.user,
      channel: b.channel,
    });
    return { ...driveResult(r, r.ackProblem), responseUrl: r.responseUrl };
  },
  "POST /drive/click": async (_q, b) => {
    const target = b.target as ClickTarget;
    const r = await needDriver().clickButton(target, String(b.actionId), {
      ...(b.value !== undefined ? { value: String(b.value) } : {}),
    });
    return driveResult(r);
  },
  "POST /drive/submit": async (_q, b) => {
    const values = (b.values ?? {}) as Record<string, Record<string, StateInput>>;
    const r = await needDriver().submitView(String(b.viewId), values);
    return driveResult(r, r.viewProblem);
  },
};

function readJson(req: IncomingMessage): Promise<Json> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const raw = Buffer.concat(chunks).toString("utf8");
      try {
        resolve(raw ? (JSON.parse(raw) as Json) : {});
      } catch (e) {
        reject(e);
      }
    });
    req.on("error", reject);
  });
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body ?? null));
}

const control = createServer((req, res) => {
  const url = new URL(req.url ?? "/", "http://control");
  const handler = routes[`${req.method} ${url.pathname}`];
  if (!handler) {
    send(res, 404, { error: `no route ${req.method} ${url.pathname}` });
    return;
  }
  readJson(req)
    .then((body) => handler(url.searchParams, body))
    .then(
      (out) => send(res, 200, out),
      (e: unknown) => send(res, 500, { error: (e as Error).message }),
    );
});
await new Promise<void>((resolve) => control.listen(0, "127.0.0.1", resolve));
const controlUrl = `http://127.0.0.1:${(control.address() as AddressInfo).port}`;
process.stdout.write(`${JSON.stringify(routes["GET /info"]!(new URLSearchParams(), {}))}\n`);

let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  control.closeAllConnections();
  control.close();
  await Promise.allSettled([slack.close(), sandbox.close()]);
  process.exit(0);
}
process.on("SIGTERM", () => void stop());
process.on("SIGINT", () => void stop());
// The runner holds our stdin: when it goes away, so do we (no orphans).
process.stdin.on("end", () => void stop());
process.stdin.resume();
