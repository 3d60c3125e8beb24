import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Agent } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requestBytes, requestText } from "../../src/http/request-text.ts";

let server: Server;
let origin: string;
const agent = new Agent({ connections: 4 });

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => {
      body += c.toString();
    });
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://x");
      if (url.pathname === "/echo") {
        res.writeHead(201, { "content-type": "application/json", "x-many": ["a", "b"] });
        res.end(
          JSON.stringify({
            method: req.method,
            q: url.search,
            body,
            auth: req.headers.authorization,
          }),
        );
      } else if (url.pathname === "/split") {
        // "é" (0xC3 0xA9) split across two writes, after a byte order mark.
        res.writeHead(200, { "content-type": "text/plain; charset=utf-8" });
        res.write(Buffer.from([0xef, 0xbb, 0xbf, 0x63, 0x61, 0x66, 0xc3]));
        setTimeout(() => res.end(Buffer.from([0xa9])), 20);
      } else if (url.pathname === "/stall") {
        res.writeHead(200);
        res.write("partial");
      } else if (url.pathname === "/empty") {
        res.writeHead(204);
        res.end();
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await agent.close();
  server.closeAllConnections();
  server.close();
});

describe("requestText", () => {
  it("sends the method, path, query, headers and body, and reads status, headers and text", async () => {
    const res = await requestText(agent, {
      origin,
      path: "/echo?with=tasks",
      method: "POST",
      headers: { authorization: "Bearer t", "content-type": "application/json" },
      body: '{"a":1}',
    });
    expect(res.statusCode).toBe(201);
    expect(res.headers["x-many"]).toEqual(["a", "b"]);
    expect(JSON.parse(res.text)).toEqual({
      method: "POST",
      q: "?with=tasks",
      body: '{"a":1}',
      auth: "Bearer t",
    });
  });

  it("decodes UTF-8 split across chunks and drops a leading byte order mark", async () => {
    const res = await requestText(agent, { origin, path: "/split", method: "GET", headers: {} });
    expect(res.text).toBe("café");
  });

  it("requestBytes: sends a body given as bytes and gives the answer's bytes as they came", async () => {
    const echoed = await requestBytes(agent, {
      origin,
      path: "/echo",
      method: "POST",
      headers: { "content-type": "application/json" },
      body: Buffer.from('{"é":1}'),
    });
    expect(echoed.statusCode).toBe(201);
    expect(JSON.parse(echoed.bytes.toString("utf8")).body).toBe('{"é":1}');
    const split = await requestBytes(agent, { origin, path: "/split", method: "GET", headers: {} });
    expect([...split.bytes]).toEqual([0xef, 0xbb, 0xbf, 0x63, 0x61, 0x66, 0xc3, 0xa9]);
    const empty = await requestBytes(agent, { origin, path: "/empty", method: "GET", headers: {} });
    expect([empty.statusCode, empty.bytes.length]).toEqual([204, 0]);
  });

  it("reads an empty answer as empty text", async () => {
    const res = await requestText(agent, { origin, path: "/empty", method: "GET", headers: {} });
    expect([res.statusCode, res.text]).toEqual([204, ""]);
  });

  it("rejects with the signal's reason, before sending or while the body arrives", async () => {
    const before = new AbortController();
    before.abort(new Error("stopped before"));
    await expect(
      requestText(agent, {
        origin,
        path: "/echo",
        method: "GET",
        headers: {},
        signal: before.signal,
      }),
    ).rejects.toThrow("stopped before");
    const during = new AbortController();
    const pending = requestText(agent, {
      origin,
      path: "/stall",
      method: "GET",
      headers: {},
      signal: during.signal,
    });
    setTimeout(() => during.abort(new Error("stopped during")), 50);
    await expect(pending).rejects.toThrow("stopped during");
  });

  it("gives undici's own errors: a body timeout and a refused connection", async () => {
    await expect(
      requestText(agent, { origin, path: "/stall", method: "GET", headers: {}, bodyTimeout: 100 }),
    ).rejects.toMatchObject({ code: "UND_ERR_BODY_TIMEOUT" });
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, "127.0.0.1", () => r()));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    await expect(
      requestText(agent, {
        origin: `http://127.0.0.1:${port}`,
        path: "/",
        method: "GET",
        headers: {},
      }),
    ).rejects.toMatchObject({ code: "ECONNREFUSED" });
  });
});
