import type { RespondArguments, RespondFn } from "@slack/bolt";

/**
 * The one way the bot posts to a response_url: over the bot's pooled Slack `fetch`
 * (src/slack/fetch.ts) and never longer than `timeoutMs`. Every `respond` a listener or flow
 * uses is made here, including those for URLs kept from an earlier interaction.
 */
export interface ResponseUrls {
  /** One POST; rejects only when the URL could not be reached in time. */
  post(url: string, message: string | RespondArguments): Promise<Response>;
  /**
   * A RespondFn for `url`. A refused post throws an error shaped like a Web API error
   * (`data.error` is "expired_url" for a 404, else "http_<status>").
   */
  respondTo(url: string): RespondFn;
}

export function createResponseUrls(fetchFn: typeof fetch, timeoutMs = 10_000): ResponseUrls {
  const post = (url: string, message: string | RespondArguments) =>
    fetchFn(url, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(typeof message === "string" ? { text: message } : message),
      signal: AbortSignal.timeout(timeoutMs),
    });
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
