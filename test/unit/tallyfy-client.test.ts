import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { createLogger } from "../../src/log.ts";
import type { CallPolicy } from "../../src/tallyfy/api.ts";
import { TallyfyClient } from "../../src/tallyfy/client.ts";
import {
  TallyfyAuthError,
  TallyfyBadRequestError,
  TallyfyConflictError,
  TallyfyError,
  TallyfyForbiddenError,
  TallyfyNetworkError,
  TallyfyNotFoundError,
  TallyfyRateLimitError,
  TallyfyServerError,
  TallyfyTimeoutError,
  TallyfyUnexpectedResponseError,
  TallyfyValidationError,
} from "../../src/tallyfy/errors.ts";
import { backoffMs, parseRetryAfterMs } from "../../src/tallyfy/retry.ts";
import {
  errorBodySchema,
  itemEnvelope,
  listEnvelope,
  runSchema,
} from "../../src/tallyfy/schemas.ts";

const TOKEN = "tok-SECRET-9f8e7d6c5b4a3210";
const conn = { token: TOKEN };
const anything = z.unknown();
const FAST: CallPolicy = { attemptTimeoutMs: 2_000, budgetMs: 5_000, maxRetries: 3 };

let server: TestServer;
let client: TallyfyClient;
let logLines: string[];

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});
afterEach(async () => {
  await client?.close();
  server.seen.length = 0;
});

function makeClient(random = () => 0.5) {
  logLines = [];
  const logger = createLogger({ level: "debug", json: true, write: (l) => logLines.push(l) });
  client = new TallyfyClient({ baseUrl: server.url, logger, random });
  return client;
}

async function failure(p: Promise<unknown>): Promise<TallyfyError> {
  try {
    await p;
  } catch (error) {
    expect(error).toBeInstanceOf(TallyfyError);
    return error as TallyfyError;
  }
  throw new Error("expected the call to fail");
}

const run = (extra: Record<string, unknown> = {}) => ({
  id: "run1",
  name: "Onboard Ada",
  status: "active",
  ...extra,
});

describe("TallyfyClient: requests", () => {
  it("sends the auth, accept and client headers, and a JSON content type only with a body", async () => {
    makeClient();
    server.reply(json(200, { data: { ok: true } }));
    await client.request(conn, {
      method: "GET",
      path: "/organizations/o1/runs",
      query: { q: "a b&c", page: 2, starred: true, owners: undefined },
      schema: anything,
    });
    await client.request(conn, {
      method: "POST",
      path: "/organizations/o1/runs",
      body: { name: "x" },
      schema: anything,
    });
    const [get, post] = server.seen;
    expect(get?.method).toBe("GET");
    expect(get?.url).toBe("/api/organizations/o1/runs?q=a+b%26c&page=2&starred=true");
    expect(get?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(get?.headers.accept).toBe("application/json");
    expect(get?.headers["x-tallyfy-client"]).toBe("APIClient");
    expect(get?.headers["content-type"]).toBeUndefined();
    expect(post?.headers["content-type"]).toBe("application/json");
    expect(JSON.parse(post?.body ?? "")).toEqual({ name: "x" });
  });

  it("reuses keep-alive connections for sequential calls", async () => {
    makeClient();
    server.reply(json(200, { data: 1 }));
    const before = server.connections;
    for (let i = 0; i < 10; i++) {
      await client.request(conn, { method: "GET", path: "/me", schema: anything });
    }
    // undici may open a second socket while the first is being released; never one per call.
    expect(server.connections - before).toBeLessThanOrEqual(2);
  });

  it("logs each attempt at debug with method, path, status, ms and attempt, never the token", async () => {
    makeClient();
    server.reply(json(200, { data: 1 }));
    await client.request(conn, {
      method: "GET",
      path: "/organizations/o1/runs",
      query: { q: "secret-search" },
      schema: anything,
    });
    const entry = JSON.parse(logLines.at(-1) ?? "{}");
    expect(entry).toMatchObject({
      level: "debug",
      method: "GET",
      path: "/organizations/o1/runs",
      status: 200,
      attempt: 1,
    });
    expect(typeof entry.ms).toBe("number");
    expect(logLines.join("\n")).not.toContain(TOKEN);
    expect(logLines.join("\n")).not.toContain("secret-search");
  });
});

describe("TallyfyClient: error mapping", () => {
  const cases = [
    {
      status: 400,
      body: { error: true, message: "Process is not archived" },
      cls: TallyfyBadRequestError,
      kind: "bad_request",
      message: "Process is not archived",
    },
    {
      status: 401,
      body: { error: true, message: "Unauthenticated." },
      cls: TallyfyAuthError,
      kind: "authentication",
      message: "Unauthenticated.",
    },
    {
      status: 403,
      body: { error: true, message: "Forbidden" },
      cls: TallyfyForbiddenError,
      kind: "forbidden",
      message: "Forbidden",
    },
    {
      status: 404,
      body: { error: true, message: "Run not found", code: "RESOURCE_NOT_FOUND" },
      cls: TallyfyNotFoundError,
      kind: "not_found",
      message: "Run not found",
      code: "RESOURCE_NOT_FOUND",
    },
    {
      status: 409,
      body: { error: { code: "SEAT_POOL_EXHAUSTED", message: "No seats left" } },
      cls: TallyfyConflictError,
      kind: "conflict",
      message: "No seats left",
      code: "SEAT_POOL_EXHAUSTED",
    },
    {
      status: 500,
      body: { error: true, message: "Server Error" },
      cls: TallyfyServerError,
      kind: "server",
      message: "Server Error",
    },
  ] as const;

  for (const c of cases) {
    it(`maps ${c.status} to ${c.cls.name} with its details`, async () => {
      makeClient();
      server.reply(json(c.status, c.body, { "x-request-id": `req-${c.status}` }));
      const error = await failure(
        client.request(
          conn,
          {
            method: "GET",
            path: "/organizations/o1/runs/r9",
            query: { with: "tags" },
            schema: anything,
          },
          { policy: FAST },
        ),
      );
      expect(error).toBeInstanceOf(c.cls);
      expect(error.kind).toBe(c.kind);
      expect(error.status).toBe(c.status);
      expect(error.tallyfyMessage).toBe(c.message);
      expect(error.code).toBe("code" in c ? c.code : undefined);
      expect(error.requestId).toBe(`req-${c.status}`);
      expect(error.method).toBe("GET");
      expect(error.path).toBe("/organizations/o1/runs/r9");
      expect(error.mayHaveApplied).toBe(false);
      expect(server.seen).toHaveLength(1);
    });
  }

  it("maps 422 to a validation error with field errors", async () => {
    makeClient();
    server.reply(
      json(422, { error: true, errors: { name: ["The name field is required."], prerun: "bad" } }),
    );
    const error = await failure(
      client.request(conn, { method: "POST", path: "/o/runs", body: {}, schema: anything }),
    );
    expect(error).toBeInstanceOf(TallyfyValidationError);
    expect((error as TallyfyValidationError).fieldErrors).toEqual({
      name: ["The name field is required."],
      prerun: ["bad"],
    });
    expect(error.message).toBe("The name field is required.");
    expect(error.mayHaveApplied).toBe(false);
  });

  it("keeps a kick-off message from a 422 as the error's message", async () => {
    makeClient();
    server.reply(json(422, { error: true, message: "Priority is required" }));
    const error = await failure(
      client.request(conn, { method: "POST", path: "/o/runs", body: {}, schema: anything }),
    );
    expect(error.message).toBe("Priority is required");
  });

  it("maps a non-JSON 2xx body to an unexpected response", async () => {
    makeClient();
    server.reply((_req, res) => {
      res.writeHead(200, { "content-type": "text/html" });
      res.end("<html>maintenance</html>");
    });
    const error = await failure(
      client.request(conn, { method: "GET", path: "/me", schema: anything }),
    );
    expect(error).toBeInstanceOf(TallyfyUnexpectedResponseError);
    expect(error.status).toBe(200);
  });

  it("maps an HTML error page by its status", async () => {
    makeClient();
    server.reply((_req, res) => {
      res.writeHead(403, { "content-type": "text/html" });
      res.end("<html>nope</html>");
    });
    const error = await failure(
      client.request(conn, { method: "GET", path: "/me", schema: anything }),
    );
    expect(error).toBeInstanceOf(TallyfyForbiddenError);
    expect(error.tallyfyMessage).toBeUndefined();
  });

  it("names the failing field when the response doesn't match the schema", async () => {
    makeClient();
    server.reply(json(200, { data: run({ prerun: "lots" }) }));
    const error = await failure(
      client.request(conn, { method: "GET", path: "/r", schema: itemEnvelope(runSchema) }),
    );
    expect(error).toBeInstanceOf(TallyfyUnexpectedResponseError);
    expect(error.message).toContain("data.prerun");
  });

  it("skips an unreadable list row and names its position, keeping the others", async () => {
    makeClient();
    server.reply(json(200, { data: [run(), { name: "no id", status: "active" }, run()] }));
    const page = await client.request(conn, {
      method: "GET",
      path: "/r",
      schema: listEnvelope(runSchema),
    });
    expect(page.items).toHaveLength(2);
    expect(page.skipped).toEqual([{ index: 1, issue: expect.stringMatching(/^id: /) }]);
  });

  it("never puts the token in an error, even when Tallyfy echoes it", async () => {
    makeClient();
    server.reply(json(401, { error: true, message: `Token ${TOKEN} is invalid` }));
    const error = await failure(
      client.request(conn, { method: "GET", path: "/me", schema: anything }),
    );
    expect(error.tallyfyMessage).toBe("Token [redacted] is invalid");
    const everything = JSON.stringify({ ...error, message: error.message, stack: error.stack });
    expect(everything).not.toContain(TOKEN);
    expect(logLines.join("\n")).not.toContain(TOKEN);
  });
});

describe("TallyfyClient: retries", () => {
  it("waits Retry-After seconds on a 429 and then succeeds, on any method", async () => {
    makeClient();
    server.reply(
      json(429, { error: true }, { "retry-after": "1" }),
      json(201, { data: { id: 7 } }),
    );
    const started = Date.now();
    const result = await client.request(
      conn,
      { method: "POST", path: "/o/runs", body: { a: 1 }, schema: anything },
      { policy: FAST },
    );
    expect(result).toEqual({ data: { id: 7 } });
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(server.seen.map((r) => r.method)).toEqual(["POST", "POST"]);
  });

  it("honours Retry-After given as an HTTP date", async () => {
    makeClient();
    const at = new Date(Date.now() + 2_000).toUTCString();
    server.reply(json(429, { error: true }, { "retry-after": at }), json(200, { data: 1 }));
    const started = Date.now();
    await client.request(conn, { method: "GET", path: "/me", schema: anything }, { policy: FAST });
    // HTTP dates have one-second resolution, so the wait is between ~1 s and 2 s.
    expect(Date.now() - started).toBeGreaterThanOrEqual(800);
    expect(server.seen).toHaveLength(2);
  });

  it("fails at once with the retry-after seconds when the wait doesn't fit the budget", async () => {
    makeClient();
    server.reply(
      json(429, { error: true, message: "Too Many Attempts." }, { "retry-after": "20" }),
    );
    const started = Date.now();
    const error = await failure(
      client.request(
        conn,
        { method: "GET", path: "/me", schema: anything },
        { policy: { attemptTimeoutMs: 2_200, budgetMs: 2_500, maxRetries: 2 } },
      ),
    );
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(error).toBeInstanceOf(TallyfyRateLimitError);
    expect((error as TallyfyRateLimitError).retryAfterSeconds).toBe(20);
    expect(error.status).toBe(429);
    expect(error.message).toContain("20 s");
    expect(server.seen).toHaveLength(1);
  });

  it("does not retry a POST that got a 500 or a 503", async () => {
    for (const status of [500, 503]) {
      makeClient();
      server.seen.length = 0;
      server.reply(json(status, { error: true }), json(201, { data: 1 }));
      const error = await failure(
        client.request(
          conn,
          { method: "POST", path: "/o/runs", body: { a: 1 }, schema: anything },
          { policy: FAST },
        ),
      );
      expect(error).toBeInstanceOf(TallyfyServerError);
      expect(error.mayHaveApplied).toBe(true);
      expect(server.seen).toHaveLength(1);
      await client.close();
    }
  });

  it("retries a GET on 503 and then succeeds", async () => {
    makeClient();
    server.reply(json(503, { error: true }), json(502, "bad gateway"), json(200, { data: "ok" }));
    const result = await client.request(
      conn,
      { method: "GET", path: "/me", schema: anything },
      { policy: FAST },
    );
    expect(result).toEqual({ data: "ok" });
    expect(server.seen).toHaveLength(3);
    const attempts = logLines.map((l) => JSON.parse(l).attempt);
    expect(attempts).toEqual([1, 2, 3]);
  });

  it("does not retry a GET on a plain 500", async () => {
    makeClient();
    server.reply(json(500, { error: true }), json(200, { data: 1 }));
    const error = await failure(
      client.request(conn, { method: "GET", path: "/me", schema: anything }, { policy: FAST }),
    );
    expect(error.mayHaveApplied).toBe(false);
    expect(server.seen).toHaveLength(1);
  });

  it("gives up on a failing GET within the budget", async () => {
    makeClient();
    server.reply(json(503, { error: true }));
    const started = Date.now();
    const error = await failure(
      client.request(
        conn,
        { method: "GET", path: "/me", schema: anything },
        { policy: { attemptTimeoutMs: 1_000, budgetMs: 1_200, maxRetries: 10 } },
      ),
    );
    expect(error).toBeInstanceOf(TallyfyServerError);
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(server.seen.length).toBeGreaterThanOrEqual(2);
  });

  it("stops after maxRetries", async () => {
    makeClient(() => 0);
    server.reply(json(503, { error: true }));
    await failure(
      client.request(
        conn,
        { method: "GET", path: "/me", schema: anything },
        { policy: { attemptTimeoutMs: 1_000, budgetMs: 10_000, maxRetries: 1 } },
      ),
    );
    expect(server.seen).toHaveLength(2);
  });

  it("retries a GET whose connection dropped", async () => {
    makeClient();
    server.reply(drop, json(200, { data: "again" }));
    const result = await client.request(
      conn,
      { method: "GET", path: "/me", schema: anything },
      { policy: FAST },
    );
    expect(result).toEqual({ data: "again" });
    expect(server.seen).toHaveLength(2);
  });

  it("does not retry a POST whose connection dropped, and says it can't tell", async () => {
    makeClient();
    server.reply(drop, json(201, { data: 1 }));
    const error = await failure(
      client.request(
        conn,
        { method: "POST", path: "/o/runs", body: { a: 1 }, schema: anything },
        { policy: FAST },
      ),
    );
    expect(error).toBeInstanceOf(TallyfyNetworkError);
    expect(error.mayHaveApplied).toBe(true);
    expect(error.message).toContain("can't tell whether the change was made");
    expect(error.method).toBe("POST");
    expect(error.path).toBe("/o/runs");
    expect(server.seen).toHaveLength(1);
  });

  it("reports a refused connection as not applied", async () => {
    const closed = await startTestServer();
    const url = closed.url;
    await closed.close();
    logLines = [];
    client = new TallyfyClient({ baseUrl: url });
    const error = await failure(
      client.request(
        conn,
        { method: "POST", path: "/o/runs", body: { a: 1 }, schema: anything },
        { policy: { attemptTimeoutMs: 500, budgetMs: 600, maxRetries: 1 } },
      ),
    );
    expect(error).toBeInstanceOf(TallyfyNetworkError);
    expect(error.mayHaveApplied).toBe(false);
    expect(error.message).toContain("nothing was changed");
  });
});

describe("TallyfyClient: timeouts", () => {
  it("times out a slow attempt", async () => {
    makeClient();
    server.reply(delayed(1_000, json(200, { data: 1 })));
    const started = Date.now();
    const error = await failure(
      client.request(
        conn,
        { method: "GET", path: "/me", schema: anything },
        { policy: { attemptTimeoutMs: 200, budgetMs: 300, maxRetries: 0 } },
      ),
    );
    expect(error).toBeInstanceOf(TallyfyTimeoutError);
    expect(error.mayHaveApplied).toBe(false);
    expect(Date.now() - started).toBeLessThan(800);
  });

  it("times out a response whose body stalls", async () => {
    makeClient();
    server.reply((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.write('{"data":');
    });
    const error = await failure(
      client.request(
        conn,
        { method: "GET", path: "/me", schema: anything },
        { policy: { attemptTimeoutMs: 200, budgetMs: 300, maxRetries: 0 } },
      ),
    );
    expect(error).toBeInstanceOf(TallyfyTimeoutError);
  });

  it("retries a GET after a timeout", async () => {
    makeClient();
    server.reply(delayed(1_000, json(200, { data: "slow" })), json(200, { data: "fast" }));
    const result = await client.request(
      conn,
      { method: "GET", path: "/me", schema: anything },
      { policy: { attemptTimeoutMs: 250, budgetMs: 3_000, maxRetries: 2 } },
    );
    expect(result).toEqual({ data: "fast" });
  });

  it("does not retry a timed-out PUT and says it can't tell", async () => {
    makeClient();
    server.reply(delayed(1_000, json(200, { data: 1 })));
    const error = await failure(
      client.request(
        conn,
        { method: "PUT", path: "/o/runs/r1", body: { name: "n" }, schema: anything },
        { policy: { attemptTimeoutMs: 200, budgetMs: 3_000, maxRetries: 3 } },
      ),
    );
    expect(error).toBeInstanceOf(TallyfyTimeoutError);
    expect(error.mayHaveApplied).toBe(true);
    expect(error.message).toContain("can't tell whether the change was made");
    expect(server.seen).toHaveLength(1);
  });

  it("stops when the caller aborts", async () => {
    makeClient();
    server.reply(delayed(1_000, json(200, { data: 1 })));
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    await expect(
      client.request(
        conn,
        { method: "GET", path: "/me", schema: anything },
        { policy: FAST, signal: controller.signal },
      ),
    ).rejects.toMatchObject({ name: "AbortError" });
  });
});

describe("schemas accept Tallyfy's variations", () => {
  const one = itemEnvelope(runSchema);

  it("progress as a number or an object", async () => {
    makeClient();
    server.reply(
      json(200, { data: run({ progress: 40 }) }),
      json(200, { data: run({ progress: { complete: 1, total: 4, percent: null } }) }),
    );
    const a = await client.request(conn, { method: "GET", path: "/r", schema: one });
    const b = await client.request(conn, { method: "GET", path: "/r", schema: one });
    expect(a.progress).toEqual({ complete: null, total: null, percent: 40 });
    expect(b.progress).toEqual({ complete: 1, total: 4, percent: 25 });
  });

  it("pagination links as [] or an object", async () => {
    makeClient();
    const meta = (links: unknown, current: number) => ({
      pagination: { total: 3, count: 1, per_page: 1, current_page: current, total_pages: 3, links },
    });
    server.reply(
      json(200, { data: [run()], meta: meta([], 3) }),
      json(200, { data: [run()], meta: meta({ next: "https://x/?page=2" }, 1) }),
    );
    const many = listEnvelope(runSchema);
    const last = await client.request(conn, { method: "GET", path: "/r", schema: many });
    const first = await client.request(conn, { method: "GET", path: "/r", schema: many });
    expect(last.pagination.hasNext).toBe(false);
    expect(first.pagination).toMatchObject({ hasNext: true, currentPage: 1, totalPages: 3 });
  });

  it("prerun as [] or {} and extra fields ignored", async () => {
    makeClient();
    server.reply(
      json(200, { data: run({ prerun: [], surprise: { deep: true } }) }),
      json(200, { data: run({ prerun: { f1: "x" } }) }),
    );
    const a = await client.request(conn, { method: "GET", path: "/r", schema: one });
    const b = await client.request(conn, { method: "GET", path: "/r", schema: one });
    expect(a.prerun).toEqual({});
    expect("surprise" in a).toBe(false);
    expect(b.prerun).toEqual({ f1: "x" });
  });

  it("error as a boolean or an object", () => {
    expect(errorBodySchema.safeParse({ error: true, message: "m" }).success).toBe(true);
    expect(errorBodySchema.safeParse({ error: { code: "X", extra: 1 } }).success).toBe(true);
  });

  it("maps a boolean-error 404 and an object-error 409 body alike", async () => {
    makeClient();
    server.reply(
      json(404, { error: true, message: "gone", code: "ENDPOINT_NOT_FOUND" }),
      json(409, { error: { code: "SEAT_POOL_EXHAUSTED" } }),
    );
    const a = await failure(client.request(conn, { method: "GET", path: "/r", schema: one }));
    const b = await failure(client.request(conn, { method: "GET", path: "/r", schema: one }));
    expect([a.code, b.code]).toEqual(["ENDPOINT_NOT_FOUND", "SEAT_POOL_EXHAUSTED"]);
    expect(b.message).toContain("SEAT_POOL_EXHAUSTED");
  });
});

describe("retry timing rules", () => {
  it("parses Retry-After seconds and HTTP dates", () => {
    const now = Date.parse("2025-01-01T00:00:00Z");
    expect(parseRetryAfterMs("3", now)).toBe(3_000);
    expect(parseRetryAfterMs("Wed, 01 Jan 2025 00:00:05 GMT", now)).toBe(5_000);
    expect(parseRetryAfterMs("Tue, 31 Dec 2024 23:00:00 GMT", now)).toBe(0);
    expect(parseRetryAfterMs("soon", now)).toBeNull();
    expect(parseRetryAfterMs(undefined, now)).toBeNull();
  });

  it("backs off exponentially from 0.5 s to 8 s with jitter", () => {
    expect(backoffMs(1, () => 0)).toBe(500);
    expect(backoffMs(2, () => 0)).toBe(1_000);
    expect(backoffMs(1, () => 0.99)).toBeGreaterThan(600);
    expect(backoffMs(10, () => 0.99)).toBe(8_000);
  });
});

// A tiny HTTP server: exact control of status, headers, bodies and sockets.

interface SeenRequest {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
  body: string;
}

type Handler = (req: SeenRequest, res: ServerResponse, n: number) => void;

interface TestServer {
  url: string;
  seen: SeenRequest[];
  connections: number;
  /** Handlers used in order, one per request; the last one repeats. */
  reply(...handlers: Handler[]): void;
  close(): Promise<void>;
}

async function startTestServer(): Promise<TestServer> {
  let handlers: Handler[] = [json(200, { data: {} })];
  const seen: SeenRequest[] = [];
  const state = { connections: 0 };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const entry = {
        method: req.method ?? "",
        url: req.url ?? "",
        headers: req.headers,
        body: Buffer.concat(chunks).toString("utf8"),
      };
      seen.push(entry);
      const n = seen.length;
      const handler = handlers[Math.min(n - 1, handlers.length - 1)];
      handler?.(entry, res, n);
    });
  });
  server.on("connection", () => state.connections++);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/api`,
    seen,
    get connections() {
      return state.connections;
    },
    reply(...next) {
      handlers = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): Handler {
  return (_req, res) => {
    res.writeHead(status, { "content-type": "application/json", ...headers });
    res.end(typeof body === "string" ? body : JSON.stringify(body));
  };
}

function delayed(ms: number, then: Handler): Handler {
  return (req, res, n) => {
    const timer = setTimeout(() => then(req, res, n), ms);
    res.on("close", () => clearTimeout(timer));
  };
}

/** Close the socket without any response. */
const drop: Handler = (_req, res) => {
  res.socket?.destroy();
};
