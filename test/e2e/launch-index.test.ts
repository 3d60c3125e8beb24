/**
 * `/tallyfy launch <words>` with the connection's template index (src/tallyfy/template-index.ts):
 * warm, a title it knows costs one Tallyfy read (the template) before the form is shown; cold,
 * or when the index is out of date, the search comes first as before. Each test starts its own
 * bot, so no index or cache is left over from another test.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { FakeView } from "../../sandbox/slack/types.ts";
import { hexId, SEED } from "../../sandbox/tallyfy/seed.ts";
import type { RecordedRequest } from "../../sandbox/tallyfy/server.ts";
import { ACTION } from "../../src/blocks/ids.ts";
import { launchNameBlock, PICKER_BLOCK } from "../../src/blocks/modals/launch-views.ts";
import { assertModalView } from "../support/block-limits.ts";
import { eventually, type Harness, startHarness } from "../support/harness.ts";

// biome-ignore lint/suspicious/noExplicitAny: views are inspected loosely.
type Json = any;

const ALICE = "U0ALICE";
const T = SEED.templates;

let h: Harness;
beforeEach(async () => {
  h = await startHarness({ now: () => new Date("2026-11-22T09:30:00Z") });
});
afterEach(async () => {
  await h?.close();
});

const text = (v: FakeView) => JSON.stringify(v.view.blocks);
const isForm = (v: FakeView) => v.view.submit?.text === "Launch";
const isList = (r: RecordedRequest) => r.method === "GET" && r.path.endsWith("/checklists");
/** What Tallyfy was asked, in order: "list" (the index), "search <q>", "get <template id>". */
const reads = () =>
  h.sandbox.requests.map((r) => {
    if (isList(r)) return r.query.q ? `search ${r.query.q}` : "list";
    const get = /\/checklists\/([0-9a-f]{32})$/.exec(r.path);
    return get ? `get ${get[1]}` : `${r.method} ${r.path}`;
  });

function aliceView(ready: (v: FakeView) => boolean): Promise<FakeView> {
  return eventually(() => {
    const v = h.slack.openView(ALICE);
    if (!v || !ready(v)) throw new Error(`view not ready: ${v ? text(v).slice(0, 300) : "none"}`);
    assertModalView(v);
    return v;
  });
}

/** Alice opens the picker and it lists her templates: that read is the index's too. */
async function warmByPicker(): Promise<void> {
  await h.driver.command("launch");
  const picker = await aliceView((v) =>
    v.view.blocks.some((b: Json) => b.block_id === PICKER_BLOCK),
  );
  const all = await h.driver.suggest(picker.id, ACTION.launchTemplate, PICKER_BLOCK, "");
  expect(all?.options?.length).toBeGreaterThan(10);
  expect(reads()).toEqual(["list"]);
  h.sandbox.clearRequests();
}

function rename(id: string, title: string): void {
  const template = h.sandbox.state.templates.find((t) => t.id === id);
  if (!template) throw new Error(`no template ${id}`);
  template.title = title;
}

function nameField(form: FakeView): Json {
  return form.view.blocks.find((b: Json) => b.block_id === launchNameBlock(T.onboarding));
}

describe("with a warm template index", () => {
  it("opens the form of an exact title with one Tallyfy read: the template", async () => {
    await warmByPicker();
    await h.driver.command("launch   employee ONBOARDING ");
    const form = await aliceView(isForm);
    expect(reads()).toEqual([`get ${T.onboarding}`]);
    expect(nameField(form).element.initial_value).toBe("Employee Onboarding – 22 Nov 2026");
    expect(text(form)).toContain("Signed contract");
  });

  it("falls back to the search when the template was renamed since, and finds the new title", async () => {
    await warmByPicker();
    rename(T.onboarding, "People Onboarding");

    await h.driver.command("launch Employee Onboarding");
    const none = await aliceView((v) => text(v).includes("No template matches"));
    expect(text(none)).toContain("No template matches “Employee Onboarding”");
    expect(reads()).toEqual([`get ${T.onboarding}`, "search Employee Onboarding"]);

    h.sandbox.clearRequests();
    await h.driver.command("launch People Onboarding");
    const form = await aliceView(isForm);
    expect(nameField(form).element.initial_value).toBe("People Onboarding – 22 Nov 2026");
    // The index does not know the new title yet: the search finds it (the template was just read).
    expect(reads()).toEqual(["search People Onboarding"]);
  });

  it("falls back to the search when the template was archived since", async () => {
    await warmByPicker();
    const bug = h.sandbox.state.templates.find((t) => t.id === T.bugTriage);
    if (bug) bug.archived_at = "2026-11-22T09:00:00Z";
    await h.driver.command("launch Bug Triage");
    const none = await aliceView((v) => text(v).includes("No template matches"));
    expect(text(none)).toContain("No template matches “Bug Triage”");
    expect(reads()).toEqual([`get ${T.bugTriage}`, "search Bug Triage"]);
  });

  it("lists two templates of the same title to choose from, as the search does", async () => {
    const model = h.sandbox.state.templates.find((t) => t.id === T.expenseApproval);
    if (!model) throw new Error("no Expense Approval");
    const twin = hexId("tpl:expense-approval-2");
    h.sandbox.state.templates.push({ ...model, id: twin, title: "expense approval" });
    await warmByPicker();
    await h.driver.command("launch Expense Approval");
    const view = await aliceView((v) => text(v).includes(ACTION.launchPickMatch));
    const values = view.view.blocks
      .filter((b: Json) => b.accessory?.action_id === ACTION.launchPickMatch)
      .map((b: Json) => b.accessory.value);
    expect(values.sort()).toEqual([T.expenseApproval, twin].sort());
    expect(reads()).toEqual(["search Expense Approval"]);
  });
});

describe("with a cold index", () => {
  it("searches, then reads the template, and warms the index for the next launch", async () => {
    await h.driver.command("launch Employee Onboarding");
    await aliceView(isForm);
    const beforeForm = reads().filter((r) => r !== "list");
    expect(beforeForm).toEqual(["search Employee Onboarding", `get ${T.onboarding}`]);
    // the index's list was read in the background, once
    await eventually(() => expect(reads().filter((r) => r === "list")).toEqual(["list"]));

    // The picker's first page is that same read; once it is in, a known title is one read.
    await h.driver.command("launch");
    const picker = await aliceView((v) =>
      v.view.blocks.some((b: Json) => b.block_id === PICKER_BLOCK),
    );
    await h.driver.suggest(picker.id, ACTION.launchTemplate, PICKER_BLOCK, "");
    expect(reads().filter((r) => r === "list")).toEqual(["list"]);
    h.sandbox.clearRequests();
    await h.driver.command("launch Bug Triage");
    const form = await aliceView(isForm);
    expect(text(form)).toContain("Bug Triage");
    expect(reads()).toEqual([`get ${T.bugTriage}`]);
  });

  it("reads a template named by its id straight away", async () => {
    await h.driver.command(`launch ${T.bugTriage.toUpperCase()}`);
    const form = await aliceView(isForm);
    expect(text(form)).toContain("Bug Triage");
    expect(reads().filter((r) => r !== "list")).toEqual([`get ${T.bugTriage}`]);
  });

  it("searches as before when an id names no template", async () => {
    const notATemplate = hexId("no such template");
    await h.driver.command(`launch ${notATemplate}`);
    const none = await aliceView((v) => text(v).includes("No template matches"));
    expect(text(none)).toContain(`No template matches “${notATemplate}”`);
    expect(reads().filter((r) => r !== "list")).toEqual([
      `get ${notATemplate}`,
      `search ${notATemplate}`,
    ]);
  });
});
