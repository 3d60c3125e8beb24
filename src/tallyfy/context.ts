/** What every service needs for one connection: the client, whose rights, and the shared cache. */
import type { Secrets } from "../log.ts";
import type { CallOptions, TallyfyConnection } from "./api.ts";
import { connectionKey, type TtlCache } from "./cache.ts";
import type { TallyfyClient } from "./client.ts";
import { apiPath, orgId } from "./ids.ts";

export interface ServiceContext {
  client: TallyfyClient;
  conn: TallyfyConnection;
  cache: TtlCache<unknown>;
  /** The connection's token is registered here while the connection is in use. */
  secrets: Secrets;
}

/**
 * `/organizations/{org}/…` with every segment URL-encoded; the org id is checked and an empty,
 * `.` or `..` segment refused (ids.ts), before any request.
 */
export function orgPath(conn: TallyfyConnection, ...segments: (string | number)[]): string {
  return apiPath("organizations", orgId(conn.orgId), ...segments);
}

/**
 * A cached, coalesced read. The key always starts with the token's fingerprint and the org, so
 * one connection's data is never served to another. The shared load runs without any one
 * caller's abort signal; each caller still stops waiting when its own signal aborts.
 */
export function cachedRead<T>(
  ctx: ServiceContext,
  name: string,
  parts: unknown[],
  opts: CallOptions | undefined,
  load: (opts: CallOptions) => Promise<T>,
): Promise<T> {
  const key = `${connectionKey(ctx.conn)}:${name}:${JSON.stringify(parts)}`;
  const shared = { ...(opts?.policy ? { policy: opts.policy } : {}) };
  const promise = ctx.cache.get(key, () => load(shared)) as Promise<T>;
  return untilAborted(promise, opts?.signal);
}

function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  signal.throwIfAborted();
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}
