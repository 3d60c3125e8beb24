import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { slackErrorCode } from "../../src/slack/slack-errors.ts";
import { createCardChat, SlackCallError } from "../../src/slack-api/card-chat.ts";
import { slackProblem } from "../../src/slack-api/card-post-error.ts";

interface Seen {
  url: string;
  auth: string | undefined;
  type: string | undefined;
  body: unknown;
}
type Answer = { status: number; body?: string; headers?: Record<string, string> } | "hang-up";

describe("card chat: chat.postMessage, chat.update and conversations.join over undici", () => {
  let server: Server;
  let base = "";
  const seen: Seen[] = [];
  let answers: Answer[] = [];
  const waits: number[] = [];
  const read = (req: IncomingMessage) =>
    new Promise<string>((resolve) => {
      let text = "";
      req.on("data", (c: Buffer) => (text += c.toString()));
      req.on("end", () => resolve(text));
    });

  beforeAll(async () => {
    server = createServer(async (req, res) => {
      const text = await read(req);
      seen.push({
        url: req.url ?? "",
        auth: req.headers.authorization,
        type: req.headers["content-type"],
        body: JSON.parse(text),
      });
      const answer = answers.shift() ?? { status: 200, body: '{"ok":true}' };
      if (answer === "hang-up") {
        req.socket.destroy();
        return;
      }
      res.writeHead(answer.status, { "content-type": "application/json", ...answer.headers });
      res.end(answer.body ?? "");
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`;
  });
  afterAll(() => new Promise((r) => server.close(r)));
  beforeEach(() => {
    seen.length = 0;
    waits.length = 0;
    answers = [];
  });
  const chat = () =>
    createCardChat({
      apiUrl: base,
      token: "xoxb-card-chat",
      sleep: async (ms) => {
        waits.push(ms);
      },
    });
  const post = { channel: "C1", text: "Card", blocks: [{ type: "section" }], unfurl_links: false };

  it("posts JSON with the bot token and answers with the channel and ts only", async () => {
    answers = [
      {
        status: 200,
        body: JSON.stringify({ ok: true, channel: "C1", ts: "1.5", message: { blocks: [] } }),
      },
    ];
    expect(await chat().chat.postMessage(post)).toEqual({ channel: "C1", ts: "1.5" });
    expect(seen).toEqual([
      {
        url: "/api/chat.postMessage",
        auth: "Bearer xoxb-card-chat",
        type: "application/json; charset=utf-8",
        body: post,
      },
    ]);
    await chat().chat.update({ channel: "C1", ts: "1.5", text: "T", blocks: [] });
    await chat().conversations.join({ channel: "C2" });
    expect(seen.slice(1).map((s) => [s.url, s.body])).toEqual([
      ["/api/chat.update", { channel: "C1", ts: "1.5", text: "T", blocks: [] }],
      ["/api/conversations.join", { channel: "C2" }],
    ]);
  });

  it("reads an answer the echo-skipping scan gives up on whole, and refuses one that is no object", async () => {
    answers = [
      // A duplicate key and a "__proto__" field: the scan leaves these to JSON.parse.
      { status: 200, body: '{"__proto__":{},"ok":true,"channel":"C9","ts":"2.5","ts":"3.5"}' },
      { status: 200, body: `\uFEFF${JSON.stringify({ ok: true, channel: "C1", ts: "4.5" })}` },
      { status: 200, body: "null" },
      { status: 200, body: '{"ok":true,"message":{' },
    ];
    expect(await chat().chat.postMessage(post)).toEqual({ channel: "C9", ts: "3.5" });
    expect(await chat().chat.postMessage(post)).toEqual({ channel: "C1", ts: "4.5" });
    for (let n = 0; n < 2; n++) {
      const error = await chat()
        .chat.postMessage(post)
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SlackCallError);
      expect((error as SlackCallError).code).toBe("slack_webapi_request_error");
      expect((error as SlackCallError).message).toBe("Slack's answer was not JSON");
    }
  });

  it("fails with Slack's error code, where callers read it", async () => {
    answers = [{ status: 200, body: '{"ok":false,"error":"not_in_channel"}' }];
    const error = await chat()
      .chat.postMessage(post)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SlackCallError);
    expect(slackErrorCode(error)).toBe("not_in_channel");
    expect(slackProblem(error)).toBe("`not_in_channel`");
    expect(seen).toHaveLength(1);
  });

  it("tries a 5xx or a dropped connection twice more, 0.5-2 s apart, then gives up", async () => {
    answers = [{ status: 503 }, "hang-up", { status: 200, body: '{"ok":true,"ts":"2"}' }];
    expect(await chat().chat.postMessage(post)).toEqual({ ts: "2" });
    expect(seen).toHaveLength(3);
    expect(waits).toHaveLength(2);
    for (const w of waits) expect(w).toBeGreaterThanOrEqual(500);
    for (const w of waits) expect(w).toBeLessThanOrEqual(4000);

    seen.length = 0;
    answers = ["hang-up", "hang-up", "hang-up"];
    const error = await chat()
      .chat.postMessage(post)
      .catch((e: unknown) => e);
    expect(seen).toHaveLength(3);
    expect(slackProblem(error)).toBe("no answer");

    seen.length = 0;
    answers = [{ status: 500 }, { status: 500 }, { status: 500 }];
    expect(
      slackProblem(
        await chat()
          .chat.update({ ...post, ts: "1" })
          .catch((e) => e),
      ),
    ).toBe("HTTP 500");
    expect(seen).toHaveLength(3);
  });

  it("waits out a short Retry-After once; a long one, or a second 429, fails at once", async () => {
    answers = [
      { status: 429, headers: { "retry-after": "2" } },
      { status: 200, body: '{"ok":true,"ts":"3"}' },
    ];
    expect(await chat().chat.postMessage(post)).toEqual({ ts: "3" });
    expect(waits).toEqual([2000]);

    answers = [{ status: 429, headers: { "retry-after": "30" } }];
    const long = await chat()
      .chat.postMessage(post)
      .catch((e: unknown) => e);
    expect(slackProblem(long)).toBe("too many messages, try again in 30 s");

    answers = [
      { status: 429, headers: { "retry-after": "1" } },
      { status: 429, headers: { "retry-after": "1" } },
    ];
    const twice = await chat()
      .chat.postMessage(post)
      .catch((e: unknown) => e);
    expect((twice as SlackCallError).code).toBe("slack_webapi_rate_limited_error");
  });

  it("never puts the token in an error", async () => {
    answers = [{ status: 404, body: "nope" }];
    const error = (await chat()
      .chat.postMessage(post)
      .catch((e: unknown) => e)) as Error;
    expect(slackProblem(error)).toBe("HTTP 404");
    expect(`${error.message} ${error.stack}`).not.toContain("xoxb-card-chat");
  });
});
