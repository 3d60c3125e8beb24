/**
 * chat.postMessage, chat.update and conversations.join for status cards, as JSON straight over
 * undici. Bolt's Web API client costs a card more than the rest of its post: a request queue,
 * a retry wrapper, the blocks form-encoded, a WHATWG Response, and the whole call deep-copied
 * and JSON-encoded for debug lines at any log level. In issue 18's bench those were ~10% of
 * the bot's CPU in a burst of cards. The answer is read whole, without a stream
 * (requestBytes), and the message it echoes back is never parsed (answer-fields.ts). Same
 * behaviour as the bot's Web API clients (clients.ts): the same bounded retries and attempt
 * timeout, a short Retry-After waited once, and failures shaped like @slack/web-api's (`code`,
 * and `data.error` for Slack's own error).
 */
import { type Dispatcher, getGlobalDispatcher } from "undici";
import { requestBytes, textOf } from "../http/request-text.ts";
import { fieldsWithout } from "./answer-fields.ts";
import { SLACK_ATTEMPT_TIMEOUT_MS, SLACK_RETRY, shortRetryAfterSec } from "./clients.ts";

export interface CardPost {
  channel: string;
  text: string;
  blocks: unknown[];
  thread_ts?: string;
  unfurl_links?: boolean;
}

export interface CardUpdate {
  channel: string;
  ts: string;
  text: string;
  blocks: unknown[];
}

/** The part of a Web API client a card needs; a WebClient is one too. */
export interface CardChat {
  chat: {
    postMessage(args: CardPost): Promise<{ channel?: string; ts?: string }>;
    update(args: CardUpdate): Promise<unknown>;
  };
  conversations: { join(args: { channel: string }): Promise<unknown> };
}

/** A failed call, shaped as @slack/web-api's errors are (slackErrorCode, slackProblem read it). */
export class SlackCallError extends Error {
  readonly code: string;
  readonly data?: { ok: false; error?: string };
  readonly statusCode?: number;
  readonly retryAfter?: number;
  constructor(
    code: string,
    message: string,
    extra: { data?: { ok: false; error?: string }; statusCode?: number; retryAfter?: number } = {},
    cause?: unknown,
  ) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = "SlackCallError";
    this.code = code;
    if (extra.data) this.data = extra.data;
    if (extra.statusCode !== undefined) this.statusCode = extra.statusCode;
    if (extra.retryAfter !== undefined) this.retryAfter = extra.retryAfter;
  }
}

export interface CardChatOptions {
  /** Web API base, e.g. https://slack.com/api/ (SLACK_API_URL). */
  apiUrl?: string | undefined;
  token: string;
  dispatcher?: Dispatcher;
  /** For tests: how the waits between attempts are slept. */
  sleep?: (ms: number) => Promise<void>;
}

const DEFAULT_API_URL = "https://slack.com/api/";

export function createCardChat(opts: CardChatOptions): CardChat {
  const base = new URL((opts.apiUrl ?? DEFAULT_API_URL).replace(/\/*$/, "/"));
  const dispatcher = opts.dispatcher ?? getGlobalDispatcher();
  const sleep = opts.sleep ?? ((ms: number) => new Promise((r) => setTimeout(r, ms)));
  const headers = {
    authorization: `Bearer ${opts.token}`,
    "content-type": "application/json; charset=utf-8",
  };

  const backoff = (retry: number) => {
    const ms = Math.min(
      SLACK_RETRY.maxTimeout,
      SLACK_RETRY.minTimeout * SLACK_RETRY.factor ** retry,
    );
    return SLACK_RETRY.randomize ? ms * (1 + Math.random()) : ms;
  };

  async function call(method: string, args: object): Promise<Record<string, unknown>> {
    // Bytes, not a string: held outside the JS heap while the post waits for its answer.
    const body = Buffer.from(JSON.stringify(args));
    let retries = 0;
    let waitedOut429 = false;
    for (;;) {
      let status: number;
      let bytes: Buffer;
      let retryAfter: string | string[] | undefined;
      try {
        const res = await requestBytes(dispatcher, {
          origin: base.origin,
          path: `${base.pathname}${method}`,
          method: "POST",
          headers,
          body,
          headersTimeout: SLACK_ATTEMPT_TIMEOUT_MS,
          bodyTimeout: SLACK_ATTEMPT_TIMEOUT_MS,
        });
        status = res.statusCode;
        retryAfter = res.headers["retry-after"];
        bytes = res.bytes;
      } catch (error) {
        if (retries < SLACK_RETRY.retries) {
          await sleep(backoff(retries++));
          continue;
        }
        throw new SlackCallError(
          "slack_webapi_request_error",
          `A request error occurred: ${(error as Error).message}`,
          {},
          error,
        );
      }
      if (status === 429) {
        const wait = shortRetryAfterSec(retryAfter);
        if (!waitedOut429 && wait !== undefined) {
          waitedOut429 = true;
          await sleep(wait * 1000);
          continue;
        }
        const sec = Number(Array.isArray(retryAfter) ? retryAfter[0] : retryAfter);
        throw new SlackCallError(
          "slack_webapi_rate_limited_error",
          "A rate-limit has been reached",
          Number.isFinite(sec) ? { retryAfter: sec } : {},
        );
      }
      if (status >= 500 && retries < SLACK_RETRY.retries) {
        await sleep(backoff(retries++));
        continue;
      }
      if (status !== 200) {
        throw new SlackCallError(
          "slack_webapi_http_error",
          `An HTTP protocol error occurred: statusCode = ${status}`,
          {
            statusCode: status,
          },
        );
      }
      let answer: Record<string, unknown>;
      try {
        answer = fieldsWithout(bytes, "message") ?? wholeAnswer(bytes);
      } catch (error) {
        throw new SlackCallError(
          "slack_webapi_request_error",
          "Slack's answer was not JSON",
          {},
          error,
        );
      }
      if (answer.ok !== true) {
        const code = typeof answer.error === "string" ? answer.error : undefined;
        throw new SlackCallError(
          "slack_webapi_platform_error",
          `An API error occurred: ${code ?? "unknown"}`,
          {
            data: code === undefined ? { ok: false } : { ok: false, error: code },
          },
        );
      }
      return answer;
    }
  }

  return {
    chat: {
      async postMessage(args) {
        const answer = await call("chat.postMessage", args);
        return {
          ...(typeof answer.channel === "string" ? { channel: answer.channel } : {}),
          ...(typeof answer.ts === "string" ? { ts: answer.ts } : {}),
        };
      },
      update: (args) => call("chat.update", args),
    },
    conversations: { join: (args) => call("conversations.join", args) },
  };
}

function wholeAnswer(bytes: Buffer): Record<string, unknown> {
  const answer: unknown = JSON.parse(textOf(bytes));
  if (typeof answer !== "object" || answer === null) throw new SyntaxError("not a JSON object");
  return answer as Record<string, unknown>;
}
