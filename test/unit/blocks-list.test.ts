import type { Button, KnownBlock, SectionBlock } from "@slack/types";
import { describe, expect, it } from "vitest";
import {
  ACTION,
  decodeListState,
  LIST_PAGE_ACTIONS,
  type ListState,
} from "../../src/blocks/ids.ts";
import { LIST_MAX_ROWS, listTitle, renderRunList } from "../../src/blocks/list.ts";
import type { Page, Run } from "../../src/tallyfy/schemas.ts";
import { assertBlockKit } from "../support/block-limits.ts";
import { bareRun, HOSTILE, makePage, makeRun } from "./blocks-fixtures.ts";

const NOW = new Date("2026-11-22T12:00:00Z");

function runs(n: number, from = 1): Run[] {
  return Array.from({ length: n }, (_, i) =>
    makeRun({ id: `run${from + i}`, name: `Process ${from + i}` }),
  );
}

function render(page: Page<Run>, state: ListState) {
  const out = renderRunList(page, {
    state,
    runUrl: (id) => `https://go.tallyfy.com/acme/processes/${id}`,
    now: NOW,
  });
  assertBlockKit({ type: "message", ...out });
  return out;
}

function rows(blocks: KnownBlock[]): SectionBlock[] {
  return blocks.filter(
    (b): b is SectionBlock => b.type === "section" && b.accessory?.type === "button",
  );
}

function pagingButtons(blocks: KnownBlock[]): Button[] {
  const actions = blocks.filter((b) => b.type === "actions");
  return actions.flatMap((a) => (a.type === "actions" ? (a.elements as Button[]) : []));
}

describe("renderRunList", () => {
  it("titles the page with the filter and the range shown", () => {
    const out = render(makePage(runs(10, 11), { total: 55, perPage: 10, currentPage: 2 }), {
      status: "active",
      page: 2,
    });
    expect(out.blocks[0]).toEqual({
      type: "section",
      text: { type: "mrkdwn", text: "*Active processes* · 11–20 of 55" },
    });
    expect(out.text).toBe("Active processes · 11–20 of 55");
  });

  it("names every filter in the title, escaped", () => {
    expect(listTitle({ page: 1 })).toBe("Processes");
    expect(listTitle({ status: "problem", mine: true, page: 1 })).toBe(
      "Your processes with problems",
    );
    expect(listTitle({ q: "foo", page: 1 })).toBe("Processes matching “foo”");
    expect(listTitle({ status: "weird<x>", q: "<!channel>", page: 1 })).toBe(
      "Processes (weird&lt;x&gt;) matching “&lt;!channel&gt;”",
    );
  });

  it("shows a row per run with a link, template, status, progress, due date and a View button", () => {
    const late = makeRun({ id: "late1", name: "Late one", due_date: "2026-11-01T00:00:00Z" });
    const out = render(
      makePage([late, bareRun({ id: "bare1" })], { total: 2, perPage: 10, currentPage: 1 }),
      {
        page: 1,
      },
    );
    const [first, second] = rows(out.blocks);
    expect(first!.text!.text).toBe(
      "*<https://go.tallyfy.com/acme/processes/late1|Late one>*\n" +
        "Employee onboarding · :large_blue_circle: Active\n" +
        `▰▰▰▱▱▱▱▱▱▱ 3 of 8 tasks (38%) · Due <!date^${Date.UTC(2026, 10, 1) / 1000}^{date_short_pretty} at {time}|1 Nov 2026, 00:00 UTC> :warning: overdue`,
    );
    expect(first!.accessory).toMatchObject({
      type: "button",
      action_id: ACTION.view,
      value: "late1",
    });
    expect(second!.text!.text).toContain(":large_blue_circle: Active\n▱▱▱▱▱▱▱▱▱▱ 0%");
    expect(second!.text!.text).not.toContain("Due");
    expect(second!.accessory).toMatchObject({ value: "bare1" });
    expect(out.blocks.filter((b) => b.type === "divider").length).toBeGreaterThanOrEqual(2);
  });

  it("escapes hostile names and template titles", () => {
    const run = makeRun({ name: `${HOSTILE} ${"x".repeat(600)}`, checklist_title: HOSTILE });
    const out = render(makePage([run], { total: 1, perPage: 10, currentPage: 1 }), {
      q: HOSTILE,
      page: 1,
    });
    const json = JSON.stringify(out);
    expect(json).not.toContain("<!channel>");
    expect(json).not.toContain("<https://x|y>");
    expect(json).toContain("&lt;!channel&gt;");
  });

  it("pages: first page has only Next, middle both, last only Previous, one page none", () => {
    const state: ListState = { status: "delayed", q: "invoice", mine: true, page: 1 };
    const first = pagingButtons(
      render(makePage(runs(10), { total: 25, perPage: 10, currentPage: 1 }), state).blocks,
    );
    expect(first.map((b) => b.action_id)).toEqual([ACTION.listPage]);
    expect(decodeListState(first[0]!.value!)).toEqual({ ...state, page: 2 });

    const middle = pagingButtons(
      render(makePage(runs(10, 11), { total: 25, perPage: 10, currentPage: 2 }), {
        ...state,
        page: 2,
      }).blocks,
    );
    expect(middle.map((b) => [b.action_id, b.text.text])).toEqual([
      [ACTION.listPagePrev, "← Previous"],
      [ACTION.listPage, "Next →"],
    ]);
    for (const b of middle) expect(b.action_id).toMatch(LIST_PAGE_ACTIONS);
    expect(ACTION.view).not.toMatch(LIST_PAGE_ACTIONS);
    expect(middle.map((b) => decodeListState(b.value!))).toEqual([
      { ...state, page: 1 },
      { ...state, page: 3 },
    ]);

    const last = pagingButtons(
      render(makePage(runs(5, 21), { total: 25, perPage: 10, currentPage: 3 }), {
        ...state,
        page: 3,
      }).blocks,
    );
    expect(last.map((b) => b.action_id)).toEqual([ACTION.listPagePrev]);
    expect(decodeListState(last[0]!.value!).page).toBe(2);

    const only = render(makePage(runs(3), { total: 3, perPage: 10, currentPage: 1 }), { page: 1 });
    expect(pagingButtons(only.blocks)).toEqual([]);
    expect(JSON.stringify(only)).not.toContain("Page 1 of");
  });

  it("fits 20 rows, and caps a larger page so the message stays under 50 blocks", () => {
    const twenty = render(makePage(runs(20), { total: 100, perPage: 20, currentPage: 1 }), {
      page: 1,
    });
    expect(rows(twenty.blocks)).toHaveLength(20);
    const many = render(makePage(runs(45), { total: 90, perPage: 45, currentPage: 1 }), {
      page: 1,
    });
    expect(rows(many.blocks)).toHaveLength(LIST_MAX_ROWS);
    expect(many.blocks.length).toBeLessThanOrEqual(50);
    expect(JSON.stringify(many)).toContain(`showing the first ${LIST_MAX_ROWS}`);
    expect(many.text).toBe(`Processes · 1–${LIST_MAX_ROWS} of 90`);
  });

  it("stays inside Block Kit limits when Tallyfy sends an absurdly long run id", () => {
    const long = makeRun({ id: "r".repeat(2_900), name: "Long id" });
    const out = render(makePage([long], { total: 1, perPage: 10, currentPage: 1 }), { page: 1 });
    const [row] = rows(out.blocks);
    expect(row?.text?.text).toContain("Long id");
  });

  it("keeps a page of the longest rows under Slack's 12,000 characters of text per message", () => {
    // Names and template titles of "&" escape to five times their length; overdue dates and
    // long run ids in the links make every row as long as the renderer allows.
    const amp = "&".repeat(400);
    const long = Array.from({ length: LIST_MAX_ROWS }, (_, i) =>
      makeRun({
        id: `${"f".repeat(60)}${i}`,
        name: `${amp} ${i}`,
        checklist_title: amp,
        status: "delayed",
        due_date_passed: true,
      }),
    );
    const out = render(makePage(long, { total: 500, perPage: LIST_MAX_ROWS, currentPage: 2 }), {
      status: "active",
      q: amp,
      mine: true,
      page: 2,
    });
    const shown = rows(out.blocks);
    expect(shown.length).toBeGreaterThan(1);
    expect(shown.length).toBeLessThan(LIST_MAX_ROWS);
    expect(JSON.stringify(out)).toContain(`showing the first ${shown.length} on this page`);
    expect(out.text).toContain(`${LIST_MAX_ROWS + 1}–${LIST_MAX_ROWS + shown.length} of 500`);
    expect(pagingButtons(out.blocks).map((b) => b.action_id)).toEqual([
      ACTION.listPagePrev,
      ACTION.listPage,
    ]);
  });

  it("explains an empty result and suggests what to try", () => {
    const out = render(makePage([], { total: 0, perPage: 10, currentPage: 1 }), {
      status: "active",
      q: "zebra",
      page: 1,
    });
    const json = JSON.stringify(out);
    expect(json).toContain("Nothing matched *Active processes matching “zebra”*");
    expect(json).toContain("`/tallyfy list archived`");
    expect(json).toContain("`/tallyfy list active onboarding`");
    expect(pagingButtons(out.blocks)).toEqual([]);
    expect(out.text).toBe("Nothing matched: Active processes matching “zebra”");

    const archived = JSON.stringify(
      render(makePage([], { total: 0, perPage: 10, currentPage: 1 }), {
        status: "archived",
        page: 1,
      }),
    );
    expect(archived).not.toContain("`/tallyfy list archived`");

    const none = render(makePage([], { total: 0, perPage: 10, currentPage: 1 }), { page: 1 });
    expect(none.text).toBe("No processes to show");
    expect(JSON.stringify(none)).toContain("/tallyfy launch");
  });

  it("offers the first page when a later page has emptied", () => {
    const out = render(makePage([], { total: 0, perPage: 10, currentPage: 4 }), {
      q: "x",
      page: 4,
    });
    const [back] = pagingButtons(out.blocks);
    expect(back?.text.text).toBe("← First page");
    expect(decodeListState(back!.value!)).toEqual({ q: "x", page: 1 });
  });
});
