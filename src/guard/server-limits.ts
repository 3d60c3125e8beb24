import type { Server, ServerOptions } from "node:http";

/**
 * Slack sends each request whole within milliseconds and gives up on an answer after 3 s, so a
 * request still arriving after 10 s is not Slack's: Node answers 408 and closes the connection.
 * Node checks these limits every `connectionsCheckingInterval` (default 30 s).
 */
export const SERVER_OPTIONS: ServerOptions = {
  headersTimeout: 10_000,
  requestTimeout: 10_000,
  connectionsCheckingInterval: 1_000,
};

/** Resolves true when `p` settles within `ms`, false otherwise (never rejects). */
export function within(p: Promise<unknown>, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), Math.max(0, ms));
    timer.unref?.();
    p.then(
      () => resolve(true),
      () => resolve(true),
    ).finally(() => clearTimeout(timer));
  });
}

/**
 * Finishes closing an HTTP server whose close() has begun (`closed` settles when it is done):
 * waits until `deadline` for connections still answering, then closes every connection left.
 * Returns whether it closed on its own.
 */
export async function finishClosing(
  server: Server | undefined,
  closed: Promise<unknown>,
  deadline: number,
): Promise<boolean> {
  server?.closeIdleConnections();
  if (await within(closed, deadline - Date.now())) return true;
  server?.closeAllConnections();
  await within(closed, 1_000);
  return false;
}
