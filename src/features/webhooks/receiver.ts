/**
 * `POST /tallyfy/webhooks/<secret>`: Tallyfy's deliveries. A wrong secret gets a 404 and
 * nothing is read; a body over 1 MB a 413; a body that is not JSON or not a shape Tallyfy sends
 * a 400 and a log line. A valid delivery is answered 200 at once and handled after.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { MAX_BODY_BYTES } from "../../guard/http-guard.ts";
import type { Logger } from "../../log.ts";
import type { LiveState, WebhookSecret } from "../../store/live-state.ts";
import { readWebhook, type WebhookEvent } from "./payload.ts";

export const WEBHOOK_PATH = "/tallyfy/webhooks";

export interface WebhookReceiverOptions {
  live: LiveState;
  logger: Logger;
  /** Called after the 200 for each valid delivery. */
  deliver: (org: WebhookSecret, event: WebhookEvent) => void;
}

type Res = Pick<ServerResponse, "writeHead" | "end" | "headersSent">;

/** A Bolt custom route: `{ path, method, handler }`. */
export function webhookRoute(opts: WebhookReceiverOptions) {
  return {
    path: `${WEBHOOK_PATH}/:secret`,
    method: ["POST"],
    handler: (req: IncomingMessage & { params?: Record<string, string> }, res: ServerResponse) => {
      receive(opts, req, res).catch((error: unknown) => {
        opts.logger.warn("could not handle a Tallyfy webhook", {
          error: (error as Error).message,
        });
        answer(res, 500);
      });
    },
  };
}

function answer(res: Res, status: number, close = false): void {
  if (res.headersSent) return;
  res.writeHead(status, {
    "content-type": "application/json",
    ...(close ? { connection: "close" } : {}),
  });
  res.end(JSON.stringify({ ok: status < 300 }));
}

async function receive(
  opts: WebhookReceiverOptions,
  req: IncomingMessage & { params?: Record<string, string> },
  res: ServerResponse,
): Promise<void> {
  const secret = req.params?.secret ?? "";
  const org = secret.length >= 16 ? await opts.live.webhookBySecret(secret) : undefined;
  if (!org) {
    // Nothing is read from an unknown sender; the connection closes with the answer.
    answer(res, 404, true);
    req.resume();
    return;
  }
  const raw = await readCapped(req, MAX_BODY_BYTES);
  if (raw === undefined) {
    opts.logger.warn("refused a Tallyfy webhook over the size limit", { orgId: org.orgId });
    answer(res, 413, true);
    return;
  }
  let body: unknown;
  try {
    body = JSON.parse(raw.toString("utf8"));
  } catch {
    opts.logger.warn("refused a Tallyfy webhook that is not JSON", { orgId: org.orgId });
    answer(res, 400);
    return;
  }
  const read = readWebhook(body);
  if (!read.ok) {
    opts.logger.warn("refused a Tallyfy webhook of an unknown shape", {
      orgId: org.orgId,
      problem: read.problem,
    });
    answer(res, 400);
    return;
  }
  answer(res, 200);
  opts.deliver(org, read.event);
}

/** The whole body, or undefined once it passes `max` bytes (the rest is not read). */
function readCapped(req: IncomingMessage, max: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const declared = Number(req.headers["content-length"]);
    if (Number.isFinite(declared) && declared > max) {
      req.resume();
      resolve(undefined);
      return;
    }
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > max) {
        req.removeAllListeners("data");
        req.resume();
        resolve(undefined);
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}
