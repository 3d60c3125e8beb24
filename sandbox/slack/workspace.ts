import { randomBytes } from "node:crypto";
import { EventEmitter } from "node:events";
import { checkMessage } from "./block-kit.ts";
import { BOT, SEED_CHANNELS, SEED_USERS, TEAM } from "./seed.ts";
import type {
  ChangeEvent,
  FakeChannel,
  FakeComposer,
  FakeMessage,
  FakeUser,
  FakeView,
  Json,
  ResponseUrlContext,
  TriggerContext,
} from "./types.ts";
import { newHash, newViewId, viewOutput, viewProblem } from "./views.ts";

/** A Slack Web API error: answered as `{ ok: false, error, ...extra }` with HTTP 200. */
export class SlackApiError extends Error {
  code: string;
  extra: Json;
  constructor(code: string, extra: Json = {}) {
    super(code);
    this.code = code;
    this.extra = extra;
  }
}

interface Trigger {
  expiresAt: number;
  used: boolean;
  userId: string;
}

interface ResponseUrlState {
  ctx: ResponseUrlContext;
  uses: number;
  expiresAt: number;
  /** The message `replace_original` / `delete_original` act on. */
  originalTs?: string | undefined;
}

/** Where response_url posts land: the HTTP status and body text to answer with. */
export interface ResponseUrlResult {
  status: number;
  text: string;
}

const RESPONSE_URL_USES = 5;
const RESPONSE_URL_TTL_MS = 30 * 60_000;
const MAX_MODAL_STACK = 3;

/** The fake workspace's state: users, channels, messages, views, trigger ids, response_urls. */
export class Workspace {
  readonly events = new EventEmitter();
  users: FakeUser[] = [];
  channels: FakeChannel[] = [];
  readonly views = new Map<string, FakeView>();
  /** Each user's Home tab: user id -> view id (the view itself is in `views`). */
  readonly homes = new Map<string, string>();
  /** Composer link shares by unfurl_id. */
  readonly composers = new Map<string, FakeComposer>();
  readonly triggerTtlMs: number;
  private readonly seedUsers: readonly FakeUser[];
  private readonly seedChannels: readonly FakeChannel[];
  private readonly msgs = new Map<string, FakeMessage[]>();
  private readonly stacks = new Map<string, string[]>();
  private readonly triggers = new Map<string, Trigger>();
  private readonly responseUrls = new Map<string, ResponseUrlState>();
  private lastMicros = 0;

  constructor(opts: { users?: FakeUser[]; channels?: FakeChannel[]; triggerTtlMs?: number }) {
    this.seedUsers = opts.users ?? SEED_USERS;
    this.seedChannels = opts.channels ?? SEED_CHANNELS;
    this.triggerTtlMs = opts.triggerTtlMs ?? 3000;
    this.events.setMaxListeners(100);
    this.reset();
  }

  reset(): void {
    this.users = this.seedUsers.map((u) => ({ ...u }));
    this.channels = this.seedChannels.map((c) => ({ ...c, members: [...c.members] }));
    this.msgs.clear();
    this.views.clear();
    this.homes.clear();
    this.composers.clear();
    this.stacks.clear();
    this.triggers.clear();
    this.responseUrls.clear();
    this.emit({ kind: "reset" });
  }

  emit(change: ChangeEvent): void {
    this.events.emit("change", change);
  }

  /** Unique, increasing Slack-style message timestamps ("1700000000.000123"). */
  nextTs(): string {
    const micros = Math.max(Date.now() * 1000, this.lastMicros + 1);
    this.lastMicros = micros;
    return `${Math.floor(micros / 1e6)}.${String(micros % 1e6).padStart(6, "0")}`;
  }

  user(id: string): FakeUser | undefined {
    return this.users.find((u) => u.id === id);
  }

  /** A channel by id or name ("ops" / "#ops"); a user id resolves to the bot's DM with them. */
  resolveChannel(ref: unknown): FakeChannel | undefined {
    if (typeof ref !== "string" || ref === "") return undefined;
    const byId = this.channels.find((c) => c.id === ref);
    if (byId) return byId;
    const name = ref.replace(/^#/, "");
    const byName = this.channels.find((c) => !c.isIm && c.name === name);
    if (byName) return byName;
    const u = this.user(ref);
    return u && !u.isBot ? this.imWith(u.id) : undefined;
  }

  imWith(userId: string): FakeChannel {
    const existing = this.channels.find((c) => c.isIm && c.imUser === userId);
    if (existing) return existing;
    const im: FakeChannel = {
      id: `D${userId.replace(/^U/, "")}`,
      name: userId,
      isIm: true,
      imUser: userId,
      botMember: true,
      members: [userId],
    };
    this.channels.push(im);
    return im;
  }

  messages(channelId: string): FakeMessage[] {
    return [...(this.msgs.get(channelId) ?? [])];
  }

  message(channelId: string, ts: string): FakeMessage | undefined {
    return this.msgs.get(channelId)?.find((m) => m.ts === ts);
  }

  addMessage(m: Omit<FakeMessage, "ts" | "state">): FakeMessage {
    const msg: FakeMessage = { ...m, ts: this.nextTs(), state: { values: {} } };
    const list = this.msgs.get(m.channel) ?? [];
    list.push(msg);
    this.msgs.set(m.channel, list);
    if (msg.ephemeralTo)
      this.emit({ kind: "ephemeral", channel: msg.channel, ts: msg.ts, userId: msg.ephemeralTo });
    else this.emit({ kind: "message", channel: msg.channel, ts: msg.ts });
    return msg;
  }

  replaceMessage(msg: FakeMessage, text: string | undefined, blocks: Json[] | undefined): void {
    if (text !== undefined) msg.text = text;
    if (blocks !== undefined) msg.blocks = blocks;
    msg.updatedAt = Date.now();
    this.emit({ kind: "message_updated", channel: msg.channel, ts: msg.ts });
  }

  deleteMessage(channelId: string, ts: string): boolean {
    const list = this.msgs.get(channelId);
    const i = list?.findIndex((m) => m.ts === ts) ?? -1;
    if (!list || i < 0) return false;
    list.splice(i, 1);
    this.emit({ kind: "message_deleted", channel: channelId, ts });
    return true;
  }

  homeView(userId: string): FakeView | undefined {
    const id = this.homes.get(userId);
    return id === undefined ? undefined : this.views.get(id);
  }

  newComposer(c: Omit<FakeComposer, "unfurlId" | "unfurls">): FakeComposer {
    const composer: FakeComposer = {
      ...c,
      unfurlId: `${c.userId}-${randomBytes(12).toString("hex")}`,
      unfurls: {},
    };
    this.composers.set(composer.unfurlId, composer);
    return composer;
  }

  // ---- trigger ids -------------------------------------------------------------------------

  triggerId(ctx: TriggerContext = {}): string {
    const id = `${Date.now()}.${Math.floor(Math.random() * 1e9)}.${randomBytes(16).toString("hex")}`;
    const userId = ctx.userId ?? this.users.find((u) => !u.isBot)?.id ?? "U0ALICE";
    this.triggers.set(id, { expiresAt: Date.now() + this.triggerTtlMs, used: false, userId });
    return id;
  }

  /** Exchange a trigger id for the user it was minted for, as views.open/push do. */
  useTrigger(id: unknown): string {
    if (typeof id !== "string" || id === "") throw new SlackApiError("invalid_arguments");
    const t = this.triggers.get(id);
    if (!t) throw new SlackApiError("invalid_trigger_id");
    if (t.used) throw new SlackApiError("exchanged_trigger_id");
    if (Date.now() > t.expiresAt) throw new SlackApiError("expired_trigger_id");
    t.used = true;
    return t.userId;
  }

  // ---- views -------------------------------------------------------------------------------

  openView(userId: string): FakeView | undefined {
    const stack = this.stacks.get(userId) ?? [];
    const top = stack[stack.length - 1];
    return top === undefined ? undefined : this.views.get(top);
  }

  findView(viewId: unknown, externalId: unknown): FakeView {
    if (typeof viewId === "string" && viewId !== "") {
      const v = this.views.get(viewId);
      if (!v) throw new SlackApiError("not_found");
      return v;
    }
    if (typeof externalId === "string" && externalId !== "") {
      for (const v of this.views.values()) if (v.externalId === externalId && v.open) return v;
      throw new SlackApiError("not_found");
    }
    throw new SlackApiError("invalid_arguments");
  }

  /** Validate a view; `updating` is the view being replaced (its external_id is no clash). */
  checkView(view: unknown, updating?: string): Json {
    const problem = viewProblem(view);
    if (problem)
      throw new SlackApiError(problem.error, {
        response_metadata: { messages: problem.messages },
      });
    const v = view as Json;
    if (v.external_id) {
      for (const other of this.views.values())
        if (other.open && other.id !== updating && other.externalId === v.external_id)
          throw new SlackApiError("duplicate_external_id");
    }
    return v;
  }

  /** views.open: a new modal stack for the user (an open one is replaced). */
  createRootView(userId: string, input: Json): FakeView {
    for (const id of this.stacks.get(userId) ?? []) this.markClosed(id);
    const id = newViewId();
    const fv = this.makeView(userId, input, id, id, null, [id]);
    this.stacks.set(userId, [id]);
    this.emit({ kind: "view_opened", viewId: id, userId });
    return fv;
  }

  /** views.push / response_action push: a view on top of the user's stack. */
  pushView(userId: string, input: Json): FakeView {
    const stack = this.stacks.get(userId) ?? [];
    const top = stack[stack.length - 1];
    const root = stack[0];
    if (top === undefined || root === undefined) throw new SlackApiError("not_found");
    if (stack.length >= MAX_MODAL_STACK) throw new SlackApiError("push_limit_reached");
    const id = newViewId();
    const fv = this.makeView(userId, input, id, root, top, [...stack, id]);
    stack.push(id);
    this.emit({ kind: "view_opened", viewId: id, userId });
    return fv;
  }

  /** views.update / response_action update: same id, new content and hash, surviving state. */
  updateView(fv: FakeView, input: Json): FakeView {
    const updated = viewOutput(input, {
      ...this.meta(fv.id, fv.rootId, fv.previousId),
      state: fv.view.state?.values,
    });
    // An update that names no external_id keeps the one the view had.
    fv.externalId = input.external_id || fv.externalId;
    updated.external_id = fv.externalId ?? "";
    fv.view = updated;
    fv.hash = updated.hash;
    fv.errors = undefined;
    this.emit({ kind: "view_updated", viewId: fv.id, userId: fv.userId });
    return fv;
  }

  /**
   * The user closed a view (Cancel / X): it and anything pushed above it close, the previous
   * view shows again; with clear_on_close the whole stack closes. Returns the closed ids.
   */
  closeView(viewId: string): string[] {
    const fv = this.views.get(viewId);
    if (!fv?.open) return [];
    const stack = this.stacks.get(fv.userId) ?? [];
    const at = fv.view.clear_on_close ? 0 : Math.max(stack.indexOf(viewId), 0);
    const closed = stack.splice(at);
    for (const id of closed) this.markClosed(id);
    return closed;
  }

  /** Apply a view_submission ack. Returns a problem when Slack would show an error instead. */
  applyViewResponse(viewId: string, ack: Json | undefined): string | undefined {
    const fv = this.views.get(viewId);
    if (!fv) return `no view ${viewId}`;
    const action = ack?.response_action;
    if (action === undefined) {
      this.closeView(viewId);
      return undefined;
    }
    switch (action) {
      case "errors":
        return this.applyErrors(fv, ack?.errors);
      case "update":
      case "push": {
        const problem = viewProblem(ack?.view);
        if (problem) return problem.messages.join("\n");
        if (action === "update") this.updateView(fv, ack?.view);
        else {
          try {
            this.pushView(fv.userId, ack?.view);
          } catch (e) {
            return (e as Error).message;
          }
        }
        return undefined;
      }
      case "clear":
        for (const id of this.stacks.get(fv.userId) ?? []) this.markClosed(id);
        this.stacks.delete(fv.userId);
        return undefined;
      default:
        return `unknown response_action "${String(action)}"`;
    }
  }

  private applyErrors(fv: FakeView, errors: unknown): string | undefined {
    if (typeof errors !== "object" || errors === null) return "errors must be an object";
    const inputIds = new Set(
      (fv.view.blocks as Json[]).filter((b) => b.type === "input").map((b) => b.block_id),
    );
    for (const key of Object.keys(errors)) {
      if (!inputIds.has(key)) return `errors names "${key}", which is not an input block`;
    }
    fv.errors = { ...(errors as Record<string, string>) };
    this.emit({ kind: "view_updated", viewId: fv.id, userId: fv.userId });
    return undefined;
  }

  private makeView(
    userId: string,
    input: Json,
    id: string,
    rootId: string,
    previousId: string | null,
    stack: string[],
  ): FakeView {
    const view = viewOutput(input, this.meta(id, rootId, previousId));
    const fv: FakeView = {
      id,
      hash: view.hash,
      view,
      userId,
      rootId,
      previousId,
      externalId: input.external_id || undefined,
      open: true,
      stack,
    };
    this.views.set(id, fv);
    return fv;
  }

  private meta(id: string, rootId: string, previousId: string | null) {
    return {
      id,
      hash: newHash(),
      teamId: TEAM.id,
      appId: BOT.appId,
      botId: BOT.botId,
      rootId,
      previousId,
    };
  }

  private markClosed(id: string): void {
    const fv = this.views.get(id);
    if (!fv?.open) return;
    fv.open = false;
    this.emit({ kind: "view_closed", viewId: id, userId: fv.userId });
  }

  // ---- response_url ------------------------------------------------------------------------

  newResponseUrl(ctx: ResponseUrlContext): string {
    const id = randomBytes(12).toString("hex");
    this.responseUrls.set(id, {
      ctx,
      uses: 0,
      expiresAt: Date.now() + RESPONSE_URL_TTL_MS,
      originalTs: ctx.messageTs,
    });
    return id;
  }

  /** A post to a response_url, with Slack's semantics for response_type and *_original. */
  postToResponseUrl(id: string, body: unknown, opts = { countUse: true }): ResponseUrlResult {
    const state = this.responseUrls.get(id);
    if (!state) return { status: 404, text: "invalid_url" };
    if (Date.now() > state.expiresAt) return { status: 404, text: "expired_url" };
    if (opts.countUse && state.uses >= RESPONSE_URL_USES) return { status: 404, text: "used_url" };
    if (typeof body !== "object" || body === null) return { status: 400, text: "invalid_payload" };
    if (opts.countUse) state.uses += 1;
    const b = body as Json;
    const { channelId, userId } = state.ctx;
    const original = state.originalTs ? this.message(channelId, state.originalTs) : undefined;
    if (b.delete_original === true || b.delete_original === "true") {
      if (!original) return { status: 404, text: "message_not_found" };
      this.deleteMessage(channelId, original.ts);
      state.originalTs = undefined;
      return { status: 200, text: "ok" };
    }
    if (b.text === undefined && b.blocks === undefined) return { status: 400, text: "no_text" };
    const problem = checkMessage({ text: b.text, blocks: b.blocks }).problems[0];
    if (problem) return { status: 400, text: problem.error };
    const text = typeof b.text === "string" ? b.text : "";
    if (b.replace_original === true || b.replace_original === "true") {
      if (original) {
        this.replaceMessage(original, text, b.blocks ?? []);
        return { status: 200, text: "ok" };
      }
    }
    const ephemeral = b.response_type !== "in_channel";
    const msg = this.addMessage({
      channel: channelId,
      user: BOT.userId,
      bot: true,
      text,
      blocks: b.blocks ?? [],
      ephemeralTo: ephemeral ? userId : undefined,
      threadTs: typeof b.thread_ts === "string" ? b.thread_ts : undefined,
    });
    state.originalTs = msg.ts;
    return { status: 200, text: "ok" };
  }
}
