import { describe, expect, it } from "vitest";
import { CHECK_WINDOW_MS, findLaunched } from "../../src/features/launch/ambiguous.ts";
import { INTERACTIVE, type RunFilter, type TallyfyApi } from "../../src/tallyfy/api.ts";
import type { Run } from "../../src/tallyfy/schemas.ts";

const T = "a".repeat(32);
const SINCE = Date.parse("2026-11-22T09:30:00Z");
const at = (ms: number) => new Date(SINCE + ms).toISOString();

function apiWith(runs: Partial<Run>[], seen: RunFilter[]): TallyfyApi {
  return {
    runs: {
      list: async (filter: RunFilter) => {
        seen.push(filter);
        return { items: runs as Run[], pagination: {} };
      },
    },
  } as unknown as TallyfyApi;
}

const run = (over: Partial<Run>): Partial<Run> => ({
  id: "r1",
  checklist_id: T,
  name: "Onboarding – Maria",
  started_by: 7,
  created_at: at(1_000),
  ...over,
});

describe("looking for the run an uncertain launch created", () => {
  it("asks for the template's newest runs by name and takes the launcher's within the window", async () => {
    const seen: RunFilter[] = [];
    const api = apiWith(
      [
        run({ id: "other-launcher", started_by: 8 }),
        run({ id: "other-name", name: "Onboarding – Maria 2" }),
        run({ id: "too-old", created_at: at(-CHECK_WINDOW_MS - 1_000) }),
        run({ id: "mine" }),
      ],
      seen,
    );
    const input = { checklistId: T, name: "Onboarding – Maria" };
    const found = await findLaunched(api, input, { since: SINCE, launcherId: 7 }, INTERACTIVE);
    expect(found?.id).toBe("mine");
    expect(seen[0]).toMatchObject({ checklistId: T, q: "Onboarding – Maria", sort: "-created_at" });
  });

  it("finds nothing when no run matches", async () => {
    const api = apiWith([run({ started_by: 8 })], []);
    const input = { checklistId: T, name: "Onboarding – Maria" };
    expect(await findLaunched(api, input, { since: SINCE, launcherId: 7 }, INTERACTIVE)).toBe(
      undefined,
    );
  });
});
