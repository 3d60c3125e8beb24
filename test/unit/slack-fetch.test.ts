import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSlackFetch, withoutEcho } from "../../src/slack/fetch.ts";

describe("createSlackFetch", () => {
  let server: Server;
  let base = "";
  const seen: { method?: string; type?: string; body: string }[] = [];
  const slack = createSlackFetch();

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = "";
      req.on("data", (c: Buffer) => (body += c.toString()));
      req.on("end", () => {
        seen.push({ method: req.method, type: req.headers["content-type"], body });
        if (req.url === "/empty") {
          res.writeHead(204).end();
          return;
        }
        res.setHeader("set-cookie", ["a=1", "b=2"]);
        res.writeHead(req.url?.startsWith("/limited") ? 429 : 200, {
          "content-type": "application/json",
          "retry-after": "3",
        });
        const echoed = { ts: "1.2", blocks: [{ type: "section" }] };
        res.end(
          JSON.stringify({ ok: true, echo: body, channel: "C1", ts: "1.2", message: echoed }),
        );
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await slack.close();
    await new Promise((r) => server.close(r));
  });

  it("posts the body and headers and answers with a Response", async () => {
    const res = await slack.fetch(`${base}/api/chat.postMessage`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: "channel=C1&text=hi",
    });
    expect(res.status).toBe(200);
    expect(res.ok).toBe(true);
    expect(res.headers.get("content-type")).toBe("application/json");
    expect(res.headers.get("set-cookie")).toContain("b=2");
    expect(await res.json()).toMatchObject({ ok: true, echo: "channel=C1&text=hi", ts: "1.2" });
    expect(seen.at(-1)).toMatchObject({
      method: "POST",
      type: "application/x-www-form-urlencoded",
    });
  });

  it("drops the message chat.postMessage and chat.update echo back, and only that", async () => {
    for (const method of ["chat.postMessage", "chat.update"]) {
      const res = await slack.fetch(`${base}/api/${method}`, { method: "POST", body: "x=1" });
      expect(await res.json()).toEqual({ ok: true, echo: "x=1", channel: "C1", ts: "1.2" });
    }
    const other = await slack.fetch(`${base}/api/chat.postEphemeral`, { method: "POST", body: "" });
    expect(((await other.json()) as { message?: unknown }).message).toEqual({
      ts: "1.2",
      blocks: [{ type: "section" }],
    });
    const limited = await slack.fetch(`${base}/limited/chat.update`, { method: "POST", body: "" });
    expect(((await limited.json()) as { message?: unknown }).message).toBeDefined();
  });

  it("hands on an echoing method's answer it can't read as it came", () => {
    const url = "https://slack.com/api/chat.postMessage";
    expect(withoutEcho(url, 200, '{"ok":false,"error":"not_in_channel"}')).toBe(
      '{"ok":false,"error":"not_in_channel"}',
    );
    expect(withoutEcho(url, 200, 'not json "message"')).toBe('not json "message"');
    expect(withoutEcho(url, 200, '["message"]')).toBe('["message"]');
    expect(withoutEcho(url, 200, '{"ok":true,"message":{"ts":"1"},"ts":"1"}')).toBe(
      '{"ok":true,"ts":"1"}',
    );
  });

  it("keeps non-2xx statuses and their headers (the Web API client reads Retry-After)", async () => {
    const res = await slack.fetch(`${base}/limited`, { method: "POST", body: "{}" });
    expect(res.status).toBe(429);
    expect(res.ok).toBe(false);
    expect(res.headers.get("retry-after")).toBe("3");
  });

  it("answers a 204 with an empty body", async () => {
    const res = await slack.fetch(`${base}/empty`, { method: "POST", body: "x" });
    expect(res.status).toBe(204);
    expect(await res.text()).toBe("");
  });

  it("sends a FormData body through the global fetch", async () => {
    const form = new FormData();
    form.set("file", "contents");
    const res = await slack.fetch(`${base}/upload`, { method: "POST", body: form });
    expect(res.status).toBe(200);
    expect(seen.at(-1)?.type).toMatch(/^multipart\/form-data/);
    expect(seen.at(-1)?.body).toContain("contents");
  });
});
