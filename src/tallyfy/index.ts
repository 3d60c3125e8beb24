/** The Tallyfy side of the bot: one client, per-connection services, caches keyed by token. */
import type { Dispatcher } from "undici";
import { type Logger, type Secrets, silentLogger } from "../log.ts";
import type { Tallyfy, TallyfyApi } from "./api.ts";
import { connectionKey, TtlCache } from "./cache.ts";
import { TallyfyClient } from "./client.ts";
import { MAX_STALE_MS, type ServiceContext } from "./context.ts";
import { createMeService } from "./me.ts";
import type { Pacer, PacerOptions, Priority } from "./pacing.ts";
import { createRunsService } from "./runs.ts";
import { createTagsService } from "./tags.ts";
import { createTasksService } from "./tasks.ts";
import { TemplateIndexes } from "./template-index.ts";
import { createTemplatesService } from "./templates.ts";
import { createUsersService } from "./users.ts";
import { SharedCalls } from "./work-scope.ts";

export interface CreateTallyfyOptions {
  apiUrl: string;
  logger?: Logger;
  /**
   * How long templates, users and tags stay cached, and how long a template title index is
   * fresh. Default 60 s; 0 turns caching (and the index) off.
   */
  cacheTtlMs?: number;
  /** Most cached entries across all connections. Default 2000. */
  cacheMax?: number;
  /** Clock of the caches and the template title index (template-index.ts), for tests. */
  now?: () => number;
  userAgent?: string;
  dispatcher?: Dispatcher;
  /** Where connection tokens are registered; default: the logger's (or a new registry). */
  secrets?: Secrets;
  /** Per-organization pacing (pacing.ts) and when a held call's `onPaced` fires. */
  pacing?: PacerOptions;
  pacingNoticeMs?: number;
  /** Keep to another client's budgets (see Tallyfy.sharingBudget). */
  pacer?: Pacer;
  /** The priority of calls that do not give one. Default "interactive". */
  priority?: Priority;
}

/** A launch by title trusts an index at most this old (and checks the template it reads). */
const INDEX_MAX_AGE_MS = 10 * 60_000;
/** Connections with a template index at once (each ≤ 300 short rows). */
const INDEX_CONNECTIONS = 500;
/** Connections whose services are kept; past it they are built again (bounded by clearing). */
const MAX_CONNECTION_APIS = 1_000;

export function createTallyfy(opts: CreateTallyfyOptions): Tallyfy {
  const client = new TallyfyClient({
    baseUrl: opts.apiUrl,
    ...(opts.logger ? { logger: opts.logger } : {}),
    ...(opts.userAgent ? { userAgent: opts.userAgent } : {}),
    ...(opts.dispatcher ? { dispatcher: opts.dispatcher } : {}),
    ...(opts.secrets ? { secrets: opts.secrets } : {}),
    ...(opts.pacing ? { pacing: opts.pacing } : {}),
    ...(opts.pacingNoticeMs !== undefined ? { pacingNoticeMs: opts.pacingNoticeMs } : {}),
    ...(opts.pacer ? { pacer: opts.pacer } : {}),
    ...(opts.priority ? { priority: opts.priority } : {}),
  });
  const { secrets } = client;
  const logger = opts.logger ?? silentLogger;
  const cacheTtlMs = opts.cacheTtlMs ?? 60_000;
  const cache = new TtlCache<unknown>({
    ttlMs: cacheTtlMs,
    max: opts.cacheMax ?? 2000,
    keepStaleMs: MAX_STALE_MS,
    ...(opts.now ? { now: opts.now } : {}),
  });
  const templateIndexes =
    cacheTtlMs > 0
      ? new TemplateIndexes({
          freshMs: cacheTtlMs,
          maxAgeMs: INDEX_MAX_AGE_MS,
          max: INDEX_CONNECTIONS,
          ...(opts.now ? { now: opts.now } : {}),
        })
      : undefined;
  // Task completions under way in this process, so a double click completes once.
  const inflight = new Map<string, Promise<unknown>>();
  const loads = new SharedCalls();
  // One set of services per connection, not per request: building them allocated ~2.7 KB of
  // closures a command, garbage that a burst of cards paid for in collections (issue 18).
  const apis = new Map<string, TallyfyApi>();
  return {
    forConnection: (conn) => {
      // Registered on every use, so the registry keeps tokens in use as its most recent.
      secrets.register(conn.token);
      const key = `${conn.orgId}\n${conn.token}`;
      const known = apis.get(key);
      if (known) return known;
      if (apis.size >= MAX_CONNECTION_APIS) apis.clear();
      const api = createTallyfyApi({
        client,
        conn: { token: conn.token, orgId: conn.orgId },
        cache,
        secrets,
        logger,
        inflight,
        templateIndexes,
        loads,
      });
      apis.set(key, api);
      return api;
    },
    me: createMeService(client),
    resetPacing: () => client.resetPacing(),
    useWorkScope: (scope) => client.useWorkScope(scope),
    sharingBudget: ({ dispatcher, priority }) =>
      createTallyfy({
        ...opts,
        ...(dispatcher ? { dispatcher } : {}),
        ...(priority ? { priority } : {}),
        secrets,
        pacer: client.pacer,
      }),
    async close() {
      apis.clear();
      cache.clear();
      templateIndexes?.clear();
      await client.close();
    },
  };
}

/** The services for one connection (forConnection keeps one set per connection). */
function createTallyfyApi(
  given: Omit<ServiceContext, "connKey"> & { inflight?: Map<string, Promise<unknown>> },
): TallyfyApi {
  const connKey = connectionKey(given.conn, (token) => given.client.fingerprint(token));
  const ctx = { ...given, connKey };
  return {
    orgId: ctx.conn.orgId,
    templates: createTemplatesService(ctx),
    runs: createRunsService(ctx),
    users: createUsersService(ctx),
    tags: createTagsService(ctx),
    tasks: createTasksService(ctx),
  };
}

export * from "./api.ts";
export { connectionKey, TtlCache, type TtlCacheOptions, tokenFingerprint } from "./cache.ts";
export {
  type HttpMethod,
  type QueryValue,
  TallyfyClient,
  type TallyfyClientOptions,
  type TallyfyRequest,
} from "./client.ts";
export type { ServiceContext } from "./context.ts";
export * from "./errors.ts";
export { Pacer, type PacerOptions, type Priority } from "./pacing.ts";
export { launchBody, listQuery, stableEqual, updateBody } from "./run-changes.ts";
export { RUN_DETAIL_WITH } from "./runs.ts";
export * from "./schemas.ts";
export * from "./task-bodies.ts";
export * from "./task-errors.ts";
export * from "./task-schemas.ts";
export * from "./tasks.ts";
export type { WorkScope } from "./work-scope.ts";
