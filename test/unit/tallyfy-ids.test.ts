import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { SEED } from "../../sandbox/tallyfy/seed.ts";
import { startTallyfySandbox, type TallyfySandbox } from "../../sandbox/tallyfy/server.ts";
import { tallyfyErrorText } from "../../src/blocks/notices.ts";
import type { CallPolicy, Tallyfy, TallyfyApi } from "../../src/tallyfy/api.ts";
import { TallyfyClient } from "../../src/tallyfy/client.ts";
import { TallyfyError, TallyfyInvalidIdError } from "../../src/tallyfy/errors.ts";
import {
  apiPath,
  checkId,
  FieldId,
  OrgId,
  RunId,
  TaskId,
  TemplateId,
} from "../../src/tallyfy/ids.ts";
import { createTallyfy } from "../../src/tallyfy/index.ts";

const POLICY: CallPolicy = { attemptTimeoutMs: 2_000, budgetMs: 3_000, maxRetries: 0 };
const opts = { policy: POLICY };
const BAD_IDS = ["..", ".", "", "../..", "a/b", "%2e%2e", "3F2A", `${SEED.runs.active}/..`];

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
  tallyfy = createTallyfy({ apiUrl: sb.url });
  api = tallyfy.forConnection({ token: sb.token, orgId: sb.orgId });
});
afterEach(async () => {
  await tallyfy.close();
});

async function refused(p: Promise<unknown>): Promise<TallyfyInvalidIdError> {
  const error = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TallyfyInvalidIdError);
  expect(error).toBeInstanceOf(TallyfyError);
  return error as TallyfyInvalidIdError;
}

describe("id schemas", () => {
  it("take 32 lowercase hex characters for runs, templates, tasks and fields", () => {
    for (const schema of [RunId, TemplateId, TaskId, FieldId]) {
      expect(schema.safeParse(SEED.runs.active).success).toBe(true);
      for (const bad of [...BAD_IDS, SEED.runs.active.toUpperCase(), `${SEED.runs.active}0`, 5]) {
        expect(schema.safeParse(bad).success).toBe(false);
      }
    }
  });

  it("hold organization ids to letters, digits, - and _", () => {
    for (const good of [SEED.orgId, "org-1", "Acme_2"])
      expect(OrgId.safeParse(good).success).toBe(true);
    for (const bad of ["", ".", "..", "a/b", "a b", "x".repeat(65)]) {
      expect(OrgId.safeParse(bad).success).toBe(false);
    }
  });

  it("checkId names what the id was for and never the bad value", () => {
    const error = (() => {
      try {
        checkId("template", "../secret");
      } catch (e) {
        return e as TallyfyInvalidIdError;
      }
    })();
    expect(error?.idKind).toBe("template");
    expect(error?.kind).toBe("invalid_id");
    expect(JSON.stringify({ ...error, message: error?.message })).not.toContain("secret");
  });
});

describe("apiPath", () => {
  it("encodes every segment", () => {
    expect(apiPath("organizations", "o1", "runs", "a b?c#d")).toBe(
      "/organizations/o1/runs/a%20b%3Fc%23d",
    );
  });

  it("refuses an empty, dot, dot-dot or slash-holding segment", () => {
    for (const bad of ["", ".", "..", "a/b", "a\\b", "/"]) {
      expect(() => apiPath("organizations", "o1", "runs", bad)).toThrow(TallyfyInvalidIdError);
    }
  });
});

describe("services refuse a bad id before any request", () => {
  it("runs.get, archive, activate and update", async () => {
    for (const id of BAD_IDS) {
      await refused(api.runs.get(id, opts));
      await refused(api.runs.archive(id, opts));
      await refused(api.runs.activate(id, opts));
      await refused(api.runs.update(id, { name: "x" }, opts));
    }
    expect(sb.requests).toEqual([]);
    expect(sb.state.runs.get(SEED.runs.active)?.status).toBe("active");
  });

  it("templates.get, a launch's template, parent and kick-off field ids, a list's template", async () => {
    for (const id of BAD_IDS) {
      await refused(api.templates.get(id, opts));
      await refused(api.runs.launch({ checklistId: id, name: "n" }, opts));
      await refused(api.runs.list({ checklistId: id }, opts));
    }
    const tpl = SEED.templates.onboarding;
    await refused(api.runs.launch({ checklistId: tpl, name: "n", parentId: ".." }, opts));
    await refused(api.runs.launch({ checklistId: tpl, name: "n", prerun: { "..": "x" } }, opts));
    await refused(api.runs.update(SEED.runs.active, { prerun: { "0": "x" } }, opts));
    expect(sb.requests).toEqual([]);
  });

  it("every call through a connection whose organization id is not one", async () => {
    for (const org of ["..", ".", "", "a/b"]) {
      const bad = tallyfy.forConnection({ token: sb.token, orgId: org });
      await refused(bad.runs.list({}, opts));
      await refused(bad.templates.search("", {}, opts));
      await refused(bad.users.list(opts));
      await refused(bad.tags.search("", opts));
    }
    expect(sb.requests).toEqual([]);
  });

  it("the client refuses a dot segment in a path built elsewhere, encoded or not", async () => {
    const client = new TallyfyClient({ baseUrl: sb.url });
    try {
      for (const path of ["/organizations/o/runs/..", "/organizations/%2E%2E", "/me//x", "me"]) {
        await refused(
          client.request({ token: sb.token }, { method: "DELETE", path, schema: z.unknown() }),
        );
      }
      expect(sb.requests).toEqual([]);
    } finally {
      await client.close();
    }
  });
});

describe("the sentence a person sees", () => {
  it("says a process link doesn't look right, and that nothing was sent", () => {
    const text = tallyfyErrorText(new TallyfyInvalidIdError("run"), { runRef: ".." });
    expect(text).toContain("That process link doesn't look right");
    expect(text).toContain("nothing was sent to Tallyfy");
    const other = tallyfyErrorText(new TallyfyInvalidIdError("template"));
    expect(other).toBe("That template id doesn't look right. Nothing was sent to Tallyfy.");
  });
});
