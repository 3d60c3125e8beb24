/**
 * The playground's own HTTP routes, served by the fake Slack's server (everything outside its
 * /api/ and /response/): the static page, JSON endpoints under /play/, and a Server-Sent Events
 * stream of workspace changes.
 */
import { readFile } from "node:fs/promises";
import type { IncomingMessage, RequestListener, ServerResponse } from "node:http";
import { extname, join } from "node:path";
import type { SlackDriver } from "../sandbox/slack/driver.ts";
import type { ChangeEvent, FakeSlack, Json } from "../sandbox/slack/fake-slack.ts";
import type { TallyfySandbox } from "../sandbox/tallyfy/server.ts";
import { closeView, interact, runCommand, runShortcut, submitView, suggest } from "./actions.ts";
import type { MessageShortcut } from "./shortcuts.ts";
import { BadRequest, pageState, playUser } from "./state.ts";
import { compose, openHome, say } from "./surfaces.ts";
import { completeFromPanel, tallyfyPanel } from "./tallyfy-panel.ts";

export interface PageContext {
  slack: FakeSlack;
  driver: SlackDriver;
  /** The app's message shortcuts (manifest.yml), offered on every message. */
  shortcuts: MessageShortcut[];
  /** The Tallyfy sandbox, for the page's Tallyfy panel; undefined with real Tallyfy. */
  sandbox?: TallyfySandbox | undefined;
}

const PUBLIC_DIR = join(import.meta.dirname, "public");
const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
};
const STATIC_FILE = /^\/static\/([\w-]+\.(?:js|css|svg|png))$/;
const MAX_BODY = 1_000_000;
const KEEPALIVE_MS = 15_000;

type PostHandler = (c: PageContext, body: Json) => Promise<unknown>;
const POSTS: Record<string, PostHandler> = {
  "/play/command": runCommand,
  "/play/shortcut": runShortcut,
  "/play/click": interact,
  "/play/submit": submitView,
  "/play/close": closeView,
  "/play/suggest": suggest,
  "/play/home": openHome,
  "/play/compose": compose,
  "/play/say": say,
  "/play/tallyfy/complete": completeFromPanel,
};

export interface PageHandler {
  handle: RequestListener;
  /** End every open event stream (before the server closes). */
  closeStreams(): void;
}

export function createPageHandler(context: () => PageContext | undefined): PageHandler {
  const streams = new Set<ServerResponse>();

  const route = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", "http://playground");
    const path = url.pathname;
    if (req.method === "GET" && (path === "/" || path === "/index.html"))
      return sendFile(res, "index.html");
    if (path === "/favicon.ico") return void res.writeHead(204).end();
    const file = STATIC_FILE.exec(path);
    if (req.method === "GET" && file?.[1]) return sendFile(res, file[1]);
    const c = context();
    if (!c) return sendJson(res, 503, { ok: false, error: "starting up" });
    if (req.method === "GET" && path === "/play/state") {
      const user = playUser(c.slack, url.searchParams.get("user"));
      const at = url.searchParams;
      const page = pageState(c.slack, user.id, at.get("channel"), at.get("composer"));
      return sendJson(res, 200, { ...page, shortcuts: c.shortcuts, tallyfy: tallyfyPanel(c) });
    }
    if (req.method === "GET" && path === "/play/events") return openStream(c, req, res);
    const post = POSTS[path];
    if (req.method === "POST" && post)
      return sendJson(res, 200, await post(c, await readJson(req)));
    sendJson(res, 404, { ok: false, error: "not found" });
  };

  const openStream = (c: PageContext, req: IncomingMessage, res: ServerResponse) => {
    res.writeHead(200, {
      "content-type": "text/event-stream",
      "cache-control": "no-cache",
      connection: "keep-alive",
    });
    res.write("retry: 1000\n\n");
    const onChange = (change: ChangeEvent) => res.write(`data: ${JSON.stringify(change)}\n\n`);
    const keepalive = setInterval(() => res.write(": keepalive\n\n"), KEEPALIVE_MS);
    c.slack.events.on("change", onChange);
    streams.add(res);
    const stop = () => {
      clearInterval(keepalive);
      c.slack.events.off("change", onChange);
      streams.delete(res);
    };
    req.on("close", stop);
    res.on("close", stop);
  };

  return {
    handle: (req, res) => {
      route(req, res).catch((error: unknown) => {
        const message = error instanceof Error ? error.message : String(error);
        // The driver refuses what Slack's client would refuse ("fake slack: …"): the page's fault.
        const refused = error instanceof BadRequest || message.startsWith("fake slack:");
        const status = refused ? 400 : 500;
        if (status === 500) console.error("playground:", error);
        if (!res.headersSent) sendJson(res, status, { ok: false, error: message });
        else res.end();
      });
    },
    closeStreams: () => {
      for (const res of streams) res.end();
      streams.clear();
    },
  };
}

async function sendFile(res: ServerResponse, name: string): Promise<void> {
  let data: Buffer;
  try {
    data = await readFile(join(PUBLIC_DIR, name));
  } catch {
    return sendJson(res, 404, { ok: false, error: "not found" });
  }
  res.writeHead(200, {
    "content-type": TYPES[extname(name)] ?? "application/octet-stream",
    "cache-control": "no-cache",
  });
  res.end(data);
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8" });
  res.end(JSON.stringify(body));
}

async function readJson(req: IncomingMessage): Promise<Json> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new BadRequest("request too large");
    chunks.push(chunk as Buffer);
  }
  try {
    const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as unknown;
    if (typeof body === "object" && body !== null && !Array.isArray(body)) return body as Json;
  } catch {
    // answered below
  }
  throw new BadRequest("expected a JSON object");
}
