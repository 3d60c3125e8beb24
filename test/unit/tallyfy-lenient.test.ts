import { describe, expect, it } from "vitest";
import { z } from "zod";
import { SEED } from "../../sandbox/tallyfy/seed.ts";
import { startTallyfySandbox } from "../../sandbox/tallyfy/server.ts";
import { renderRunList } from "../../src/blocks/list.ts";
import { createLogger } from "../../src/log.ts";
import { createTallyfy } from "../../src/tallyfy/index.ts";
import { nullableNumber, nullableString, readFlag } from "../../src/tallyfy/lenient.ts";
import {
  itemEnvelope,
  kickoffFieldSchema,
  listEnvelope,
  type Run,
  runSchema,
  templateSummarySchema,
} from "../../src/tallyfy/schemas.ts";
import { assertBlockKit } from "../support/block-limits.ts";

const RUN_ID = "0123456789abcdef0123456789abcdef";
const run = (extra: Record<string, unknown> = {}) => ({
  id: RUN_ID,
  name: "Onboard Ada",
  status: "active",
  ...extra,
});
/** The runtime parser of the same envelope, which the compiled one must agree with. */
const runtimeRun = z.object({ data: runSchema }).transform((e) => e.data);

function parseRun(raw: Record<string, unknown>): Run {
  const compiled = itemEnvelope(runSchema).parse({ data: raw });
  expect(runtimeRun.parse({ data: raw })).toEqual(compiled);
  return compiled;
}

describe("flags", () => {
  it("read true/false, 1/0 and the words true/false, 1/0, yes/no; nothing else", () => {
    const cases: [unknown, boolean | undefined][] = [
      [true, true],
      [false, false],
      [1, true],
      [0, false],
      ["true", true],
      ["false", false],
      ["1", true],
      ["0", false],
      ["yes", true],
      ["no", false],
      [" TRUE ", true],
      ["No", false],
      [null, undefined],
      [undefined, undefined],
      ["", undefined],
      ["abc", undefined],
      [2, undefined],
      [-1, undefined],
      [{}, undefined],
      [[], undefined],
    ];
    for (const [input, expected] of cases) expect(readFlag(input), String(input)).toBe(expected);
  });

  it('"false" and "0" are false on kick-off, template and run flags (z.coerce read them as true)', () => {
    const field = { id: "f", label: "F", field_type: "date" };
    for (const no of ["false", "0", "no", 0, false]) {
      const f = kickoffFieldSchema.parse({ ...field, required: no, collect_time: no });
      expect([f.required, f.collect_time]).toEqual([false, false]);
      expect(templateSummarySchema.parse({ id: "t", title: "T", starred: no }).starred).toBe(false);
      const r = parseRun(run({ prevent_guest_comment: no, starred: no, due_date_passed: no }));
      expect([r.prevent_guest_comment, r.starred, r.due_date_passed]).toEqual([
        false,
        false,
        false,
      ]);
    }
    const yes = kickoffFieldSchema.parse({ ...field, required: "yes", collect_time: "1" });
    expect([yes.required, yes.collect_time]).toEqual([true, true]);
    const odd = kickoffFieldSchema.parse({ ...field, required: "maybe", collect_time: null });
    expect([odd.required, odd.collect_time]).toEqual([false, false]);
    expect(parseRun(run({ is_public: "maybe", starred: "yes" }))).toMatchObject({
      is_public: undefined,
      starred: true,
    });
  });
});

describe("optional strings and numbers", () => {
  // The one-transform readers replaced zod's chains (issue 18: a run has ~60 such values, and
  // the chains' wrappers were a third of its parse's garbage); they must read every value alike.
  const stringChain = z
    .string()
    .nullish()
    .catch(null)
    .transform((v) => v ?? null);
  const numberChain = z.coerce
    .number()
    .nullish()
    .catch(null)
    .transform((v) => v ?? null);
  const values: unknown[] = [
    undefined,
    null,
    "",
    " ",
    "0",
    "12",
    " 42 ",
    "12.5",
    "-3",
    "1e3",
    "0x1f",
    "abc",
    "Infinity",
    "NaN",
    0,
    -0,
    5.5,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    Number.NEGATIVE_INFINITY,
    true,
    false,
    {},
    [],
    [5],
    ["7"],
    [1, 2],
    10n,
    new Date(0),
    Symbol("s"),
  ];

  it("read every value as zod's string().nullish().catch(null) did", () => {
    for (const v of values) {
      expect(nullableString.parse(v), String(typeof v)).toBe(stringChain.parse(v));
    }
    expect(nullableString.parse("Onboarding")).toBe("Onboarding");
    expect(nullableString.parse(7)).toBeNull();
  });

  it("read every value as zod's coerce.number().nullish().catch(null) did", () => {
    for (const v of values) {
      expect(Object.is(nullableNumber.parse(v), numberChain.parse(v)), String(v?.toString())).toBe(
        true,
      );
    }
    expect(nullableNumber.parse("12.5")).toBe(12.5);
    expect(nullableNumber.parse("abc")).toBeNull();
    expect(nullableNumber.parse(Number.POSITIVE_INFINITY)).toBeNull();
  });
});

describe("a run with odd optional fields", () => {
  it("parses, with those fields blank", () => {
    const r = parseRun(
      run({
        status: null,
        users: [null, 5, "7", { id: 9 }, { id: null }, "x"],
        groups: [null, "g1"],
        progress: "abc",
        summary: 5,
        checklist_title: { nested: true },
        tags: [null, { id: "t1", title: "Urgent" }, { id: "t2", title: null }],
        due_date: 7,
      }),
    );
    expect(r.status).toBe("");
    expect(r.users).toEqual([5, 7, 9]);
    expect(r.groups).toEqual(["g1"]);
    expect(r.progress).toEqual({ complete: null, total: null, percent: 0 });
    expect(r.summary).toBeNull();
    expect(r.checklist_title).toBeNull();
    expect(r.tags).toEqual([{ id: "t1", title: "Urgent", color: null }]);
    expect(r.due_date).toBeNull();
  });

  it("with a null name still parses, as a blank name", () => {
    expect(parseRun(run({ name: null })).name).toBe("");
  });

  it("without an id is refused", () => {
    expect(itemEnvelope(runSchema).safeParse({ data: run({ id: null }) }).success).toBe(false);
  });
});

describe("a list page", () => {
  const page = (data: unknown[]) => listEnvelope(runSchema).parse({ data });

  it("reads each row on its own: an unreadable one is skipped and described, never copied", () => {
    const p = page([
      run(),
      run({ id: null, name: "CANARY-in-a-row" }),
      run({ name: null, id: "fedcba9876543210fedcba9876543210" }),
      "not a row",
      run({ id: 42.5, status: null }),
    ]);
    expect(p.items.map((r) => r.id)).toEqual([RUN_ID, "fedcba9876543210fedcba9876543210"]);
    expect(p.skipped).toEqual([
      { index: 1, issue: expect.stringMatching(/^id: /) },
      { index: 3, issue: expect.stringMatching(/^row: /) },
      { index: 4, id: "42.5", issue: expect.stringMatching(/^id: /) },
    ]);
    expect(JSON.stringify(p.skipped)).not.toContain("CANARY");
    expect(p.pagination).toMatchObject({ currentPage: 1, totalPages: 1 });
  });

  it("says in the reply how many processes couldn't be shown", () => {
    const ctx = { state: { page: 1 }, runUrl: (id: string) => `https://t.test/${id}` };
    const one = renderRunList(page([run(), run({ id: null })]), ctx);
    assertBlockKit({ type: "message", blocks: one.blocks });
    expect(JSON.stringify(one.blocks)).toContain("1 process couldn't be shown");
    const none = renderRunList(page([null, run({ id: null })]), ctx);
    assertBlockKit({ type: "message", blocks: none.blocks });
    expect(JSON.stringify(none.blocks)).toContain("2 processes couldn't be shown");
    expect(JSON.stringify(renderRunList(page([run()]), ctx).blocks)).not.toContain("couldn't");
  });

  it("is logged by the service, by position and issue, without the row's values", async () => {
    const sb = await startTallyfySandbox();
    const lines: string[] = [];
    const logger = createLogger({ level: "info", json: true, write: (l) => lines.push(l) });
    const tallyfy = createTallyfy({ apiUrl: sb.url, logger });
    try {
      const odd = sb.state.runs.get(SEED.runs.active)!;
      odd.raw = { id: null, name: "CANARY-name" };
      const api = tallyfy.forConnection({ token: sb.token, orgId: sb.orgId });
      const listed = await api.runs.list({ perPage: 100 });
      expect(listed.skipped).toHaveLength(1);
      expect(listed.items.length).toBeGreaterThan(3);
      const warn = lines.map((l) => JSON.parse(l)).find((l) => l.level === "warn");
      expect(warn).toMatchObject({ what: "runs", count: 1 });
      expect(warn.rows[0].issue).toMatch(/^id: /);
      expect(lines.join("\n")).not.toContain("CANARY");
    } finally {
      await tallyfy.close();
      await sb.close();
    }
  });
});
