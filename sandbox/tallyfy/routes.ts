/** The API's endpoints: path patterns and handlers. Paths are below the /api prefix. */
import { forbidden, paginate, resourceNotFound } from "./http.ts";
import { activateRun, archiveRun, findRun, launchRun, listRuns, updateRun } from "./runs.ts";
import { TASK_ROUTES } from "./task-routes.ts";
import type { SandboxState, SandboxUser } from "./types.ts";
import {
  parseWith,
  runView,
  tagView,
  templateSummaryView,
  templateView,
  userView,
} from "./views.ts";

export interface RouteContext {
  state: SandboxState;
  user: SandboxUser;
  /** Captured path segments after the organization id. */
  params: string[];
  orgId: string;
  query: Record<string, string>;
  body: unknown;
  /** The request's full URL, for pagination links. */
  url: URL;
  now: number;
}

export interface RouteResult {
  status: number;
  body: unknown;
}

export interface Route {
  method: string;
  /** First capture group is the organization id when `org` is true. */
  pattern: RegExp;
  org: boolean;
  handle(ctx: RouteContext): RouteResult;
}

export const ok = (body: unknown): RouteResult => ({ status: 200, body });
export const ID = "([^/]+)";

function runOut(ctx: RouteContext, run: Parameters<typeof runView>[1]) {
  return { data: runView(ctx.state, run, { with: parseWith(ctx.query.with), now: ctx.now }) };
}

function includes(haystack: string, q: string | undefined): boolean {
  return !q || haystack.toLowerCase().includes(q.trim().toLowerCase());
}

const ROUTES: Route[] = [
  {
    method: "GET",
    pattern: /^\/me$/,
    org: false,
    handle: (ctx) => ok({ data: userView(ctx.user) }),
  },
  {
    method: "GET",
    pattern: /^\/me\/organizations$/,
    org: false,
    handle: (ctx) =>
      ok({
        data: ctx.state.organizations
          .filter((o) => ctx.user.orgIds.includes(o.id))
          .map((o) => ({ id: o.id, name: o.name })),
      }),
  },
  {
    method: "GET",
    pattern: new RegExp(`^/organizations/${ID}/checklists$`),
    org: true,
    handle: (ctx) => {
      const found = ctx.state.templates
        .filter((t) => t.orgId === ctx.orgId && t.archived_at === null)
        .filter((t) => includes(t.title, ctx.query.q))
        .sort((a, b) => a.title.localeCompare(b.title));
      return ok(paginate(found.map(templateSummaryView), ctx.query, ctx.url));
    },
  },
  {
    method: "GET",
    pattern: new RegExp(`^/organizations/${ID}/checklists/${ID}$`),
    org: true,
    handle: (ctx) => {
      const tpl = ctx.state.templates.find((t) => t.id === ctx.params[0] && t.orgId === ctx.orgId);
      if (!tpl) throw resourceNotFound("Checklist");
      return ok({ data: templateView(tpl, parseWith(ctx.query.with).has("steps")) });
    },
  },
  {
    method: "GET",
    pattern: new RegExp(`^/organizations/${ID}/runs$`),
    org: true,
    handle: (ctx) => {
      const runs = listRuns(ctx.state, ctx.orgId, ctx.query);
      const page = paginate(runs, ctx.query, ctx.url);
      return ok({ ...page, data: page.data.map((r) => runOut(ctx, r).data) });
    },
  },
  {
    method: "POST",
    pattern: new RegExp(`^/organizations/${ID}/runs$`),
    org: true,
    handle: (ctx) => {
      const run = launchRun(ctx.state, ctx.orgId, ctx.user, ctx.body, ctx.now);
      return { status: 201, body: runOut(ctx, run) };
    },
  },
  {
    method: "GET",
    pattern: new RegExp(`^/organizations/${ID}/runs/${ID}$`),
    org: true,
    handle: (ctx) => ok(runOut(ctx, findRun(ctx.state, ctx.orgId, ctx.params[0] ?? ""))),
  },
  {
    method: "PUT",
    pattern: new RegExp(`^/organizations/${ID}/runs/${ID}$`),
    org: true,
    handle: (ctx) => {
      const run = findRun(ctx.state, ctx.orgId, ctx.params[0] ?? "");
      return ok(runOut(ctx, updateRun(ctx.state, run, ctx.body, ctx.now)));
    },
  },
  {
    method: "DELETE",
    pattern: new RegExp(`^/organizations/${ID}/runs/${ID}$`),
    org: true,
    handle: (ctx) =>
      ok(runOut(ctx, archiveRun(findRun(ctx.state, ctx.orgId, ctx.params[0] ?? ""), ctx.now))),
  },
  {
    method: "PUT",
    pattern: new RegExp(`^/organizations/${ID}/runs/${ID}/activate$`),
    org: true,
    handle: (ctx) =>
      ok(runOut(ctx, activateRun(findRun(ctx.state, ctx.orgId, ctx.params[0] ?? ""), ctx.now))),
  },
  {
    method: "GET",
    pattern: new RegExp(`^/organizations/${ID}/users$`),
    org: true,
    handle: (ctx) => {
      const users = ctx.state.users
        .filter((u) => u.orgIds.includes(ctx.orgId))
        .filter((u) => includes(`${u.first_name} ${u.last_name} ${u.email}`, ctx.query.q))
        .sort((a, b) => a.id - b.id);
      return ok(paginate(users.map(userView), ctx.query, ctx.url));
    },
  },
  {
    method: "GET",
    pattern: new RegExp(`^/organizations/${ID}/tags$`),
    org: true,
    handle: (ctx) => {
      const tags = ctx.state.tags
        .filter((t) => t.orgId === ctx.orgId && includes(t.title, ctx.query.q))
        .sort((a, b) => a.title.localeCompare(b.title));
      return ok(paginate(tags.map(tagView), ctx.query, ctx.url));
    },
  },
  ...TASK_ROUTES,
];

export type RouteMatch = { route: Route; captures: string[] };

/** The route for a method and path, "method" when only the method is wrong, or undefined. */
export function matchRoute(method: string, path: string): RouteMatch | "method" | undefined {
  let pathMatched = false;
  for (const route of ROUTES) {
    const m = route.pattern.exec(path);
    if (!m) continue;
    pathMatched = true;
    if (route.method === method) return { route, captures: m.slice(1).map(decodeURIComponent) };
  }
  return pathMatched ? "method" : undefined;
}

/** Runs a matched route for an authenticated user; 403 outside the user's organizations. */
export function runRoute(
  match: RouteMatch,
  ctx: Omit<RouteContext, "params" | "orgId">,
): RouteResult {
  const { route, captures } = match;
  const orgId = route.org ? (captures[0] ?? "") : "";
  if (route.org && !ctx.user.orgIds.includes(orgId)) throw forbidden();
  const params = route.org ? captures.slice(1) : captures;
  return route.handle({ ...ctx, orgId, params });
}
