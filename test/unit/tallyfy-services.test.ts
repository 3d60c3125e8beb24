import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { SEED, UNKNOWN_ID } from "../../sandbox/tallyfy/seed.ts";
import { startTallyfySandbox, type TallyfySandbox } from "../../sandbox/tallyfy/server.ts";
import { Secrets } from "../../src/log.ts";
import type { CallPolicy, Tallyfy, TallyfyApi } from "../../src/tallyfy/api.ts";
import {
  TallyfyBadRequestError,
  TallyfyForbiddenError,
  TallyfyNetworkError,
  TallyfyNotFoundError,
  TallyfyUnexpectedResponseError,
  TallyfyValidationError,
} from "../../src/tallyfy/errors.ts";
import { createTallyfy } from "../../src/tallyfy/index.ts";
import { launchBody, listQuery, stableEqual, updateBody } from "../../src/tallyfy/run-changes.ts";
import type { Run } from "../../src/tallyfy/schemas.ts";

const F = SEED.onboardingFields;
const POLICY: CallPolicy = { attemptTimeoutMs: 3_000, budgetMs: 6_000, maxRetries: 2 };
const opts = { policy: POLICY };

let sb: TallyfySandbox;
let tallyfy: Tallyfy;
let api: TallyfyApi;

beforeAll(async () => {
  sb = await startTallyfySandbox();
});
afterAll(async () => {
  await sb.close();
});
beforeEach(() => {
  sb.reset();
  sb.clearFaults();
  sb.clearRequests();
  tallyfy = createTallyfy({ apiUrl: sb.url, cacheTtlMs: 60_000 });
  api = tallyfy.forConnection({ token: sb.token, orgId: sb.orgId });
});
afterEach(async () => {
  await tallyfy.close();
});

const calls = (method?: string) => sb.requests.filter((r) => (method ? r.method === method : true));

describe("services per connection", () => {
  it("are built once per connection and never shared across tokens or organizations", () => {
    const conn = { token: sb.token, orgId: sb.orgId };
    const first = tallyfy.forConnection(conn);
    expect(tallyfy.forConnection({ ...conn })).toBe(first);
    const other = tallyfy.forConnection({ token: SEED.users.bob.token, orgId: sb.orgId });
    expect(other).not.toBe(first);
    expect(tallyfy.forConnection({ token: sb.token, orgId: "another-org" })).not.toBe(first);
    expect(other.orgId).toBe(sb.orgId);
  });

  it("keep a token registered as a secret each time they are handed out", async () => {
    const secrets = new Secrets();
    const own = createTallyfy({ apiUrl: sb.url, secrets });
    try {
      const token = SEED.users.bob.token;
      own.forConnection({ token, orgId: sb.orgId });
      expect(secrets.scrub(`token ${token}`)).not.toContain(token);
      secrets.forget(token);
      expect(secrets.scrub(`token ${token}`)).toContain(token);
      own.forConnection({ token, orgId: sb.orgId });
      expect(secrets.scrub(`token ${token}`)).not.toContain(token);
    } finally {
      await own.close();
    }
  });
});

describe("templates", () => {
  it("searches with paging", async () => {
    const first = await api.templates.search("", { page: 1, perPage: 5 }, opts);
    const second = await api.templates.search("", { page: 2, perPage: 5 }, opts);
    expect(first.items).toHaveLength(5);
    expect(first.pagination).toMatchObject({ currentPage: 1, perPage: 5, hasNext: true });
    expect(second.pagination.currentPage).toBe(2);
    const overlap = second.items.filter((t) => first.items.some((f) => f.id === t.id));
    expect(overlap).toEqual([]);
    const [req] = calls();
    expect(req?.path).toContain(`/organizations/${sb.orgId}/checklists`);
    expect(req?.query).toMatchObject({ page: "1", per_page: "5" });
  });

  it("searches by text", async () => {
    const page = await api.templates.search("onboarding", {}, opts);
    expect(page.items.map((t) => t.id)).toContain(SEED.templates.onboarding);
    expect(calls()[0]?.query).toMatchObject({ q: "onboarding" });
  });

  it("gets a template with its kick-off fields sorted by position", async () => {
    const tpl = await api.templates.get(SEED.templates.onboarding, opts);
    expect(tpl.title).toBe("Employee Onboarding");
    const positions = tpl.prerun.map((f) => f.position);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    expect(tpl.prerun.map((f) => f.id).slice(0, 3)).toEqual([F.fullName, F.notes, F.workLocation]);
    const department = tpl.prerun.find((f) => f.id === F.department);
    expect(department).toMatchObject({ field_type: "dropdown", required: true });
    expect(department?.options[0]).toMatchObject({ id: 11, text: "Engineering" });
    expect(calls()[0]?.query).toMatchObject({ with: "steps" });
  });

  it("answers a missing template with not found", async () => {
    await expect(api.templates.get(UNKNOWN_ID, opts)).rejects.toBeInstanceOf(TallyfyNotFoundError);
  });
});

describe("runs: launch", () => {
  const prerun = {
    [F.fullName]: "Ada Lovelace",
    [F.workLocation]: "Remote",
    [F.department]: { id: 11, text: "Engineering" },
    [F.startDate]: "2025-09-01",
    [F.personalEmail]: "ada@example.test",
    [F.systems]: [{ id: 22, text: "Slack", selected: true }],
  };

  it("sends prerun as an object keyed by field id, and the sandbox keeps the values", async () => {
    const run = await api.runs.launch(
      { checklistId: SEED.templates.onboarding, name: "Onboard Ada", prerun },
      opts,
    );
    expect(run.name).toBe("Onboard Ada");
    expect(run.checklist_id).toBe(SEED.templates.onboarding);
    expect(run.prerun[F.fullName]).toBe("Ada Lovelace");
    expect(run.prerun[F.department]).toMatchObject({ id: 11, text: "Engineering" });
    const [post] = calls("POST");
    expect(post?.path).toContain(`/organizations/${sb.orgId}/runs`);
    expect(Array.isArray(post?.body)).toBe(false);
    expect(post?.body).toEqual({
      checklist_id: SEED.templates.onboarding,
      name: "Onboard Ada",
      prerun,
    });
    const stored = await api.runs.get(run.id, opts);
    expect(stored.prerun[F.personalEmail]).toBe("ada@example.test");
  });

  it("retries a launch that got a 429 and launches once", async () => {
    sb.fault({ method: "POST", path: /\/runs$/, status: 429, headers: { "Retry-After": "1" } });
    const run = await api.runs.launch(
      { checklistId: SEED.templates.onboarding, name: "After the wait", prerun },
      opts,
    );
    expect(run.name).toBe("After the wait");
    expect(calls("POST")).toHaveLength(2);
    const launched = [...sb.state.runs.values()].filter((r) => r.name === "After the wait");
    expect(launched).toHaveLength(1);
  });

  it("does not repeat a launch whose connection dropped", async () => {
    sb.fault({ method: "POST", path: /\/runs$/, drop: true });
    const error = await api.runs
      .launch({ checklistId: SEED.templates.onboarding, name: "Dropped", prerun }, opts)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TallyfyNetworkError);
    expect((error as TallyfyNetworkError).mayHaveApplied).toBe(true);
    expect(calls("POST")).toHaveLength(1);
  });

  it("reports a malformed success body as an unexpected response", async () => {
    sb.fault({ method: "GET", path: /\/runs\//, malformed: true });
    await expect(api.runs.get(SEED.runs.active, opts)).rejects.toBeInstanceOf(
      TallyfyUnexpectedResponseError,
    );
  });

  it("surfaces a missing required kick-off value as a validation error", async () => {
    const { [F.fullName]: _dropped, ...partial } = prerun;
    const error = await api.runs
      .launch({ checklistId: SEED.templates.onboarding, name: "x", prerun: partial }, opts)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TallyfyValidationError);
    expect((error as Error).message).toContain("Employee full name is required");
  });
});

describe("runs: list and get", () => {
  it("lists with filters in Tallyfy's names and pages through", async () => {
    const first = await api.runs.list({ perPage: 4, page: 1 }, opts);
    const second = await api.runs.list({ perPage: 4, page: 2 }, opts);
    expect(first.items).toHaveLength(4);
    expect(first.pagination.hasNext).toBe(true);
    expect(second.items.map((r) => r.id)).not.toContain(first.items[0]?.id);

    const owned = await api.runs.list({ owners: [SEED.users.bob.id, SEED.users.carol.id] }, opts);
    expect(owned.items.length).toBeGreaterThan(0);
    const owners = new Set([SEED.users.bob.id, SEED.users.carol.id]);
    expect(owned.items.every((r) => r.owner_id !== null && owners.has(r.owner_id))).toBe(true);
    expect(calls().at(-1)?.query).toMatchObject({
      owners: `${SEED.users.bob.id},${SEED.users.carol.id}`,
    });
  });

  it("lists archived runs with status=archived and archived=only", async () => {
    const page = await api.runs.list({ status: "archived" }, opts);
    expect(page.items.map((r) => r.id)).toContain(SEED.runs.archived);
    expect(page.items.every((r) => r.status === "archived")).toBe(true);
    expect(calls()[0]?.query).toMatchObject({ status: "archived", archived: "only" });
  });

  it("lists by template", async () => {
    const page = await api.runs.list({ checklistId: SEED.templates.onboarding }, opts);
    expect(page.items.length).toBeGreaterThan(0);
    expect(page.items.every((r) => r.checklist_id === SEED.templates.onboarding)).toBe(true);
    expect(calls()[0]?.query).toMatchObject({ checklist_id: SEED.templates.onboarding });
  });

  it("gets a run with its relations and kick-off values", async () => {
    const run = await api.runs.get(SEED.runs.active, opts);
    expect(run.id).toBe(SEED.runs.active);
    expect(run.users).toEqual(expect.arrayContaining([SEED.users.admin.id, SEED.users.bob.id]));
    expect(run.groups).toContain(SEED.groups.peopleOps);
    expect(Object.keys(run.prerun).length).toBeGreaterThan(0);
    expect(calls()[0]?.query).toMatchObject({
      with: "checklist,tasks,tags,next_task",
      form_fields_values: "true",
    });
  });

  it("reads a run whose progress is a bare number", async () => {
    const run = await api.runs.get(SEED.runs.progressAsNumber, opts);
    expect(run.progress.percent).toBeGreaterThanOrEqual(0);
    expect(run.progress.complete).toBeNull();
  });

  it("retries a GET that hit a 503", async () => {
    sb.fault({ method: "GET", path: /\/runs\//, status: 503, times: 1 });
    const run = await api.runs.get(SEED.runs.active, opts);
    expect(run.id).toBe(SEED.runs.active);
    expect(calls("GET")).toHaveLength(2);
  });
});

describe("runs: update keeps members", () => {
  it("reads first, then PUTs exactly the name plus the current users and groups", async () => {
    const before = await api.runs.get(SEED.runs.active, opts);
    sb.clearRequests();
    const updated = await api.runs.update(SEED.runs.active, { name: "Renamed" }, opts);
    expect(calls().map((r) => r.method)).toEqual(["GET", "PUT"]);
    const put = calls("PUT")[0];
    expect(put?.body).toEqual({ name: "Renamed", users: before.users, groups: before.groups });
    expect(updated.name).toBe("Renamed");
    const after = await api.runs.get(SEED.runs.active, opts);
    expect(after.users.sort()).toEqual([...before.users].sort());
    expect(after.groups.sort()).toEqual([...before.groups].sort());
    expect(after.users.length).toBeGreaterThan(0);
  });

  it("uses the caller's current run instead of reading it again", async () => {
    const current = await api.runs.get(SEED.runs.active, opts);
    sb.clearRequests();
    await api.runs.update(SEED.runs.active, { summary: "New summary" }, { ...opts, current });
    expect(calls().map((r) => r.method)).toEqual(["PUT"]);
    expect(calls()[0]?.body).toEqual({
      summary: "New summary",
      users: current.users,
      groups: current.groups,
    });
  });

  it("makes no PUT when nothing differs", async () => {
    const current = await api.runs.get(SEED.runs.active, opts);
    sb.clearRequests();
    const same = await api.runs.update(
      SEED.runs.active,
      {
        name: current.name,
        tags: current.tags.map((t) => t.id).reverse(),
        users: [...current.users].reverse(),
        prerun: { [F.department]: stripValue(current.prerun[F.department]) },
      },
      opts,
    );
    expect(calls("PUT")).toEqual([]);
    expect(same.id).toBe(SEED.runs.active);
  });

  it("sends tags only when they changed", async () => {
    const current = await api.runs.get(SEED.runs.active, opts);
    const tags = [...current.tags.map((t) => t.id), SEED.tags.vip];
    sb.clearRequests();
    const updated = await api.runs.update(SEED.runs.active, { tags }, { ...opts, current });
    expect(calls("PUT")[0]?.body).toEqual({ tags, users: current.users, groups: current.groups });
    expect(updated.tags.map((t) => t.id)).toContain(SEED.tags.vip);
  });

  it("sends only the kick-off values that changed", async () => {
    const current = await api.runs.get(SEED.runs.active, opts);
    sb.clearRequests();
    const updated = await api.runs.update(
      SEED.runs.active,
      {
        prerun: {
          [F.fullName]: "Maria Renamed",
          [F.department]: stripValue(current.prerun[F.department]),
        },
      },
      { ...opts, current },
    );
    expect(calls("PUT")[0]?.body).toEqual({
      prerun: { [F.fullName]: "Maria Renamed" },
      users: current.users,
      groups: current.groups,
    });
    expect(updated.prerun[F.fullName]).toBe("Maria Renamed");
    expect(updated.prerun[F.department]).toEqual(current.prerun[F.department]);
  });

  it("sends the caller's members when they changed them", async () => {
    const current = await api.runs.get(SEED.runs.active, opts);
    const users = [...current.users, SEED.users.erin.id];
    sb.clearRequests();
    const updated = await api.runs.update(SEED.runs.active, { users }, { ...opts, current });
    expect(calls("PUT")[0]?.body).toEqual({ users, groups: current.groups });
    expect(updated.users).toContain(SEED.users.erin.id);
  });
});

describe("runs: archive and activate", () => {
  it("archives with DELETE and activates back", async () => {
    const archived = await api.runs.archive(SEED.runs.active, opts);
    expect(archived.status).toBe("archived");
    expect(archived.archived_at).not.toBeNull();
    const restored = await api.runs.activate(SEED.runs.active, opts);
    expect(restored.archived_at).toBeNull();
    expect(restored.status).toBe("active");
    expect(calls().map((r) => `${r.method} ${r.path.replace(/^.*\/runs/, "/runs")}`)).toEqual([
      `DELETE /runs/${SEED.runs.active}`,
      `PUT /runs/${SEED.runs.active}/activate`,
    ]);
    expect(calls("PUT")[0]?.body ?? undefined).toBeUndefined();
  });

  it("refuses to activate a run that isn't archived", async () => {
    await expect(api.runs.activate(SEED.runs.active, opts)).rejects.toBeInstanceOf(
      TallyfyBadRequestError,
    );
  });
});

describe("users, tags, me", () => {
  it("lists every user and finds one by email, case-insensitively", async () => {
    const users = await api.users.list(opts);
    expect(users.map((u) => u.id)).toEqual(expect.arrayContaining([SEED.users.bob.id]));
    expect(calls()[0]?.query).toMatchObject({ per_page: "100" });
    const bob = await api.users.findByEmail(SEED.users.bob.email.toUpperCase(), opts);
    expect(bob?.id).toBe(SEED.users.bob.id);
    expect(await api.users.findByEmail("nobody@acme.test", opts)).toBeUndefined();
    expect((await api.users.get(SEED.users.carol.id, opts))?.email).toBe(SEED.users.carol.email);
    expect(calls()).toHaveLength(1);
  });

  it("answers names past their minute from the old list at once and reads a fresh one behind it", async () => {
    let now = Date.now();
    const own = createTallyfy({ apiUrl: sb.url, cacheTtlMs: 60_000, now: () => now });
    try {
      const people = own.forConnection({ token: sb.token, orgId: sb.orgId });
      const carol = SEED.users.carol.id;
      expect((await people.users.get(carol, opts))?.first_name).toBe("Carol");
      const user = sb.state.users.find((u) => u.id === carol)!;
      user.first_name = "Caroline";
      sb.latencyMs = 300;
      now += 61_000;
      sb.clearRequests();
      // Past the TTL: the old name comes back (a caller that waited for Tallyfy would get the
      // new one)...
      expect((await people.users.get(carol, opts))?.first_name).toBe("Carol");
      // ...while one fresh read goes out behind it; the next caller gets the new name.
      await eventuallyTrue(() => calls().length === 1);
      await new Promise((r) => setTimeout(r, 400));
      expect((await people.users.get(carol, opts))?.first_name).toBe("Caroline");
      expect(calls()).toHaveLength(1);
      // Past the stale window (10 minutes), the caller waits for a fresh list again.
      now += 11 * 60_000;
      user.first_name = "Carrie";
      expect((await people.users.get(carol, opts))?.first_name).toBe("Carrie");
    } finally {
      sb.latencyMs = 0;
      await own.close();
    }
  });

  it("searches tags", async () => {
    const tags = await api.tags.search("urg", opts);
    expect(tags.map((t) => t.id)).toContain(SEED.tags.urgent);
  });

  it("reads the token's user and organizations", async () => {
    const me = await tallyfy.me.me(sb.token, opts);
    expect(me.id).toBe(SEED.users.admin.id);
    const orgs = await tallyfy.me.organizations(sb.token, opts);
    expect(orgs.map((o) => o.id)).toEqual(expect.arrayContaining([SEED.orgId, SEED.secondOrg.id]));
  });
});

describe("caching", () => {
  it("coalesces ten parallel cold lookups into one request", async () => {
    const results = await Promise.all(
      Array.from({ length: 10 }, () => api.templates.search("onboarding", {}, opts)),
    );
    expect(new Set(results.map((r) => r.items.length)).size).toBe(1);
    expect(calls()).toHaveLength(1);
    await Promise.all(
      Array.from({ length: 10 }, () => api.users.findByEmail(SEED.users.bob.email)),
    );
    expect(calls()).toHaveLength(2);
    await api.templates.search("onboarding", {}, opts);
    expect(calls()).toHaveLength(2);
  });

  it("never serves one token's data to another", async () => {
    const bobApi = tallyfy.forConnection({ token: SEED.users.bob.token, orgId: sb.orgId });
    const zoeApi = tallyfy.forConnection({ token: SEED.users.zoe.token, orgId: sb.orgId });
    await api.templates.get(SEED.templates.onboarding, opts);
    await bobApi.templates.get(SEED.templates.onboarding, opts);
    expect(calls().map((r) => r.token)).toEqual([sb.token, SEED.users.bob.token]);
    await expect(zoeApi.templates.get(SEED.templates.onboarding, opts)).rejects.toBeInstanceOf(
      TallyfyForbiddenError,
    );
  });
});

describe("request bodies and queries (pure)", () => {
  const current = {
    id: "r1",
    name: "Run",
    summary: null,
    owner_id: 1,
    users: [1, 2],
    groups: ["g1"],
    prerun: { f1: { id: 2, text: "Gold", value: null } },
    prevent_guest_comment: false,
    tags: [{ id: "t1", title: "T1", color: null }],
  } as unknown as Run;

  it("launch body uses Tallyfy's names and leaves out undefined keys", () => {
    expect(
      launchBody({ checklistId: "c1", name: "n", ownerId: 5, isPublic: false, summary: undefined }),
    ).toEqual({ checklist_id: "c1", name: "n", owner_id: 5, is_public: false, prerun: {} });
  });

  it("refuses a prerun array", () => {
    expect(() =>
      launchBody({ checklistId: "c", name: "n", prerun: [] as unknown as Record<string, unknown> }),
    ).toThrow(TypeError);
  });

  it("update body: undefined when nothing changes, members always otherwise", () => {
    expect(updateBody(current, { name: "Run", summary: "", tags: ["t1"] })).toBeUndefined();
    expect(updateBody(current, { prerun: { f1: { text: "Gold", id: 2 } } })).toBeUndefined();
    expect(updateBody(current, { ownerId: 9 })).toEqual({
      owner_id: 9,
      users: [1, 2],
      groups: ["g1"],
    });
    expect(updateBody(current, { groups: [] })).toEqual({ users: [1, 2], groups: [] });
    expect(updateBody(current, { folders: ["f9"], starred: true })).toEqual({
      folders: ["f9"],
      starred: true,
      users: [1, 2],
      groups: ["g1"],
    });
  });

  it("list query maps every filter key", () => {
    expect(
      listQuery({
        q: " ada ",
        status: "active",
        owners: [1, 2],
        checklistId: "c",
        folder: "f",
        tag: "t",
        starred: true,
        type: "procedure",
        groups: ["g1", "g2"],
        taskStatus: "completed",
        with: ["tags", "next_task"],
        page: 2,
        perPage: 25,
        sort: "-created_at",
      }),
    ).toEqual({
      q: "ada",
      status: "active",
      owners: "1,2",
      checklist_id: "c",
      folder: "f",
      tag: "t",
      starred: true,
      type: "procedure",
      groups: "g1,g2",
      task_status: "completed",
      with: "tags,next_task",
      page: 2,
      per_page: 25,
      sort: "-created_at",
    });
  });

  it("stable deep-equal ignores key order and null-vs-missing", () => {
    expect(stableEqual({ a: 1, b: [1, { c: 2 }] }, { b: [1, { c: 2 }], a: 1 })).toBe(true);
    expect(stableEqual([1, 2], [2, 1])).toBe(false);
    expect(stableEqual({ a: null }, {})).toBe(true);
    expect(stableEqual("1", 1)).toBe(false);
  });
});

/** The codec's encoding of a stored dropdown value: Tallyfy adds `value: null`. */
function stripValue(v: unknown): unknown {
  if (!v || typeof v !== "object") return v;
  const { value: _value, ...rest } = v as Record<string, unknown>;
  return rest;
}

async function eventuallyTrue(check: () => boolean, ms = 2_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error("never happened");
    await new Promise((r) => setTimeout(r, 10));
  }
}
