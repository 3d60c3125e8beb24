import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { hexId, SEED } from "../../sandbox/tallyfy/seed.ts";
import { startTallyfySandbox, type TallyfySandbox } from "../../sandbox/tallyfy/server.ts";
import { createLogger } from "../../src/log.ts";
import type { CallPolicy, Tallyfy } from "../../src/tallyfy/api.ts";
import { createTallyfy } from "../../src/tallyfy/index.ts";
import {
  exactMatch,
  type IndexedTemplate,
  sameTitle,
  type TemplateIndex,
  TemplateIndexes,
} from "../../src/tallyfy/template-index.ts";
import { clock, deferred } from "../support/clock.ts";

const row = (id: string, title: string, archived = false): IndexedTemplate => ({
  id,
  title,
  archived,
});
const index = (templates: IndexedTemplate[], complete = true): TemplateIndex => ({
  templates,
  complete,
  loadedAt: 0,
});
const FRESH = 60_000;
const MAX_AGE = 600_000;

describe("TemplateIndexes", () => {
  function setup(max = 10) {
    const c = clock(1_000_000);
    const indexes = new TemplateIndexes({
      freshMs: FRESH,
      maxAgeMs: MAX_AGE,
      max,
      now: () => c.now,
    });
    const errors: unknown[] = [];
    let loads = 0;
    const warm = (key: string, title = "A") =>
      indexes.warm(
        key,
        async () => {
          loads++;
          return { templates: [row(`${key}-${loads}`, title)], complete: true };
        },
        (e) => errors.push(e),
      );
    return { c, indexes, errors, warm, loads: () => loads };
  }

  it("is empty until warmed, then answers with what the load read, stamped when it started", async () => {
    const { c, indexes, warm } = setup();
    expect(indexes.get("k")).toBeUndefined();
    const started = c.now;
    await warm("k");
    expect(indexes.get("k")).toEqual({
      templates: [row("k-1", "A")],
      complete: true,
      loadedAt: started,
    });
  });

  it("does not load again while fresh; once stale it answers from the old index while it refreshes", async () => {
    const { c, indexes, warm, loads } = setup();
    await warm("k");
    c.tick(FRESH - 1);
    await warm("k");
    expect(loads()).toBe(1);

    c.tick(1);
    const gate = deferred<{ templates: IndexedTemplate[]; complete: boolean }>();
    const refresh = indexes.warm(
      "k",
      () => gate.promise,
      () => {},
    );
    expect(indexes.get("k")?.templates).toEqual([row("k-1", "A")]);
    gate.resolve({ templates: [row("k-new", "A")], complete: true });
    await refresh;
    expect(indexes.get("k")?.templates).toEqual([row("k-new", "A")]);
  });

  it("shares one refresh among simultaneous warms", async () => {
    const { warm, loads } = setup();
    await Promise.all([warm("k"), warm("k"), warm("k")]);
    expect(loads()).toBe(1);
  });

  it("is not answered from past its maximum age", async () => {
    const { c, indexes, warm } = setup();
    await warm("k");
    c.tick(MAX_AGE);
    expect(indexes.get("k")).toBeDefined();
    c.tick(1);
    expect(indexes.get("k")).toBeUndefined();
  });

  it("keeps the previous index when a refresh fails, reports it, and never rejects", async () => {
    const { c, indexes, warm, errors } = setup();
    await warm("k");
    c.tick(FRESH);
    const boom = new Error("Tallyfy is down");
    await expect(
      indexes.warm(
        "k",
        () => Promise.reject(boom),
        (e) => errors.push(e),
      ),
    ).resolves.toBeUndefined();
    expect(errors).toEqual([boom]);
    expect(indexes.get("k")?.templates).toEqual([row("k-1", "A")]);
  });

  it("keeps each key's index apart", async () => {
    const { indexes, warm } = setup();
    await warm("alice", "Alice's");
    expect(indexes.get("bob")).toBeUndefined();
    await warm("bob", "Bob's");
    expect(indexes.get("alice")?.templates[0]?.title).toBe("Alice's");
    expect(indexes.get("bob")?.templates[0]?.title).toBe("Bob's");
  });

  it("drops the least recently used connection beyond its size", async () => {
    const { indexes, warm } = setup(2);
    await warm("a");
    await warm("b");
    indexes.get("a");
    await warm("c");
    expect(indexes.get("b")).toBeUndefined();
    expect(indexes.get("a")).toBeDefined();
    expect(indexes.get("c")).toBeDefined();
  });

  it("does not store a load that was under way when it was cleared", async () => {
    const { indexes } = setup();
    const gate = deferred<{ templates: IndexedTemplate[]; complete: boolean }>();
    const loading = indexes.warm(
      "k",
      () => gate.promise,
      () => {},
    );
    indexes.clear();
    gate.resolve({ templates: [row("x", "A")], complete: true });
    await loading;
    expect(indexes.get("k")).toBeUndefined();
  });
});

describe("exact title match", () => {
  it("is trimmed and case-insensitive, and whole titles only", () => {
    const idx = index([row("1", " Employee Onboarding "), row("2", "Client Onboarding")]);
    expect(exactMatch(idx, "employee ONBOARDING")?.id).toBe("1");
    expect(exactMatch(idx, "  Client Onboarding  ")?.id).toBe("2");
    expect(exactMatch(idx, "Onboarding")).toBeUndefined();
    expect(exactMatch(idx, "Employee  Onboarding")).toBeUndefined();
    expect(sameTitle("Bug Triage ", " bug triage")).toBe(true);
  });

  it("needs exactly one live template with that title", () => {
    const twice = index([row("1", "Expense Approval"), row("2", "expense approval")]);
    expect(exactMatch(twice, "Expense Approval")).toBeUndefined();
    const oneArchived = index([row("1", "Expense Approval", true), row("2", "Expense Approval")]);
    expect(exactMatch(oneArchived, "Expense Approval")?.id).toBe("2");
    const onlyArchived = index([row("1", "Expense Approval", true)]);
    expect(exactMatch(onlyArchived, "Expense Approval")).toBeUndefined();
  });

  it("is not trusted from an index that does not hold every template", () => {
    const partial = index([row("1", "Expense Approval")], false);
    expect(exactMatch(partial, "Expense Approval")).toBeUndefined();
  });
});

describe("templates.warmIndex / indexedMatch against the sandbox", () => {
  const POLICY: CallPolicy = { attemptTimeoutMs: 3_000, budgetMs: 6_000, maxRetries: 2 };
  const warmOpts = { policy: POLICY, priority: "background" as const };
  const ALICE = { token: SEED.users.admin.token, orgId: SEED.orgId };
  const BOB = { token: SEED.users.bob.token, orgId: SEED.orgId };
  let sb: TallyfySandbox;
  let tallyfy: Tallyfy;
  let c: ReturnType<typeof clock>;

  beforeAll(async () => {
    sb = await startTallyfySandbox();
  });
  afterAll(async () => {
    await sb.close();
  });
  beforeEach(() => {
    sb.reset();
    c = clock(Date.now());
    tallyfy = createTallyfy({ apiUrl: sb.url, cacheTtlMs: FRESH, now: () => c.now });
  });
  afterEach(async () => {
    await tallyfy.close();
  });

  const listReads = () =>
    sb.requests.filter((r) => r.method === "GET" && r.path.endsWith("/checklists"));

  /** More templates in Acme, each with a distinct title. */
  function addTemplates(count: number) {
    const model = sb.state.templates.find((t) => t.id === SEED.templates.onboarding);
    if (!model) throw new Error("no model template");
    for (let n = 0; n < count; n++) {
      sb.state.templates.push({ ...model, id: hexId(`extra:${n}`), title: `Extra ${n}` });
    }
  }

  it("reads the unfiltered list once, 100 a page, and then knows titles without a request", async () => {
    const api = tallyfy.forConnection(ALICE);
    expect(api.templates.indexedMatch("Employee Onboarding")).toBeUndefined();
    await api.templates.warmIndex(warmOpts);
    expect(listReads().map((r) => r.query)).toEqual([{ page: "1", per_page: "100" }]);
    sb.clearRequests();
    expect(api.templates.indexedMatch("  employee onboarding ")).toBe(SEED.templates.onboarding);
    expect(api.templates.indexedMatch("onboarding")).toBeUndefined();
    expect(api.templates.indexedMatch("Nothing like it")).toBeUndefined();
    await api.templates.warmIndex(warmOpts);
    expect(sb.requests).toEqual([]);
  });

  it("shares its first page with an empty picker search", async () => {
    const api = tallyfy.forConnection(ALICE);
    await api.templates.warmIndex(warmOpts);
    await api.templates.search("", { perPage: 100 }, { policy: POLICY });
    expect(listReads()).toHaveLength(1);
  });

  it("is answered from while stale and refreshed on the next warm; not past 10 minutes", async () => {
    const api = tallyfy.forConnection(ALICE);
    await api.templates.warmIndex(warmOpts);
    const onboarding = sb.state.templates.find((t) => t.id === SEED.templates.onboarding);
    if (onboarding) onboarding.title = "People Onboarding";

    c.tick(FRESH);
    expect(api.templates.indexedMatch("Employee Onboarding")).toBe(SEED.templates.onboarding);
    await api.templates.warmIndex(warmOpts);
    expect(listReads()).toHaveLength(2);
    expect(api.templates.indexedMatch("Employee Onboarding")).toBeUndefined();
    expect(api.templates.indexedMatch("People Onboarding")).toBe(SEED.templates.onboarding);

    c.tick(10 * 60_000 + 1);
    expect(api.templates.indexedMatch("People Onboarding")).toBeUndefined();
  });

  it("never lends one token's index to another", async () => {
    await tallyfy.forConnection(ALICE).templates.warmIndex(warmOpts);
    const bob = tallyfy.forConnection(BOB);
    expect(bob.templates.indexedMatch("Employee Onboarding")).toBeUndefined();
    await bob.templates.warmIndex(warmOpts);
    const tokens = listReads().map((r) => r.token);
    expect(tokens).toEqual([ALICE.token, BOB.token]);
    expect(bob.templates.indexedMatch("Employee Onboarding")).toBe(SEED.templates.onboarding);
  });

  it("reads every page of a bigger organization", async () => {
    addTemplates(150);
    const api = tallyfy.forConnection(ALICE);
    await api.templates.warmIndex(warmOpts);
    expect(listReads().map((r) => r.query.page)).toEqual(["1", "2"]);
    expect(api.templates.indexedMatch("Extra 149")).toBe(hexId("extra:149"));
    expect(api.templates.indexedMatch("Bug Triage")).toBe(SEED.templates.bugTriage);
  });

  it("trusts no title when the organization has more templates than it reads", async () => {
    addTemplates(300);
    const api = tallyfy.forConnection(ALICE);
    await api.templates.warmIndex(warmOpts);
    expect(listReads().map((r) => r.query.page)).toEqual(["1", "2", "3"]);
    expect(api.templates.indexedMatch("Bug Triage")).toBeUndefined();
  });

  it("keeps no index when caching is off", async () => {
    await tallyfy.close();
    tallyfy = createTallyfy({ apiUrl: sb.url, cacheTtlMs: 0 });
    const api = tallyfy.forConnection(ALICE);
    await api.templates.warmIndex(warmOpts);
    expect(sb.requests).toEqual([]);
    expect(api.templates.indexedMatch("Employee Onboarding")).toBeUndefined();
  });

  it("logs a failed refresh without the token, and the next warm tries again", async () => {
    const lines: string[] = [];
    await tallyfy.close();
    const logger = createLogger({ level: "debug", json: true, write: (l) => lines.push(l) });
    tallyfy = createTallyfy({ apiUrl: sb.url, cacheTtlMs: FRESH, logger });
    const api = tallyfy.forConnection(ALICE);
    sb.fault({ path: /\/checklists$/, status: 500, times: Infinity });
    await expect(api.templates.warmIndex(warmOpts)).resolves.toBeUndefined();
    expect(api.templates.indexedMatch("Employee Onboarding")).toBeUndefined();
    expect(lines.join("\n")).toContain("could not refresh the template index");
    expect(lines.join("\n")).not.toContain(ALICE.token);
    sb.clearFaults();
    await api.templates.warmIndex(warmOpts);
    expect(api.templates.indexedMatch("Employee Onboarding")).toBe(SEED.templates.onboarding);
  });
});
