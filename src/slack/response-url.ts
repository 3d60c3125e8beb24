import type { RespondArguments, RespondFn } from "@slack/bolt";

/**
 * The one way the bot posts to a response_url: over the bot's pooled Slack `fetch`
 * (src/slack/fetch.ts) and never longer than `timeoutMs`. Every `respond` a listener or flow
 * uses is made here, including those for URLs kept from an earlier interaction.
 */
export interface ResponseUrls {
  /** One POST; rejects when the URL is not Slack's or could not be reached in time. */
  post(url: string, message: string | RespondArguments): Promise<Response>;
  /**
   * A RespondFn for `url`. A refused post throws an error shaped like a Web API error
   * (`data.error` is "expired_url" for a 404, else "http_<status>").
   */
  respondTo(url: string): RespondFn;
}

/** Where Slack's response_urls live. */
export const SLACK_HOOKS_HOST = "hooks.slack.com";

/**
 * Whether the bot may post to `url`: https on Slack's hooks host, or (when SLACK_API_URL points
 * elsewhere, as in tests) the same protocol and host as that API. Nothing else, whatever a
 * payload or a view's metadata says.
 */
export function isSlackResponseUrl(url: string, slackApiUrl?: string | undefined): boolean {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  if (u.username || u.password) return false;
  if (u.protocol === "https:" && u.host === SLACK_HOOKS_HOST) return true;
  if (!slackApiUrl) return false;
  try {
    const api = new URL(slackApiUrl);
    return u.protocol === api.protocol && u.host === api.host;
  } catch {
    return false;
  }
}

export interface ResponseUrlOptions {
  timeoutMs?: number;
  /** SLACK_API_URL, when set: its host is accepted as well as hooks.slack.com. */
  slackApiUrl?: string | undefined;
}

/** Thrown (before any request) for a response_url that is not Slack's. */
export class UntrustedResponseUrlError extends Error {
  readonly data = { error: "untrusted_response_url" };
  constructor() {
    super("refused to post to a response_url that is not on Slack's hooks host");
  }
}

export function createResponseUrls(
  fetchFn: typeof fetch,
  { timeoutMs = 10_000, slackApiUrl }: ResponseUrlOptions = {},
): ResponseUrls {
  const post = async (url: string, message: string | RespondArguments) => {
    if (!isSlackResponseUrl(url, slackApiUrl)) throw new UntrustedResponseUrlError();
    return fetchFn(url, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(typeof message === "string" ? { text: message } : message),
      signal: AbortSignal.timeout(timeoutMs),
      redirect: "error",
    });
  };
  return {
    post,
    respondTo: (url) => async (message) => {
      const res = await post(url, message);
      if (!res.ok) {
        const error = new Error(`response_url answered ${res.status}`) as Error & {
          data?: { error: string };
        };
        error.data = { error: res.status === 404 ? "expired_url" : `http_${res.status}` };
        throw error;
      }
      return res as never;
    },
  };
}

/** For interactions without a response_url: saying anything is a bug, not a lost message. */
export const noResponseUrl: RespondFn = async () => {
  throw new Error("this interaction has no response_url");
};
