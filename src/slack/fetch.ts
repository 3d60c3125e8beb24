import { Agent, type Dispatcher } from "undici";
import { requestText } from "../http/request-text.ts";

/**
 * The `fetch` Bolt's Web API client and `respond()` use, over undici (requestText) and one
 * keep-alive pool. Node's own fetch wraps every request and answer in WHATWG streams: under a
 * burst of card posts that garbage alone cost ~15 MB of peak RSS (issue 18's bench with Node's
 * fetch: 154.7 MB peak, 1.54x bare Bolt, over the 1.5x target; with this one 148.6 MB), and the
 * work after a card's Tallyfy read took longer (p50 436 vs 334 ms at 200 commands at once).
 * Slack calls are small string bodies with small JSON answers, so the answer is read whole and
 * handed back as a Response.
 * Anything else (a FormData file upload) goes to the global fetch.
 */
export interface SlackFetch {
  fetch: typeof fetch;
  /** Its keep-alive pool, for other Slack calls (card-chat.ts). */
  dispatcher: Dispatcher;
  close(): Promise<void>;
}

/**
 * Methods whose answer echoes the whole message just sent (its blocks included). The bot reads
 * only `ok`, `error`, `channel` and `ts` from them, but @slack/web-api deep-copies ("redacts")
 * and JSON-encodes every answer for a debug line whatever the log level: for a card, that copy
 * of its blocks was most of the Web API client's CPU in a burst of cards (issue 18).
 */
const ECHOING = /\/chat\.(postMessage|update)$/;

/** The answer without its echoed `message`; anything unexpected is handed on as it came. */
export function withoutEcho(url: string, status: number, text: string): string {
  if (status !== 200 || !ECHOING.test(url) || !text.includes('"message"')) return text;
  try {
    const answer = JSON.parse(text) as unknown;
    if (typeof answer !== "object" || answer === null || !("message" in answer)) return text;
    const { message: _echo, ...rest } = answer as Record<string, unknown>;
    return JSON.stringify(rest);
  } catch {
    return text;
  }
}

/** Statuses whose Response may not carry a body. */
const NO_BODY: ReadonlySet<number> = new Set([204, 205, 304]);

export function createSlackFetch(timeoutMs = 30_000): SlackFetch {
  const agent = new Agent({ keepAliveTimeout: 10_000, connections: 512 });
  const slackFetch = async (input: string | URL | Request, init: RequestInit = {}) => {
    const body = init.body;
    if (input instanceof Request || (body != null && typeof body !== "string")) {
      return fetch(input, init);
    }
    const url = new URL(input);
    const res = await requestText(agent, {
      origin: url.origin,
      path: `${url.pathname}${url.search}`,
      method: (init.method ?? "GET") as "GET",
      headers: headersOf(init.headers),
      body: body ?? null,
      signal: init.signal ?? undefined,
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });
    const text = withoutEcho(url.href, res.statusCode, res.text);
    const headers = new Headers();
    for (const [name, value] of Object.entries(res.headers)) {
      if (Array.isArray(value)) for (const v of value) headers.append(name, v);
      else if (value !== undefined) headers.set(name, value);
    }
    return new Response(NO_BODY.has(res.statusCode) ? null : text, {
      status: res.statusCode,
      headers,
    });
  };
  return {
    fetch: slackFetch as typeof fetch,
    dispatcher: agent,
    close: () => agent.close(),
  };
}

function headersOf(h: RequestInit["headers"]): Record<string, string> {
  if (!h) return {};
  if (h instanceof Headers) return Object.fromEntries(h.entries());
  if (Array.isArray(h)) return Object.fromEntries(h);
  return h as Record<string, string>;
}
