import type { EventEmitter } from "node:events";
import type { Server } from "node:http";

/** Loose JSON object: payloads and Block Kit as Slack sends and receives them. */
// biome-ignore lint/suspicious/noExplicitAny: Slack payloads are free-form JSON
export type Json = Record<string, any>;

export interface FakeUser {
  id: string;
  name: string;
  realName: string;
  email?: string | undefined;
  tz: string;
  isBot?: boolean | undefined;
  deleted?: boolean | undefined;
}

export interface FakeChannel {
  id: string;
  name: string;
  isPrivate?: boolean | undefined;
  /** A direct message between the bot and `imUser`. */
  isIm?: boolean | undefined;
  imUser?: string | undefined;
  /** Whether the bot user is a member (can post without joining). */
  botMember: boolean;
  /** Human members (user ids). */
  members: string[];
}

export interface FakeMessage {
  ts: string;
  channel: string;
  /** Author: a user id, or the bot's user id for bot messages. */
  user?: string | undefined;
  bot?: boolean | undefined;
  text: string;
  blocks: Json[];
  /** Set for an ephemeral message: the only user who sees it. */
  ephemeralTo?: string | undefined;
  threadTs?: string | undefined;
  /** ms since epoch of the last chat.update / replace_original. */
  updatedAt?: number | undefined;
  /** Message state (inputs in message blocks), as sent in block_actions. */
  state: { values: Json };
  /** App unfurls attached by chat.unfurl, keyed by the exact URL (a later call replaces one). */
  unfurls?: Record<string, Json> | undefined;
}

/** Links typed in a user's message composer, shared with the app before the message is sent. */
export interface FakeComposer {
  unfurlId: string;
  userId: string;
  /** Where the composer is (the channel the user is writing in). */
  channel: string;
  text: string;
  urls: string[];
  /** What chat.unfurl attached, keyed by URL. */
  unfurls: Record<string, Json>;
  /** chat.unfurl's user_auth_* prompt, shown to the composer's user only. */
  authPrompt?: { text?: string | undefined; blocks?: Json[] | undefined } | undefined;
}

export interface FakeView {
  id: string;
  hash: string;
  /** The view as Slack returns it: as sent plus id, hash, state, root/previous ids. */
  view: Json;
  userId: string;
  rootId: string;
  previousId: string | null;
  externalId?: string | undefined;
  open: boolean;
  /** Ids of the modal stack this view belongs to, root first, up to and including this view. */
  stack: string[];
  /** From the last `response_action: "errors"`; cleared on update. */
  errors?: Record<string, string> | undefined;
}

export interface HttpFailure {
  status: number;
  retryAfterSec?: number | undefined;
  times?: number | undefined;
}

export interface ApiCall {
  method: string;
  /** Parsed arguments (form fields with JSON fields decoded, or the JSON body), token removed. */
  args: Json;
  at: number;
  response: Json;
}

export interface ResponseUrlPost {
  /** The response_url id (last path segment). */
  id: string;
  body: Json;
  at: number;
  /** HTTP status the fake answered with. */
  status: number;
}

export interface ResponseUrlContext {
  channelId: string;
  userId: string;
  /** The message the URL belongs to (block_actions); absent for slash commands. */
  messageTs?: string | undefined;
}

export interface TriggerContext {
  userId?: string | undefined;
}

export type ChangeEvent =
  | { kind: "message"; channel: string; ts: string }
  | { kind: "ephemeral"; channel: string; ts: string; userId: string }
  | { kind: "message_updated"; channel: string; ts: string }
  | { kind: "message_deleted"; channel: string; ts: string }
  | { kind: "view_opened"; viewId: string; userId: string }
  | { kind: "view_updated"; viewId: string; userId: string }
  | { kind: "view_closed"; viewId: string; userId: string }
  | { kind: "channel_joined"; channel: string }
  | { kind: "home_published"; userId: string; viewId: string }
  | { kind: "composer_unfurled"; unfurlId: string; userId: string }
  | { kind: "reset" };

export interface FakeSlack {
  /** "http://127.0.0.1:PORT/api/": pass as clientOptions.slackApiUrl. */
  apiUrl: string;
  url: string;
  botToken: string;
  botUserId: string;
  botId: string;
  teamId: string;
  teamDomain: string;
  server: Server;
  calls: ApiCall[];
  callsTo(method: string): ApiCall[];
  waitFor(pred: (c: ApiCall) => boolean, timeoutMs?: number): Promise<ApiCall>;
  responses: ResponseUrlPost[];
  waitForResponse(
    pred?: (r: ResponseUrlPost) => boolean,
    timeoutMs?: number,
  ): Promise<ResponseUrlPost>;
  newResponseUrl(ctx: ResponseUrlContext): string;
  /**
   * A person posts a message (what a test or the playground's composer says in a channel, so
   * that a message shortcut can be used on it). Throws when they are not in the channel.
   */
  postAsUser(
    channelId: string,
    userId: string,
    text: string,
    opts?: { blocks?: Json[]; threadTs?: string },
  ): FakeMessage;
  messages(channelId: string): FakeMessage[];
  message(channelId: string, ts: string): FakeMessage | undefined;
  views: Map<string, FakeView>;
  openView(userId: string): FakeView | undefined;
  triggerId(ctx?: TriggerContext): string;
  users: FakeUser[];
  channels: FakeChannel[];
  user(id: string): FakeUser | undefined;
  channel(id: string): FakeChannel | undefined;
  events: EventEmitter;
  failNext(method: string, error: string): void;
  /**
   * Answer the next `times` (default 1) calls to `method` with an HTTP error instead: a 503, or
   * a 429 with `Retry-After: retryAfterSec`. The calls are recorded with `response.status`.
   */
  failHttp(method: string, failure: HttpFailure): void;
  /** Apply a view_submission's ack (response_action) as Slack would; used by the driver. */
  applyViewResponse(viewId: string, ack: Json | undefined): string | undefined;
  /**
   * Show a slash command's ack body as Slack does (an ephemeral reply, or in_channel), in the
   * command's channel; does not use up the response_url. Returns a problem, if Slack would fail.
   */
  applyCommandAck(responseUrl: string, body: Json): string | undefined;
  /** The user's published Home tab (views.publish), if any. */
  homeView(userId: string): FakeView | undefined;
  /** A message a person (not the app) posts, e.g. one with links to unfurl. */
  postUserMessage(m: {
    channel: string;
    user: string;
    text: string;
    threadTs?: string;
  }): FakeMessage;
  /** Links typed in `userId`'s composer: the unfurl_id chat.unfurl answers to. */
  newComposer(c: { userId: string; channel: string; text: string; urls: string[] }): FakeComposer;
  composer(unfurlId: string): FakeComposer | undefined;
  /** Close a view (the user pressed Cancel / X); returns the closed ids. */
  closeView(viewId: string): string[];
  reset(): void;
  close(): Promise<void>;
}
