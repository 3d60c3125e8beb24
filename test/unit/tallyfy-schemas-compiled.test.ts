import { isDeepStrictEqual } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { startTallyfySandbox, type TallyfySandbox } from "../../sandbox/tallyfy/server.ts";
import {
  itemEnvelope,
  listEnvelope,
  organizationSchema,
  runSchema,
  tagSchema,
  templateSchema,
  templateSummarySchema,
  userSchema,
} from "../../src/tallyfy/schemas.ts";

let sandbox: TallyfySandbox;
beforeAll(async () => {
  sandbox = await startTallyfySandbox();
});
afterAll(() => sandbox.close());

async function get(path: string): Promise<unknown> {
  const res = await fetch(`${sandbox.url}/organizations/${sandbox.orgId}${path}`, {
    headers: { Authorization: `Bearer ${sandbox.token}`, "X-Tallyfy-Client": "APIClient" },
  });
  return res.json();
}

/** The same envelope without `z.compile`: the runtime parser the compiled one must agree with. */
const runtimeItem = z
  .object({ data: runSchema })
  .transform((e) => (e as { data: z.output<typeof runSchema> }).data);

describe("response schemas are compiled and answer as the runtime parser does", () => {
  it("every envelope the services parse with compiles to a fast path", () => {
    for (const item of [
      runSchema,
      templateSchema,
      templateSummarySchema,
      userSchema,
      tagSchema,
      organizationSchema,
    ]) {
      expect(() => z.compile(itemEnvelope(item), { strict: true })).not.toThrow();
      expect(() => z.compile(listEnvelope(item), { strict: true })).not.toThrow();
    }
  });

  it("gives the same value or the same issues for runs as sent and runs with odd fields", async () => {
    const all = (await get("/runs?per_page=100&with=checklist,tasks,tags,next_task")) as {
      data: Record<string, unknown>[];
    };
    expect(all.data.length).toBeGreaterThan(5);
    const odd: ((r: Record<string, unknown>) => void)[] = [
      () => {},
      (r) => {
        r.id = 12345;
      },
      (r) => {
        r.users = null;
      },
      (r) => {
        r.tags = ["x", { id: "y", title: "Y" }];
      },
      (r) => {
        delete r.progress;
      },
      (r) => {
        r.due_date = 7;
      },
      (r) => {
        r.name = null;
      },
      (r) => {
        r.next_task = { data: [] };
      },
      (r) => {
        r.prerun = [];
      },
      (r) => {
        r.starred = 1;
      },
    ];
    const compiled = itemEnvelope(runSchema);
    let failures = 0;
    for (const run of all.data) {
      for (const change of odd) {
        const input = { data: structuredClone(run) };
        change(input.data);
        const a = runtimeItem.safeParse(input);
        const b = compiled.safeParse(input);
        if (!a.success) failures++;
        const same = isDeepStrictEqual(
          a.success ? a.data : a.error.issues,
          b.success ? b.data : b.error.issues,
        );
        expect(same, JSON.stringify(input).slice(0, 300)).toBe(true);
      }
    }
    expect(failures).toBeGreaterThan(0); // some odd fields are refused: both ways alike
  });
});
