/** What every service needs for one connection: the client, whose rights, and the shared cache. */
import type { Logger, Secrets } from "../log.ts";
import type { CallOptions, TallyfyConnection } from "./api.ts";
import { type TtlCache, untilAborted } from "./cache.ts";
import type { TallyfyClient } from "./client.ts";
import { apiPath, orgId } from "./ids.ts";
import type { Page } from "./schemas.ts";
import type { TemplateIndexes } from "./template-index.ts";
import type { Joiner, SharedCalls } from "./work-scope.ts";

export interface ServiceContext {
  client: TallyfyClient;
  conn: TallyfyConnection;
  /** connectionKey(conn), once per connection's services: a card's reads ask for it ~8 times. */
  connKey: string;
  cache: TtlCache<unknown>;
  /** The connection's token is registered here while the connection is in use. */
  secrets: Secrets;
  logger: Logger;
  /** Each connection's template title index (template-index.ts); absent when caching is off. */
  templateIndexes?: TemplateIndexes;
  /** Cached reads being loaded, shared by their callers (keys as in the cache). */
  loads: SharedCalls;
}

/**
 * `/organizations/{org}/…` with every segment URL-encoded; the org id is checked and an empty,
 * `.` or `..` segment refused (ids.ts), before any request.
 */
export function orgPath(conn: TallyfyConnection, ...segments: (string | number)[]): string {
  return apiPath("organizations", orgId(conn.orgId), ...segments);
}

/**
 * Logs the rows of a list Tallyfy sent that could not be read (by position, id and what was
 * wrong, never their values), and hands the page on.
 */
export function noteSkipped<P extends Page<unknown>>(
  ctx: ServiceContext,
  what: string,
  page: P,
): P {
  const skipped = page.skipped ?? [];
  if (skipped.length > 0) {
    ctx.logger.warn("Tallyfy sent list rows I couldn't read; they were left out", {
      what,
      count: skipped.length,
      rows: skipped.slice(0, 5),
    });
  }
  return page;
}

/**
 * The longest a cached read may be answered past its TTL while a fresh one is read behind it
 * (people's and tags' names; the shared cache keeps entries this long past their TTL).
 */
export const MAX_STALE_MS = 10 * 60_000;

/**
 * A cached, coalesced read. The key always starts with the token's fingerprint and the org, so
 * one connection's data is never served to another. The shared load runs without any one
 * caller's abort signal; each caller still stops waiting when its own signal (or work) stops,
 * and every caller's work hears when the load's request goes out (work-scope.ts).
 */
export function cachedRead<T>(
  ctx: ServiceContext,
  name: string,
  parts: unknown[],
  opts: CallOptions | undefined,
  load: (opts: CallOptions) => Promise<T>,
  /**
   * Past its TTL by less than this, the cached value is answered at once and a fresh one is
   * read behind it, at background priority (people and tag names: a card never waits for them).
   */
  staleMs = 0,
): Promise<T> {
  const key = `${ctx.connKey}:${name}:${JSON.stringify(parts)}`;
  const hit = ctx.cache.peek(key);
  if (hit) return untilAborted(Promise.resolve(hit.value as T), opts?.signal);
  const policy = opts?.policy ? { policy: opts.policy } : {};
  const shared = (loadOpts: CallOptions, caller: Joiner) =>
    ctx.loads.join(
      key,
      undefined,
      (group) =>
        ctx.cache.get(key, () => load({ ...loadOpts, scope: group, signal: group.signal })),
      caller,
      // Stopped (every caller left first): the next caller starts its own load.
      () => ctx.cache.abandon(key),
    ) as Promise<T>;
  const stale = staleMs > 0 ? ctx.cache.peekStale(key, staleMs) : undefined;
  if (stale) {
    // Read behind the answer, for nobody in particular.
    shared({ ...policy, priority: "background" }, {}).catch((error: unknown) =>
      ctx.logger.warn("refreshing a cached Tallyfy read failed", { name, error }),
    );
    return untilAborted(Promise.resolve(stale.value as T), opts?.signal);
  }
  return shared(
    { ...policy, ...(opts?.priority ? { priority: opts.priority } : {}) },
    { signal: opts?.signal, scope: ctx.client.workScope(opts) },
  );
}
