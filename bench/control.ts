/** The runner's client for bench/services.ts's control server. */
import { request } from "undici";
import type {
  CallInfo,
  CardInfo,
  ClickTarget,
  DriveResult,
  Json,
  Marks,
  MintedUrl,
  ReplyInfo,
  SeededRun,
  ServicesInfo,
  SlackSummary,
  TallyfyRequestInfo,
} from "./protocol.ts";

export class Control {
  readonly base: string;

  constructor(base: string) {
    this.base = base;
  }

  async call<T>(method: "GET" | "POST", path: string, body?: unknown): Promise<T> {
    const res = await request(`${this.base}${path}`, {
      method,
      headers: { "content-type": "application/json" },
      body: body === undefined ? null : JSON.stringify(body),
    });
    const text = await res.body.text();
    if (res.statusCode !== 200) throw new Error(`control ${path}: ${res.statusCode} ${text}`);
    return JSON.parse(text) as T;
  }

  info = () => this.call<ServicesInfo>("GET", "/info");
  configure = (botUrl: string) => this.call("POST", "/configure", { botUrl });
  setLatency = (ms: number) => this.call("POST", "/latency", { ms });
  marks = () => this.call<Marks>("GET", "/marks");
  seedRuns = (n: number, prefix: string) =>
    this.call<SeededRun[]>("POST", "/seed-runs", { n, prefix });
  cards = (from: number, prefix: string) =>
    this.call<CardInfo[]>("GET", `/cards?from=${from}&prefix=${prefix}`);
  replies = (from: number) => this.call<ReplyInfo[]>("GET", `/replies?from=${from}`);
  rateLimit = (limit: { requests: number; windowMs: number } | null) =>
    this.call<{ throttled: number }>("POST", "/rate-limit", limit ?? {});
  throttled = async () => (await this.call<{ throttled: number }>("GET", "/throttled")).throttled;
  completeTask = (runId: string) =>
    this.call<{ ok: boolean; taskId?: string }>("POST", "/complete-task", { runId });

  async mint(n: number, opts: { triggers?: boolean; user?: string; channel?: string } = {}) {
    const out = await this.call<{ items: MintedUrl[] }>("POST", "/mint", { n, ...opts });
    return out.items;
  }

  tallyfyRequests = (from: number) =>
    this.call<TallyfyRequestInfo[]>("GET", `/tallyfy/requests?from=${from}`);

  calls = (from: number, method?: string) =>
    this.call<CallInfo[]>(
      "GET",
      `/slack/calls?from=${from}${method ? `&method=${encodeURIComponent(method)}` : ""}`,
    );

  summary = (m: Marks) =>
    this.call<SlackSummary>("GET", `/slack/summary?calls=${m.calls}&responses=${m.responses}`);

  /** The first matching Web API call recorded from `from` on, or undefined after `timeoutMs`. */
  async waitCall(q: {
    from: number;
    method: string;
    triggerId?: string;
    viewId?: string;
    submit?: string;
    ok?: boolean;
    timeoutMs?: number;
  }): Promise<CallInfo | undefined> {
    return (await this.call<CallInfo | null>("POST", "/slack/wait", q)) ?? undefined;
  }

  async openView(user = "U0ALICE"): Promise<{ id: string; view: Json } | undefined> {
    return (
      (await this.call<{ id: string; view: Json } | null>("GET", `/slack/view?user=${user}`)) ??
      undefined
    );
  }

  command = (text: string) =>
    this.call<DriveResult & { responseUrl: string }>("POST", "/drive/command", { text });
  click = (target: ClickTarget, actionId: string) =>
    this.call<DriveResult>("POST", "/drive/click", { target, actionId });
  submit = (viewId: string, values: Record<string, Record<string, unknown>>) =>
    this.call<DriveResult>("POST", "/drive/submit", { viewId, values });
}
