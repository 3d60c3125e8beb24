import {
  eventEnvelope,
  globalShortcutPayload,
  homeOpenedEvent,
  linkSharedEvent,
  linksIn,
  newEventId,
  onDomains,
} from "./event-payloads.ts";
import { messageJson } from "./methods.ts";
import {
  actionTs,
  basePayload,
  channelName,
  messageSurface,
  type PayloadContext,
  VERIFICATION_TOKEN,
  viewSurface,
} from "./payloads.ts";
import { ALICE, BOT } from "./seed.ts";
import { signSlackRequest } from "./signing.ts";
import {
  clientProblems,
  findElement,
  fullState,
  isStateful,
  type StateInput,
  toStateValue,
} from "./state.ts";
import type { FakeComposer, FakeMessage, FakeSlack, FakeView, Json } from "./types.ts";

export { signSlackRequest } from "./signing.ts";
export type { StateInput } from "./state.ts";

export interface SlackDriverOptions {
  /** The bot's events endpoint, e.g. http://127.0.0.1:PORT/slack/events */
  botUrl: string;
  signingSecret: string;
  slack: FakeSlack;
  teamId?: string;
  /** The acting user's own team, when not `teamId` (a Slack Connect guest in a shared channel). */
  userTeamId?: string;
  appId?: string;
  /** Who acts when a call names no user. Default U0ALICE. */
  defaultUser?: string;
  /** Slack gives up on an ack after 3 s and ignores its body; so does the driver. */
  ackTimeoutMs?: number;
  /** The app's `unfurl_domains`: links on them in messages reach the app as link_shared. */
  unfurlDomains?: string[];
}

/** A signed Events API delivery and its answer. */
export interface EventResult extends DriverResult {
  eventId: string;
  envelope: Json;
}

export interface EventOptions {
  /** Reuse an event id (Slack's retries carry the first delivery's). */
  eventId?: string | undefined;
  /** Sent as X-Slack-Retry-Num (and X-Slack-Retry-Reason, default http_timeout). */
  retryNum?: number | undefined;
  retryReason?: string | undefined;
}

/** The bot's HTTP answer (the ack). */
export interface DriverResult {
  status: number;
  /** Parsed JSON when the answer is JSON, else the text. */
  // biome-ignore lint/suspicious/noExplicitAny: whatever the bot answered
  body: any;
  text: string;
  /** How long the bot took to answer. */
  ms: number;
  /** Answered after ackTimeoutMs: Slack would have shown the user an error. */
  late: boolean;
}

export interface CommandResult extends DriverResult {
  responseUrl: string;
  triggerId: string;
  /** Set when Slack could not show the ack body (e.g. invalid blocks). */
  ackProblem?: string | undefined;
}

export interface SubmitResult extends DriverResult {
  /** Set when Slack would reject the response_action (bad errors keys, invalid view…). */
  viewProblem?: string | undefined;
}

export interface SuggestResult extends DriverResult {
  options?: Json[] | undefined;
  optionGroups?: Json[] | undefined;
  /** Set when the answer breaks Slack's rules for options. */
  problem?: string | undefined;
}

export type Target =
  | { channel: string; ts: string }
  /** An app unfurl of `unfurl` (the exact URL) attached to a message. */
  | { channel: string; ts: string; unfurl: string }
  | { viewId: string }
  | { ephemeral: FakeMessage };

interface UserOpt {
  user?: string | undefined;
}

/** Plays Slack's side toward the bot: signed slash commands and interaction payloads. */
export class SlackDriver {
  readonly botUrl: string;
  readonly slack: FakeSlack;
  readonly teamId: string;
  readonly userTeamId: string | undefined;
  readonly appId: string;
  readonly defaultUser: string;
  readonly ackTimeoutMs: number;
  readonly unfurlDomains: readonly string[];
  private readonly signingSecret: string;

  constructor(opts: SlackDriverOptions) {
    this.botUrl = opts.botUrl;
    this.signingSecret = opts.signingSecret;
    this.slack = opts.slack;
    this.teamId = opts.teamId ?? opts.slack.teamId;
    this.userTeamId = opts.userTeamId;
    this.appId = opts.appId ?? BOT.appId;
    this.defaultUser = opts.defaultUser ?? ALICE.id;
    this.ackTimeoutMs = opts.ackTimeoutMs ?? 3000;
    this.unfurlDomains = opts.unfurlDomains ?? [];
  }

  /** A signed Events API delivery of `event` (a retry when `retryNum` is set). */
  async event(event: Json, opts: EventOptions = {}): Promise<EventResult> {
    const eventId = opts.eventId ?? newEventId();
    const envelope = eventEnvelope(this.ctx(this.defaultUser), event, eventId);
    const headers: Record<string, string> = {};
    let timestamp: number | undefined;
    if (opts.retryNum !== undefined) {
      headers["X-Slack-Retry-Num"] = String(opts.retryNum);
      headers["X-Slack-Retry-Reason"] = opts.retryReason ?? "http_timeout";
      // Slack retries later, so the signature differs; a retry in the same second as the first
      // delivery would be a byte-identical replay, which the bot refuses before any de-dup.
      timestamp = Math.floor(Date.now() / 1000) + opts.retryNum;
    }
    const res = await this.signedPost(JSON.stringify(envelope), "application/json", {
      headers,
      ...(timestamp ? { timestamp } : {}),
    });
    return { ...res, eventId, envelope };
  }

  /**
   * `user` posts `text` in `channel` (in a thread with `threadTs`). Links on the app's unfurl
   * domains reach the app as one link_shared event, as in Slack.
   */
  async say(
    text: string,
    opts: UserOpt & { channel?: string; threadTs?: string; unfurlDomains?: string[] } = {},
  ): Promise<{ message: FakeMessage; shared?: EventResult | undefined }> {
    const user = this.userOf(opts.user);
    const message = this.slack.postUserMessage({
      channel: opts.channel ?? "C0OPS",
      user: user.id,
      text,
      ...(opts.threadTs ? { threadTs: opts.threadTs } : {}),
    });
    const urls = linksIn(text).filter((u) =>
      onDomains(u, opts.unfurlDomains ?? this.unfurlDomains),
    );
    if (urls.length === 0) return { message };
    const channel = this.slack.channel(message.channel);
    const event = linkSharedEvent({
      user: user.id,
      channel: message.channel,
      messageTs: message.ts,
      urls,
      unfurlId: `${message.channel}.${message.ts}.${newEventId()}`,
      source: "conversations_history",
      threadTs: opts.threadTs,
      isBotUserMember: Boolean(channel?.botMember),
    });
    return { message, shared: await this.event(event) };
  }

  /** `user` types `text` into the composer in `channel`: its app links go out as link_shared. */
  async compose(
    text: string,
    opts: UserOpt & { channel?: string; unfurlDomains?: string[] } & EventOptions = {},
  ): Promise<{ composer?: FakeComposer | undefined; shared?: EventResult | undefined }> {
    const user = this.userOf(opts.user);
    const urls = linksIn(text).filter((u) =>
      onDomains(u, opts.unfurlDomains ?? this.unfurlDomains),
    );
    if (urls.length === 0) return {};
    const channel = this.slack.channel(opts.channel ?? "C0OPS");
    if (!channel) throw new Error(`fake slack: no channel ${opts.channel}`);
    const composer = this.slack.newComposer({ userId: user.id, channel: channel.id, text, urls });
    const event = linkSharedEvent({
      user: user.id,
      channel: "COMPOSER",
      messageTs: composer.unfurlId,
      urls,
      unfurlId: composer.unfurlId,
      source: "composer",
      isBotUserMember: channel.botMember,
    });
    return { composer, shared: await this.event(event, opts) };
  }

  /** `user` opens the app's Home tab (or `tab: "messages"`). */
  async openHome(opts: UserOpt & { tab?: string } & EventOptions = {}): Promise<EventResult> {
    const user = this.userOf(opts.user);
    const dm = this.slack.channel(user.id);
    const home = this.slack.homeView(user.id);
    return this.event(homeOpenedEvent(user.id, dm?.id ?? "", opts.tab ?? "home", home), opts);
  }

  /** A global shortcut chosen from the shortcuts menu. */
  async shortcut(callbackId: string, opts: UserOpt = {}): Promise<DriverResult> {
    const user = this.userOf(opts.user);
    const trigger = this.slack.triggerId({ userId: user.id });
    return this.postPayload(globalShortcutPayload(this.ctx(user.id), callbackId, trigger));
  }

  /**
   * `/tallyfy <text>` typed by `user` in `channel`. Like Slack, &, < and > in the text arrive
   * HTML-escaped (pass `escape: false` to send it raw). An ack body is shown as Slack shows it.
   */
  async command(
    text: string,
    opts: UserOpt & { channel?: string; command?: string; escape?: boolean } = {},
  ): Promise<CommandResult> {
    const user = this.userOf(opts.user);
    const channel = this.slack.channel(opts.channel ?? "C0OPS");
    if (!channel) throw new Error(`fake slack: no channel ${opts.channel}`);
    const responseUrl = this.slack.newResponseUrl({ channelId: channel.id, userId: user.id });
    const triggerId = this.slack.triggerId({ userId: user.id });
    const form = new URLSearchParams({
      token: VERIFICATION_TOKEN,
      team_id: this.teamId,
      team_domain: this.slack.teamDomain,
      channel_id: channel.id,
      channel_name: channelName(channel),
      user_id: user.id,
      user_name: user.name,
      command: opts.command ?? "/tallyfy",
      text: opts.escape === false ? text : escapeLikeSlack(text),
      api_app_id: this.appId,
      is_enterprise_install: "false",
      response_url: responseUrl,
      trigger_id: triggerId,
    });
    const res = await this.postForm(form);
    let ackProblem: string | undefined;
    if (res.status === 200 && !res.late && res.text !== "") {
      const body = typeof res.body === "string" ? { text: res.body } : res.body;
      ackProblem = this.slack.applyCommandAck(responseUrl, body);
    }
    return { ...res, responseUrl, triggerId, ackProblem };
  }

  /**
   * The user picks the app's message shortcut `callbackId` from a message's "More actions"
   * menu: a message_action payload with the whole message, a trigger_id and a response_url
   * for the message's channel. `message` overrides fields of the message as sent (e.g.
   * `{ text: undefined }` for a message without text). Slack offers shortcuts only on messages
   * everyone sees, not on ephemeral ones.
   */
  async messageShortcut(
    target: { channel: string; ts: string },
    callbackId: string,
    opts: UserOpt & { message?: Json } = {},
  ): Promise<CommandResult> {
    const msg = this.slack.message(target.channel, target.ts);
    if (!msg) throw new Error(`fake slack: no message ${target.channel}/${target.ts}`);
    if (msg.ephemeralTo) throw new Error("fake slack: no shortcuts on an ephemeral message");
    const user = this.userOf(opts.user);
    const channel = this.slack.channel(msg.channel);
    const responseUrl = this.slack.newResponseUrl({ channelId: msg.channel, userId: user.id });
    const triggerId = this.slack.triggerId({ userId: user.id });
    const payload = {
      ...basePayload("message_action", this.ctx(user.id)),
      callback_id: callbackId,
      trigger_id: triggerId,
      response_url: responseUrl,
      message_ts: msg.ts,
      action_ts: actionTs(),
      channel: { id: msg.channel, name: channel ? channelName(channel) : msg.channel },
      message: { ...messageJson(msg), ...opts.message },
    };
    const res = await this.postPayload(payload);
    return { ...res, responseUrl, triggerId };
  }

  /** Click the button `actionId` (narrowed by blockId/value) on a message, ephemeral or view. */
  async clickButton(
    target: Target,
    actionId: string,
    opts: UserOpt & { blockId?: string; value?: string } = {},
  ): Promise<DriverResult> {
    const surface = this.surface(target, opts.user);
    const found = findElement(surface.blocks, actionId, { ...opts, type: "button" });
    const { element } = found;
    const action: Json = {
      action_id: element.action_id,
      block_id: found.block.block_id,
      text: element.text,
      ...(element.value !== undefined ? { value: element.value } : {}),
      ...(element.url !== undefined ? { url: element.url } : {}),
      ...(element.style !== undefined ? { style: element.style } : {}),
      type: "button",
      action_ts: actionTs(),
    };
    return this.postBlockActions(surface, action);
  }

  /**
   * Choose a value in a select, date picker, checkbox group, overflow… The element's state is
   * updated; a block_actions payload is sent only where Slack sends one (not for input blocks
   * without dispatch_action), otherwise this resolves to undefined.
   */
  async selectOption(
    target: Target,
    actionId: string,
    choice: StateInput,
    opts: UserOpt & { blockId?: string } = {},
  ): Promise<DriverResult | undefined> {
    const surface = this.surface(target, opts.user);
    const found = findElement(surface.blocks, actionId, { blockId: opts.blockId });
    if (found.element.type === "button") throw new Error("fake slack: use clickButton for buttons");
    const value = toStateValue(found.element, choice);
    if (isStateful(found.element)) {
      surface.state[found.block.block_id] ??= {};
      surface.state[found.block.block_id][found.element.action_id] = value;
    }
    if (found.place === "input" && !found.block.dispatch_action) return undefined;
    const action: Json = {
      ...value,
      action_id: found.element.action_id,
      block_id: found.block.block_id,
      action_ts: actionTs(),
    };
    return this.postBlockActions(surface, action);
  }

  /**
   * Submit a modal. `values` overlays what the user typed (block_id -> action_id -> value);
   * untouched inputs carry their initial values, as in Slack. The Slack client refuses to submit
   * with empty required inputs; so does this, with an Error, unless `skipClientValidation`.
   * The ack's response_action is then applied to the view model.
   */
  async submitView(
    viewId: string,
    values: Record<string, Record<string, StateInput>> = {},
    opts: UserOpt & { skipClientValidation?: boolean } = {},
  ): Promise<SubmitResult> {
    const fv = this.openViewOrThrow(viewId);
    const user = this.userOf(opts.user ?? fv.userId);
    const blocks = fv.view.blocks as Json[];
    const state = fullState(blocks, fv.view.state.values);
    for (const [blockId, byAction] of Object.entries(values)) {
      for (const [actionId, input] of Object.entries(byAction)) {
        const { element } = findElement(blocks, actionId, { blockId });
        state[blockId] ??= {};
        state[blockId][actionId] = toStateValue(element, input);
      }
    }
    if (!opts.skipClientValidation) {
      const problems = clientProblems(blocks, state);
      if (problems.length > 0)
        throw new Error(`fake slack: Slack would not submit ${fv.id}: ${problems.join("; ")}`);
    }
    fv.view.state = { values: state };
    const ctx = this.ctx(user.id);
    const payload = {
      ...basePayload("view_submission", ctx),
      trigger_id: this.slack.triggerId({ userId: user.id }),
      view: fv.view,
      response_urls: this.responseUrls(blocks, state, user.id),
    };
    const res = await this.postPayload(payload);
    if (res.status !== 200 || res.late)
      return { ...res, viewProblem: `ack failed (${res.status})` };
    const ack = res.text === "" ? undefined : res.body;
    if (ack !== undefined && typeof ack !== "object")
      return { ...res, viewProblem: "ack body is not JSON" };
    return { ...res, viewProblem: this.slack.applyViewResponse(fv.id, ack) };
  }

  /** The user closes the modal; view_closed goes to the bot only if notify_on_close. */
  async closeView(viewId: string, opts: UserOpt = {}): Promise<DriverResult | undefined> {
    const fv = this.openViewOrThrow(viewId);
    const user = this.userOf(opts.user ?? fv.userId);
    const view = fv.view;
    const closed = this.slack.closeView(viewId);
    if (!view.notify_on_close) return undefined;
    const payload = {
      ...basePayload("view_closed", this.ctx(user.id)),
      view,
      is_cleared: closed.length > 1,
    };
    return this.postPayload(payload);
  }

  /**
   * The user types `value` into an external select: block_suggestion. Resolves to undefined
   * when Slack would not ask yet (shorter than min_query_length, default 3).
   */
  async suggest(
    target: string | Target,
    actionId: string,
    blockId: string,
    value: string,
    opts: UserOpt = {},
  ): Promise<SuggestResult | undefined> {
    const t: Target = typeof target === "string" ? { viewId: target } : target;
    const surface = this.surface(t, opts.user);
    const { element } = findElement(surface.blocks, actionId, { blockId });
    if (element.type !== "external_select" && element.type !== "multi_external_select")
      throw new Error(`fake slack: ${actionId} is a ${element.type}, not an external select`);
    if (value.length < (element.min_query_length ?? 3)) return undefined;
    const { response_url: _unused, state: _s, ...where } = surface.payload;
    const payload = {
      ...basePayload("block_suggestion", this.ctx(surface.userId)),
      ...where,
      action_id: actionId,
      block_id: blockId,
      value,
    };
    const res = await this.postPayload(payload);
    const body = typeof res.body === "object" && res.body !== null ? (res.body as Json) : {};
    return {
      ...res,
      options: body.options,
      optionGroups: body.option_groups,
      problem: res.status === 200 ? optionsProblem(body) : `status ${res.status}`,
    };
  }

  /** A raw signed POST (forge `signature` or use a stale `timestamp` to test verification). */
  async signedPost(
    body: string,
    contentType: string,
    opts: { timestamp?: number; signature?: string; headers?: Record<string, string> } = {},
  ): Promise<DriverResult> {
    const timestamp = opts.timestamp ?? Math.floor(Date.now() / 1000);
    const signature = opts.signature ?? signSlackRequest(this.signingSecret, timestamp, body);
    const started = performance.now();
    const res = await fetch(this.botUrl, {
      method: "POST",
      headers: {
        "Content-Type": contentType,
        "X-Slack-Request-Timestamp": String(timestamp),
        "X-Slack-Signature": signature,
        "User-Agent": "Slackbot 1.0 (+https://api.slack.com/robots)",
        ...opts.headers,
      },
      body,
    });
    const text = await res.text();
    const ms = performance.now() - started;
    let parsed: unknown = text;
    if ((res.headers.get("content-type") ?? "").includes("json") && text !== "") {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = text;
      }
    }
    return { status: res.status, body: parsed, text, ms, late: ms > this.ackTimeoutMs };
  }

  // ---- internals ---------------------------------------------------------------------------

  private postForm(form: URLSearchParams): Promise<DriverResult> {
    return this.signedPost(form.toString(), "application/x-www-form-urlencoded");
  }

  /** Interactivity payloads travel as a form with one field, payload=<json>. */
  private postPayload(payload: Json): Promise<DriverResult> {
    return this.postForm(new URLSearchParams({ payload: JSON.stringify(payload) }));
  }

  private postBlockActions(surface: Surface, action: Json): Promise<DriverResult> {
    const payload = {
      ...basePayload("block_actions", this.ctx(surface.userId)),
      ...surface.payload,
      trigger_id: this.slack.triggerId({ userId: surface.userId }),
      actions: [action],
    };
    return this.postPayload(payload);
  }

  private surface(target: Target, userOpt: string | undefined): Surface {
    if ("viewId" in target) {
      const fv = this.openViewOrThrow(target.viewId);
      const userId = this.userOf(userOpt ?? fv.userId).id;
      if (userId !== fv.userId) throw new Error(`fake slack: ${userId} cannot see view ${fv.id}`);
      return {
        blocks: fv.view.blocks,
        state: fv.view.state.values,
        userId,
        payload: viewSurface(fv),
      };
    }
    const ref = "ephemeral" in target ? target.ephemeral : target;
    const msg = this.slack.message(ref.channel, ref.ts);
    if (!msg) throw new Error(`fake slack: no message ${ref.channel}/${ref.ts}`);
    if ("unfurl" in target) return this.unfurlSurface(msg, target.unfurl, userOpt);
    const userId = this.userOf(userOpt ?? msg.ephemeralTo).id;
    if (msg.ephemeralTo && msg.ephemeralTo !== userId)
      throw new Error(`fake slack: ${userId} cannot see ${msg.ephemeralTo}'s ephemeral message`);
    const ctx = this.ctx(userId);
    return {
      blocks: msg.blocks,
      state: msg.state.values,
      userId,
      payload: messageSurface(ctx, msg),
    };
  }

  /** Buttons in an app unfurl: Slack says "message_attachment" and names the URL. */
  private unfurlSurface(msg: FakeMessage, url: string, userOpt: string | undefined): Surface {
    const unfurl = msg.unfurls?.[url];
    if (!unfurl) throw new Error(`fake slack: no unfurl of ${url} on ${msg.channel}/${msg.ts}`);
    const userId = this.userOf(userOpt).id;
    const base = messageSurface(this.ctx(userId), msg);
    return {
      blocks: unfurl.blocks ?? [],
      state: {},
      userId,
      payload: {
        ...base,
        container: {
          type: "message_attachment",
          message_ts: msg.ts,
          attachment_id: 1,
          channel_id: msg.channel,
          is_ephemeral: false,
          is_app_unfurl: true,
          app_unfurl_url: url,
        },
      },
    };
  }

  private openViewOrThrow(viewId: string): FakeView {
    const fv = this.slack.views.get(viewId);
    if (!fv?.open) throw new Error(`fake slack: view ${viewId} is not open`);
    return fv;
  }

  private userOf(id: string | undefined) {
    const userId = id ?? this.defaultUser;
    const user = this.slack.user(userId);
    if (!user) throw new Error(`fake slack: no user ${userId}`);
    return user;
  }

  private ctx(userId: string): PayloadContext {
    return {
      slack: this.slack,
      teamId: this.teamId,
      userTeamId: this.userTeamId,
      appId: this.appId,
      user: this.userOf(userId),
    };
  }

  /** response_url_enabled conversation selects give the view_submission a response_url. */
  private responseUrls(blocks: Json[], state: Json, userId: string): Json[] {
    const urls: Json[] = [];
    for (const block of blocks) {
      const e = block.element;
      if (block.type !== "input" || !e?.response_url_enabled) continue;
      const v = state[block.block_id]?.[e.action_id];
      const channelId = v?.selected_conversation ?? v?.selected_channel;
      if (typeof channelId !== "string") continue;
      const response_url = this.slack.newResponseUrl({ channelId, userId });
      urls.push({
        block_id: block.block_id,
        action_id: e.action_id,
        channel_id: channelId,
        response_url,
      });
    }
    return urls;
  }
}

interface Surface {
  blocks: Json[];
  /** Live state.values of the message or view (the driver writes selections into it). */
  state: Json;
  userId: string;
  payload: Json;
}

/** Slack sends user text with &, < and > as HTML entities. */
export function escapeLikeSlack(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function optionsProblem(body: Json): string | undefined {
  const groups: Json[] | undefined = body.option_groups;
  const lists: unknown[] = groups ? groups.map((g) => g.options) : [body.options];
  if (groups && groups.length > 100) return "more than 100 option_groups";
  for (const list of lists) {
    if (!Array.isArray(list)) return "options missing";
    if (list.length > 100) return "more than 100 options";
    for (const o of list as Json[]) {
      if (o?.text?.type !== "plain_text" || typeof o.text.text !== "string")
        return "option text must be plain_text";
      if (o.text.text.length > 75) return `option text longer than 75: ${o.text.text}`;
      if (typeof o.value !== "string" || o.value.length > 150)
        return `bad option value: ${o.value}`;
    }
  }
  return undefined;
}
