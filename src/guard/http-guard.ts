import type { IncomingMessage, RequestListener, ServerResponse } from "node:http";
import type { Socket } from "node:net";
import { parse as parseQuery } from "node:querystring";
import type { Logger } from "../log.ts";
import { checkPayload } from "./payload-guard.ts";
import type { ReplayGuard } from "./replay.ts";
import { checkSlackSignature, MAX_CLOCK_SKEW_SEC } from "./signature.ts";

/** Slack's payloads are a few KB; a modal with 100 inputs stays far below this. */
export const MAX_BODY_BYTES = 1024 * 1024;

export interface HttpGuardOptions {
  signingSecret: string;
  /** Bolt's events endpoint(s); other paths (health checks) go straight through. */
  endpoints: string[];
  replay: ReplayGuard;
  logger: Logger;
  now?: () => number;
}

export interface HttpGuard {
  /** Wraps Bolt's request listener. */
  wrap(listener: RequestListener): RequestListener;
  /** Closes connections whose request is still arriving (not yet verified); for shutdown. */
  dropUnverified(): void;
}

/**
 * In front of Bolt's HTTPReceiver: reads the body (size-capped), checks Slack's signature with
 * a two-sided clock window, refuses a signature seen before, checks the payload's shape, and
 * only then hands the request to Bolt (with the body already read, which Bolt reuses).
 */
export function createHttpGuard(opts: HttpGuardOptions): HttpGuard {
  const { logger, replay } = opts;
  const now = opts.now ?? Date.now;
  const receiving = new Set<Socket>();

  const refuse = (res: ServerResponse, status: number, msg: string, ctx: object = {}) => {
    logger.warn(msg, { status, ...ctx });
    // A body left unread (too large) would otherwise be drained to keep the connection alive.
    res.writeHead(status, status === 413 ? { connection: "close" } : {});
    res.end();
  };

  const handle = async (req: IncomingMessage, res: ServerResponse, next: RequestListener) => {
    const socket = req.socket;
    receiving.add(socket);
    let raw: Buffer | undefined;
    try {
      raw = await readBody(req, MAX_BODY_BYTES);
    } finally {
      receiving.delete(socket);
    }
    if (raw === undefined) {
      refuse(res, 413, "refused a request body over the size limit", { limit: MAX_BODY_BYTES });
      return;
    }
    // Slack's unsigned SSL check: Bolt answers it and ignores anything else in the body.
    if (
      req.headers["content-type"] === "application/x-www-form-urlencoded" &&
      raw.includes("ssl_check=")
    ) {
      const form = parseQuery(raw.toString());
      if (form.ssl_check === "1" && form.payload === undefined && form.command === undefined) {
        Object.assign(req, { rawBody: raw });
        next(req, res);
        return;
      }
    }
    const signed = checkSlackSignature(opts.signingSecret, req.headers, raw, now());
    if (!signed.ok) {
      refuse(res, 401, "refused a request that is not validly signed by Slack", {
        reason: signed.reason,
      });
      return;
    }
    const payload = checkPayload(req.headers, raw);
    // Options requests only read, and Slack sends the same bytes again when someone types the
    // same query twice within a second; everything else is served once. A signature is
    // remembered for as long as its timestamp passes the clock check (plus a second).
    const readOnly = payload.kind === "pass" && payload.type === "block_suggestion";
    const ttlMs = (signed.timestamp + MAX_CLOCK_SKEW_SEC + 1) * 1000 - now();
    if (!readOnly && (await replay.seen(`sig:${signed.signature}`, ttlMs))) {
      refuse(res, 401, "refused a replayed request (same signature seen before)");
      return;
    }
    if (payload.kind === "reject") {
      refuse(res, 400, "refused a malformed Slack request", { problem: payload.problem });
      return;
    }
    if (payload.kind === "ignore") {
      logger.info("ignored a Slack request nothing here handles", { type: payload.type });
      res.writeHead(200);
      res.end();
      return;
    }
    Object.assign(req, { rawBody: raw });
    next(req, res);
  };

  return {
    wrap(listener) {
      return (req, res) => {
        if (req.method?.toUpperCase() !== "POST" || !opts.endpoints.includes(routedPath(req))) {
          listener(req, res);
          return;
        }
        handle(req, res, listener).catch((error: unknown) => {
          logger.warn("could not read a request", { error: (error as Error).message });
          if (!res.headersSent) res.writeHead(400);
          res.end();
        });
      };
    },
    dropUnverified() {
      for (const socket of receiving) socket.destroy();
      receiving.clear();
    },
  };
}

/**
 * The path as Bolt's HTTPReceiver routes it (a WHATWG URL's pathname, dot segments resolved), so
 * no spelling of the events endpoint reaches Bolt without passing here first.
 */
function routedPath(req: IncomingMessage): string {
  try {
    return new URL(req.url ?? "/", "http://localhost").pathname;
  } catch {
    return "";
  }
}

/** The whole body, or undefined past `limit` bytes (the rest is not read). */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  const declared = Number(req.headers["content-length"]);
  if (Number.isFinite(declared) && declared > limit) return Promise.resolve(undefined);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        cleanup();
        req.resume();
        resolve(undefined);
      } else chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(Buffer.concat(chunks, size));
    };
    const onError = (error: Error) => {
      cleanup();
      reject(error);
    };
    const onClose = () => {
      cleanup();
      reject(new Error("connection closed before the body arrived"));
    };
    const cleanup = () => {
      req.off("data", onData);
      req.off("end", onEnd);
      req.off("error", onError);
      req.off("close", onClose);
    };
    req.on("data", onData);
    req.on("end", onEnd);
    req.on("error", onError);
    req.on("close", onClose);
  });
}
