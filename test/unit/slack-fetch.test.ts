import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSlackFetch } from "../../src/slack/fetch.ts";

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
        res.writeHead(req.url === "/limited" ? 429 : 200, {
          "content-type": "application/json",
          "retry-after": "3",
        });
        res.end(JSON.stringify({ ok: true, echo: body }));
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
    expect(await res.json()).toEqual({ ok: true, echo: "channel=C1&text=hi" });
    expect(seen.at(-1)).toMatchObject({
      method: "POST",
      type: "application/x-www-form-urlencoded",
    });
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
