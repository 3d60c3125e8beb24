import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { SEED } from "../../sandbox/tallyfy/seed.ts";
import {
  type RecordedRequest,
  startTallyfySandbox,
  type TallyfySandbox,
} from "../../sandbox/tallyfy/server.ts";

// biome-ignore lint/suspicious/noExplicitAny: JSON answers are inspected field by field
type Json = any;

let sbx: TallyfySandbox;
const ORG = SEED.orgId;
const F = SEED.onboardingFields;
const RUNS = `/organizations/${ORG}/runs`;

beforeAll(async () => {
  sbx = await startTallyfySandbox();
});
afterAll(async () => {
  await sbx?.close();
});
beforeEach(() => {
  sbx.reset();
  sbx.latencyMs = 0;
});

interface CallOptions {
  method?: string;
  body?: unknown;
  /** null: no Authorization header. */
  token?: string | null;
  client?: boolean;
}

async function call(path: string, opts: CallOptions = {}) {
  const headers: Record<string, string> = { Accept: "application/json" };
  const token = opts.token === undefined ? sbx.token : opts.token;
  if (token !== null) headers.Authorization = `Bearer ${token}`;
  if (opts.client !== false) headers["X-Tallyfy-Client"] = "APIClient";
  if (opts.body !== undefined) headers["Content-Type"] = "application/json";
  const res = await fetch(sbx.url + path, {
    method: opts.method ?? "GET",
    headers,
    ...(opts.body !== undefined ? { body: JSON.stringify(opts.body) } : {}),
  });
  const text = await res.text();
  return {
    status: res.status,
    headers: res.headers,
    text,
    json: text ? (JSON.parse(text) as Json) : undefined,
  };
}

const launch = (body: unknown) => call(RUNS, { method: "POST", body });
const onboarding = (prerun: unknown, extra: Record<string, unknown> = {}) =>
  launch({
    checklist_id: SEED.templates.onboarding,
    name: "Onboarding – Test Hire",
    prerun,
    ...extra,
  });

/** A complete, valid onboarding kick-off form, keyed by field id. */
function validPrerun(): Record<string, unknown> {
  return {
    [F.fullName]: "Ada Lovelace",
    [F.workLocation]: "Remote",
    [F.department]: { id: 11, text: "Engineering" },
    [F.systems]: [{ id: 23, text: "GitHub", selected: true }],
    [F.startDate]: "2030-01-15",
    [F.personalEmail]: "ada@example.com",
    [F.buddy]: { users: [SEED.users.bob.id], guests: [], groups: [] },
  };
}

describe("headers and errors", () => {
  it("answers 401 without a known bearer token", async () => {
    for (const token of [null, "not-a-token"]) {
      const res = await call("/me", { token });
      expect(res.status).toBe(401);
      expect(res.json).toEqual({ error: true, message: "Unauthenticated." });
    }
  });

  it("answers 404 ENDPOINT_NOT_FOUND without X-Tallyfy-Client, or for an unknown path", async () => {
    const noClient = await call("/me", { client: false });
    expect(noClient.status).toBe(404);
    expect(noClient.json).toMatchObject({ error: true, code: "ENDPOINT_NOT_FOUND" });
    const unknown = await call(`/organizations/${ORG}/widgets`);
    expect(unknown.status).toBe(404);
    expect(unknown.json.code).toBe("ENDPOINT_NOT_FOUND");
  });

  it("answers 403 for an organization the user does not belong to", async () => {
    const bobOnLabs = await call(`/organizations/${SEED.secondOrg.id}/runs`, {
      token: SEED.users.bob.token,
    });
    expect(bobOnLabs.status).toBe(403);
    expect(bobOnLabs.json.error).toBe(true);
    const aliceOnLabs = await call(`/organizations/${SEED.secondOrg.id}/runs`);
    expect(aliceOnLabs.status).toBe(200);
    expect(aliceOnLabs.json.data.map((r: Json) => r.id)).toContain(SEED.runs.labs);
  });

  it("answers 404 RESOURCE_NOT_FOUND for unknown ids, and for another organization's run", async () => {
    for (const path of [
      `${RUNS}/${"0".repeat(32)}`,
      `${RUNS}/${SEED.runs.labs}`,
      `/organizations/${ORG}/checklists/nope`,
    ]) {
      const res = await call(path);
      expect(res.status).toBe(404);
      expect(res.json.code).toBe("RESOURCE_NOT_FOUND");
    }
  });

  it("sends a distinct X-Request-Id on every response, errors included", async () => {
    const a = await call("/me");
    const b = await call("/me", { token: null });
    expect(a.headers.get("x-request-id")).toBeTruthy();
    expect(b.headers.get("x-request-id")).toBeTruthy();
    expect(a.headers.get("x-request-id")).not.toBe(b.headers.get("x-request-id"));
  });
});

describe("me, users, tags", () => {
  it("identifies the token's user and lists their organizations", async () => {
    const me = await call("/me");
    expect(me.json.data).toMatchObject({ id: SEED.users.admin.id, email: "alice@acme.test" });
    const orgs = await call("/me/organizations");
    expect(orgs.json.data.map((o: Json) => o.id).sort()).toEqual([ORG, SEED.secondOrg.id].sort());
    const bobOrgs = await call("/me/organizations", { token: SEED.users.bob.token });
    expect(bobOrgs.json.data).toEqual([{ id: ORG, name: "Acme Operations" }]);
  });

  it("searches users and tags", async () => {
    const users = await call(`/organizations/${ORG}/users?q=CAROL&per_page=50`);
    expect(users.json.data).toHaveLength(1);
    expect(users.json.data[0]).toMatchObject({ id: SEED.users.carol.id, full_name: "Carol Chen" });
    const all = await call(`/organizations/${ORG}/users?per_page=50`);
    expect(all.json.data.map((u: Json) => u.email)).not.toContain("zoe@labs.test");
    const tags = await call(`/organizations/${ORG}/tags?q=urg`);
    expect(tags.json.data).toEqual([
      { id: SEED.tags.urgent, title: "Urgent", color: expect.any(String) },
    ]);
  });
});

describe("templates", () => {
  it("pages the template search with Tallyfy's pagination meta", async () => {
    const first = await call(`/organizations/${ORG}/checklists?per_page=10`);
    const p1 = first.json.meta.pagination;
    expect(p1).toMatchObject({ count: 10, per_page: 10, current_page: 1 });
    expect(p1.total_pages).toBe(Math.ceil(p1.total / 10));
    expect(p1.total).toBeGreaterThanOrEqual(15);
    expect(new URL(p1.links.next).searchParams.get("page")).toBe("2");
    const last = await call(`/organizations/${ORG}/checklists?per_page=10&page=${p1.total_pages}`);
    const pl = last.json.meta.pagination;
    expect(pl.links).toEqual([]);
    expect(pl.count).toBe(p1.total - 10 * (p1.total_pages - 1));
    const ids = new Set([...first.json.data, ...last.json.data].map((t: Json) => t.id));
    expect(ids.size).toBe(first.json.data.length + last.json.data.length);
  });

  it("searches titles case-insensitively and caps per_page at 100", async () => {
    const res = await call(`/organizations/${ORG}/checklists?q=ONBOARD`);
    expect(res.json.data.map((t: Json) => t.title).sort()).toEqual([
      "Client Onboarding",
      "Employee Onboarding",
    ]);
    const big = await call(`/organizations/${ORG}/checklists?per_page=500`);
    expect(big.json.meta.pagination.per_page).toBe(100);
  });

  it("returns the kick-off form with all ten field types, out of position order", async () => {
    const res = await call(
      `/organizations/${ORG}/checklists/${SEED.templates.onboarding}?with=steps`,
    );
    const tpl = res.json.data;
    const types = new Set(tpl.prerun.map((f: Json) => f.field_type));
    expect(types).toEqual(
      new Set([
        "text",
        "textarea",
        "radio",
        "dropdown",
        "multiselect",
        "date",
        "email",
        "file",
        "table",
        "assignees_form",
      ]),
    );
    const positions = tpl.prerun.map((f: Json) => f.position);
    expect(positions).not.toEqual([...positions].sort((a: number, b: number) => a - b));
    expect(tpl.steps.data.length).toBe(tpl.steps_count);
    const table = tpl.prerun.find((f: Json) => f.field_type === "table");
    expect(table.columns.length).toBeGreaterThan(0);
    const plain = await call(`/organizations/${ORG}/checklists/${SEED.templates.weeklyCheckin}`);
    expect(plain.json.data.prerun).toEqual([]);
    expect(plain.json.data.steps).toBeUndefined();
  });

  it("seeds the awkward templates", async () => {
    const get = async (id: string) =>
      (await call(`/organizations/${ORG}/checklists/${id}`)).json.data;
    expect((await get(SEED.templates.countryAccess)).prerun[0].options).toHaveLength(150);
    expect(
      (await get(SEED.templates.itSupport)).prerun.find((f: Json) => f.field_type === "radio")
        .options,
    ).toHaveLength(12);
    expect(
      (await get(SEED.templates.vendorContract)).prerun.find((f: Json) => f.field_type === "file")
        .required,
    ).toBe(true);
    expect((await get(SEED.templates.complianceAudit)).prerun).toHaveLength(120);
  });
});

describe("listing runs", () => {
  it("excludes archived runs by default and pages at per_page 10 without overlap", async () => {
    const seen: string[] = [];
    let page = 1;
    let meta: Json;
    do {
      const res = await call(`${RUNS}?per_page=10&page=${page}`);
      meta = res.json.meta.pagination;
      for (const r of res.json.data) {
        expect(r.status).not.toBe("archived");
        seen.push(r.id);
      }
      page++;
    } while (meta.current_page < meta.total_pages);
    expect(meta.total_pages).toBeGreaterThanOrEqual(3);
    expect(new Set(seen).size).toBe(meta.total);
    expect(seen).not.toContain(SEED.runs.archived);
  });

  it("lists archived runs with status=archived or archived=only", async () => {
    for (const q of ["status=archived", "archived=only"]) {
      const res = await call(`${RUNS}?${q}&per_page=100`);
      expect(res.json.data.length).toBeGreaterThan(0);
      expect(res.json.data.every((r: Json) => r.status === "archived")).toBe(true);
      expect(res.json.data.map((r: Json) => r.id)).toContain(SEED.runs.archivedComplete);
    }
  });

  it("filters by status, owner, template, tag and name, and sorts", async () => {
    for (const status of ["active", "problem", "delayed", "complete"]) {
      const res = await call(`${RUNS}?status=${status}&per_page=100`);
      expect(res.json.data.length).toBeGreaterThan(0);
      expect(res.json.data.every((r: Json) => r.status === status)).toBe(true);
    }
    const owners = await call(
      `${RUNS}?owners=${SEED.users.bob.id},${SEED.users.carol.id}&per_page=100`,
    );
    expect(owners.json.data.every((r: Json) => [1002, 1003].includes(r.owner_id))).toBe(true);
    const byTpl = await call(`${RUNS}?checklist_id=${SEED.templates.onboarding}&per_page=100`);
    expect(byTpl.json.data.map((r: Json) => r.id)).toContain(SEED.runs.active);
    expect(byTpl.json.data.every((r: Json) => r.checklist_title === "Employee Onboarding")).toBe(
      true,
    );
    const byTag = await call(`${RUNS}?tag=${SEED.tags.legal}`);
    expect(byTag.json.data.map((r: Json) => r.id)).toEqual([SEED.runs.problem]);
    const byName = await call(`${RUNS}?q=MARIA`);
    expect(byName.json.data.map((r: Json) => r.id)).toEqual([SEED.runs.active]);
    const sorted = await call(`${RUNS}?sort=name&per_page=100`);
    const names = sorted.json.data.map((r: Json) => r.name);
    expect(names).toEqual([...names].sort((a: string, b: string) => a.localeCompare(b)));
  });
});

describe("getting a run", () => {
  it("returns tag ids plainly and wrapped tag objects, next task and checklist on request", async () => {
    const plain = (await call(`${RUNS}/${SEED.runs.active}`)).json.data;
    expect(plain.tags).toEqual([SEED.tags.onboarding, SEED.tags.hiring]);
    expect(plain.prerun[F.fullName]).toBe("Maria Garcia");
    expect(plain.progress).toMatchObject({ total: 8, complete: 3 });
    expect(plain.id).toMatch(/^[0-9a-f]{32}$/);
    const rich = (
      await call(
        `${RUNS}/${SEED.runs.active}?with=checklist,tasks,tags,next_task&form_fields_values=true`,
      )
    ).json.data;
    expect(rich.tags.data.map((t: Json) => t.title)).toEqual(["Onboarding", "Hiring"]);
    expect(rich.next_task.data).toHaveLength(1);
    expect(rich.next_task.data[0].status).not.toBe("completed");
    expect(rich.checklist.data.id).toBe(SEED.templates.onboarding);
    expect(rich.tasks.data).toHaveLength(8);
  });

  it("varies the progress shape and flags overdue runs", async () => {
    const numeric = (await call(`${RUNS}/${SEED.runs.progressAsNumber}`)).json.data;
    expect(typeof numeric.progress).toBe("number");
    const delayed = (await call(`${RUNS}/${SEED.runs.delayed}`)).json.data;
    expect(delayed.due_date_passed).toBe(true);
    expect(delayed.late_tasks).toBeGreaterThan(0);
    const complete = (await call(`${RUNS}/${SEED.runs.complete}`)).json.data;
    expect(complete.completed_at).not.toBeNull();
    expect(complete.progress.percent).toBe(100);
  });
});

describe("launching", () => {
  it("stores an object prerun by field id and fills in the new run", async () => {
    const before = Math.max(...[...sbx.state.runs.values()].map((r) => r.increment_id));
    const res = await onboarding(validPrerun(), { tags: [SEED.tags.hiring] });
    expect(res.status).toBe(201);
    const run = res.json.data;
    expect(run).toMatchObject({
      status: "active",
      checklist_id: SEED.templates.onboarding,
      checklist_title: "Employee Onboarding",
      started_by: SEED.users.admin.id,
      owner_id: SEED.users.admin.id,
      users: [SEED.users.admin.id],
      progress: { complete: 0, total: 8, percent: 0 },
      archived_at: null,
      tags: [SEED.tags.hiring],
    });
    expect(run.increment_id).toBe(before + 1);
    expect(run.id).toMatch(/^[0-9a-f]{32}$/);
    expect(run.prerun[F.fullName]).toBe("Ada Lovelace");
    expect(run.prerun[F.department]).toEqual({ id: 11, text: "Engineering", value: null });
    expect(sbx.state.runs.get(run.id)?.prerun[F.personalEmail]).toBe("ada@example.com");
    const listed = await call(`${RUNS}?q=Test Hire`);
    expect(listed.json.data.map((r: Json) => r.id)).toEqual([run.id]);
  });

  it("silently drops every value of a prerun sent as an array", async () => {
    const values = [{ [SEED.onboardingFields.fullName]: "Ada" }];
    const required = await onboarding(values);
    expect(required.status).toBe(422);
    expect(required.json).toEqual({ error: true, message: "Employee full name is required" });

    const tpl = sbx.state.templates.find((t) => t.id === SEED.templates.travelRequest)!;
    for (const f of tpl.prerun) f.required = false;
    const optional = await launch({
      checklist_id: tpl.id,
      name: "Trip",
      prerun: tpl.prerun.map((f) => ({ [f.id]: "Lisbon" })),
    });
    expect(optional.status).toBe(201);
    expect(optional.json.data.prerun).toEqual([]);
  });

  it("validates like the live service", async () => {
    const missing = await launch({ name: "x" });
    expect(missing.status).toBe(422);
    expect(missing.json).toEqual({
      error: true,
      message: "The given data was invalid.",
      errors: { checklist_id: ["The checklist id field is required."] },
    });
    const long = await onboarding(validPrerun(), { name: "x".repeat(551) });
    expect(long.status).toBe(422);
    expect(long.json.errors.name).toBeDefined();
    expect((await onboarding(validPrerun(), { name: "x".repeat(550) })).status).toBe(201);
    expect((await launch({ checklist_id: "f".repeat(32) })).json.code).toBe("RESOURCE_NOT_FOUND");
    expect(
      (await onboarding(validPrerun(), { tags: ["nope"] })).json.errors["tags.0"],
    ).toBeDefined();
    expect((await onboarding(validPrerun(), { owner_id: 999 })).json.errors.owner_id).toBeDefined();
  });

  it.each([
    [
      "a dropdown option in the wrong case",
      F.department,
      { id: 11, text: "engineering" },
      "Invalid dropdown choice selected.",
    ],
    [
      "a dropdown id that does not match the text",
      F.department,
      { id: 12, text: "Engineering" },
      "Invalid dropdown choice selected.",
    ],
    [
      "a dropdown sent as a string",
      F.department,
      "Engineering",
      "Invalid dropdown choice selected.",
    ],
    ["a radio value that is no option", F.workLocation, "Moon", "Invalid radio choice selected."],
    [
      "an unknown multiselect choice",
      F.systems,
      [{ id: 99, text: "Jira", selected: true }],
      "Invalid multiselect choice selected.",
    ],
    [
      "an email without @",
      F.personalEmail,
      "ada.example.com",
      "Personal email must be a valid email address.",
    ],
    ["a date that is not ISO 8601", F.startDate, "15/01/2030", "Start date must be a valid date."],
    [
      "an unknown assignee",
      F.buddy,
      { users: [4242], guests: [], groups: [] },
      "Onboarding buddy has an invalid assignee.",
    ],
    ["an empty required field", F.fullName, "  ", "Employee full name is required"],
  ])("rejects %s with 422", async (_name, fieldId, value, message) => {
    const res = await onboarding({ ...validPrerun(), [fieldId]: value });
    expect(res.status).toBe(422);
    expect(res.json).toEqual({ error: true, message });
    expect([...sbx.state.runs.values()].some((r) => r.name === "Onboarding – Test Hire")).toBe(
      false,
    );
  });
});

describe("updating", () => {
  it("strips every member and group when users and groups are left out (the live trap)", async () => {
    const res = await call(`${RUNS}/${SEED.runs.active}`, {
      method: "PUT",
      body: { name: "Renamed" },
    });
    expect(res.status).toBe(200);
    expect(res.json.data).toMatchObject({ name: "Renamed", users: [], groups: [] });
    expect(sbx.state.runs.get(SEED.runs.active)?.users).toEqual([]);
  });

  it("keeps members re-sent with the change and applies only the keys sent", async () => {
    const before = sbx.state.runs.get(SEED.runs.active)!;
    const { users, groups, tags, last_updated } = structuredClone(before);
    const res = await call(`${RUNS}/${SEED.runs.active}`, {
      method: "PUT",
      body: { summary: "New summary", users, groups, tags: [SEED.tags.urgent] },
    });
    const run = res.json.data;
    expect(run).toMatchObject({
      summary: "New summary",
      users,
      groups,
      tags: [SEED.tags.urgent],
      name: before.name,
    });
    expect(tags).not.toEqual(run.tags);
    expect(Date.parse(run.last_updated)).toBeGreaterThan(Date.parse(last_updated));
  });

  it("merges prerun by field id, validates what is sent, and loses an array", async () => {
    const path = `${RUNS}/${SEED.runs.active}`;
    const merged = await call(path, {
      method: "PUT",
      body: { prerun: { [F.workLocation]: "Office" } },
    });
    expect(merged.json.data.prerun[F.workLocation]).toBe("Office");
    expect(merged.json.data.prerun[F.fullName]).toBe("Maria Garcia");
    const cleared = await call(path, { method: "PUT", body: { prerun: { [F.fullName]: "" } } });
    expect(cleared.json).toEqual({ error: true, message: "Employee full name is required" });
    const asArray = await call(path, {
      method: "PUT",
      body: { prerun: [{ [F.workLocation]: "Remote" }] },
    });
    expect(asArray.status).toBe(200);
    expect(asArray.json.data.prerun[F.workLocation]).toBe("Office");
  });
});

describe("archive and activate", () => {
  it("archives with DELETE and restores the previous status with activate", async () => {
    const archived = await call(`${RUNS}/${SEED.runs.problem}`, { method: "DELETE" });
    expect(archived.status).toBe(200);
    expect(archived.json.data.status).toBe("archived");
    expect(archived.json.data.archived_at).not.toBeNull();
    const restored = await call(`${RUNS}/${SEED.runs.problem}/activate`, { method: "PUT" });
    expect(restored.status).toBe(200);
    expect(restored.json.data).toMatchObject({ status: "problem", archived_at: null });
    const seeded = await call(`${RUNS}/${SEED.runs.archivedComplete}/activate`, { method: "PUT" });
    expect(seeded.json.data.status).toBe("complete");
  });

  it("answers 400 when activating a run that is not archived", async () => {
    const res = await call(`${RUNS}/${SEED.runs.active}/activate`, { method: "PUT" });
    expect(res.status).toBe(400);
    expect(res.json).toEqual({ error: true, message: "Process is not archived." });
  });
});

describe("faults", () => {
  const path = `${RUNS}/${SEED.runs.active}`;

  it("answers a fault's status and body, for `times` matching requests, then behaves again", async () => {
    sbx.fault({ method: "GET", path, status: 503, times: 2 });
    expect((await call(path, { method: "DELETE" })).status).toBe(200);
    sbx.reset();
    sbx.fault({ method: "GET", path, status: 503, times: 2 });
    const a = await call(path);
    expect(a.status).toBe(503);
    expect(a.json).toMatchObject({ error: true });
    expect((await call(path)).status).toBe(503);
    expect((await call(path)).status).toBe(200);
    sbx.fault({ path: /\/runs$/, status: 422, body: { error: true, message: "Locked." } });
    const custom = await call(RUNS);
    expect(custom.json).toEqual({ error: true, message: "Locked." });
  });

  it("defaults Retry-After on 429 unless given, and clears on demand", async () => {
    sbx.fault({ path, status: 429 });
    expect((await call(path)).headers.get("retry-after")).toBe("1");
    sbx.fault({
      path,
      status: 429,
      headers: { "Retry-After": "40" },
      times: Number.POSITIVE_INFINITY,
    });
    for (let i = 0; i < 3; i++) expect((await call(path)).headers.get("retry-after")).toBe("40");
    sbx.clearFaults();
    expect((await call(path)).status).toBe(200);
  });

  it("drops the connection", async () => {
    sbx.fault({ path, drop: true });
    await expect(call(path)).rejects.toThrow();
    expect((await call(path)).status).toBe(200);
  });

  it("sends a malformed JSON body with status 200", async () => {
    sbx.fault({ path, malformed: true });
    const res = await fetch(sbx.url + path, {
      headers: { Authorization: `Bearer ${sbx.token}`, "X-Tallyfy-Client": "APIClient" },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("application/json");
    await expect(res.json()).rejects.toThrow();
  });

  it("adds fault latency and global latency", async () => {
    sbx.fault({ path, latencyMs: 150 });
    let t = performance.now();
    expect((await call(path)).status).toBe(200);
    expect(performance.now() - t).toBeGreaterThanOrEqual(140);
    sbx.latencyMs = 100;
    t = performance.now();
    await call("/me");
    expect(performance.now() - t).toBeGreaterThanOrEqual(90);
  });
});

describe("recording and reset", () => {
  it("records every request, rejected ones included", async () => {
    sbx.clearRequests();
    await call("/me", { token: null });
    await call(`${RUNS}?page=2&per_page=5`);
    await onboarding(validPrerun());
    expect(sbx.requests.map((r) => [r.method, r.path])).toEqual([
      ["GET", "/me"],
      ["GET", RUNS],
      ["POST", RUNS],
    ]);
    const [unauth, list, post] = sbx.requests as [
      RecordedRequest,
      RecordedRequest,
      RecordedRequest,
    ];
    expect(unauth.token).toBeUndefined();
    expect(list.query).toEqual({ page: "2", per_page: "5" });
    expect(list.token).toBe(sbx.token);
    expect(list.headers["x-tallyfy-client"]).toBe("APIClient");
    expect((post.body as Json).prerun[F.fullName]).toBe("Ada Lovelace");
    sbx.clearRequests();
    expect(sbx.requests).toHaveLength(0);
  });

  it("reset restores the seed in the same state object", async () => {
    const state = sbx.state;
    await call(`${RUNS}/${SEED.runs.active}`, { method: "DELETE" });
    await onboarding(validPrerun());
    sbx.reset();
    expect(state.runs.get(SEED.runs.active)?.status).toBe("active");
    expect([...state.runs.values()].some((r) => r.name === "Onboarding – Test Hire")).toBe(false);
    expect(sbx.requests).toHaveLength(0);
  });

  it("serves a tiny web page for a run link", async () => {
    const ok = await fetch(`${sbx.webUrl}/${ORG}/processes/${SEED.runs.active}`);
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain("Onboarding – Maria Garcia");
    expect((await fetch(`${sbx.webUrl}/${ORG}/processes/nope`)).status).toBe(404);
  });
});
