import type { Button, KnownBlock, SectionBlock } from "@slack/types";
import { describe, expect, it } from "vitest";
import { type CardContext, renderStatusCard } from "../../src/blocks/card.ts";
import { ACTION } from "../../src/blocks/ids.ts";
import type { Run } from "../../src/tallyfy/schemas.ts";
import { assertBlockKit } from "../support/block-limits.ts";
import { bareRun, HOSTILE, junk, makeRun, seeded } from "./blocks-fixtures.ts";

const NOW = new Date("2026-11-22T12:00:00Z");
const URL = "https://go.tallyfy.com/acme/processes/3f2a9c0de1b24c6f8a7e5d4c3b2a1f00";

function render(run: Run, ctx: Partial<CardContext> = {}) {
  const card = renderStatusCard(run, { runUrl: URL, now: NOW, ...ctx });
  assertBlockKit({ type: "message", ...card });
  return card;
}

function fieldsOf(blocks: KnownBlock[]): Record<string, string> {
  const section = blocks.find((b): b is SectionBlock => b.type === "section" && !!b.fields);
  const out: Record<string, string> = {};
  for (const f of section?.fields ?? []) {
    const [title, ...rest] = f.text.split("\n");
    out[title!.replace(/\*/g, "")] = rest.join("\n");
  }
  return out;
}

function buttons(blocks: KnownBlock[]): Button[] {
  const actions = blocks.find((b) => b.type === "actions");
  return (actions?.type === "actions" ? actions.elements : []) as Button[];
}

describe("renderStatusCard", () => {
  it("shows the process name, its fields and a fallback naming the status", () => {
    const card = render(makeRun(), {
      owner: { slackUserId: "U0OWNER" },
      startedBy: { name: "Sam Lee" },
    });
    expect(card.blocks[0]).toEqual({
      type: "header",
      text: { type: "plain_text", text: "Onboarding – Jane Doe", emoji: true },
    });
    expect(card.text).toBe("Process: Onboarding – Jane Doe (Active)");
    const f = fieldsOf(card.blocks);
    expect(Object.keys(f)).toEqual([
      "Status",
      "Progress",
      "Template",
      "Owner",
      "Due",
      "Next task",
      "Created",
      "Started by",
      "Tags",
    ]);
    expect(f.Status).toBe(":large_blue_circle: Active");
    expect(f.Progress).toBe("▰▰▰▱▱▱▱▱▱▱ 3 of 8 tasks (38%)");
    expect(f.Template).toBe("Employee onboarding");
    expect(f.Owner).toBe("<@U0OWNER>");
    expect(f["Started by"]).toBe("Sam Lee");
    expect(f.Tags).toBe("hr");
    expect(f["Next task"]).toContain("Order laptop\nDue <!date^");
    expect(f.Due).not.toContain("overdue");
  });

  it("gives each status its own emoji and word", () => {
    const seen = new Set<string>();
    for (const [status, word] of [
      ["active", "Active"],
      ["problem", "Problem"],
      ["delayed", "Delayed"],
      ["complete", "Complete"],
      ["archived", "Archived"],
    ] as const) {
      const status_ = fieldsOf(render(makeRun({ status })).blocks).Status!;
      expect(status_).toMatch(new RegExp(`^:[a-z_]+: ${word}$`));
      seen.add(status_.split(" ")[0]!);
    }
    expect(seen.size).toBe(5);
    expect(fieldsOf(render(makeRun({ status: "on_hold" })).blocks).Status).toBe(
      ":white_circle: On hold",
    );
  });

  it("draws a bare percent without task counts", () => {
    const f = fieldsOf(render(makeRun({ progress: 40 })).blocks);
    expect(f.Progress).toBe("▰▰▰▰▱▱▱▱▱▱ 40%");
    const counted = fieldsOf(render(makeRun({ progress: { complete: 1, total: 1 } })).blocks);
    expect(counted.Progress).toBe("▰▰▰▰▰▰▰▰▰▰ 1 of 1 task (100%)");
  });

  it("flags late tasks on an open process", () => {
    expect(fieldsOf(render(makeRun({ late_tasks: 2 })).blocks).Progress).toContain(
      ":warning: 2 late tasks",
    );
    expect(
      fieldsOf(render(makeRun({ late_tasks: 2, status: "complete" })).blocks).Progress,
    ).not.toContain("late");
  });

  it("active: Update (primary), Archive (danger, confirmed), Refresh, Open; every value is the run id", () => {
    const run = makeRun();
    const b = buttons(render(run).blocks);
    expect(b.map((x) => [x.action_id, x.style])).toEqual([
      [ACTION.update, "primary"],
      [ACTION.archive, "danger"],
      [ACTION.refresh, undefined],
      [ACTION.open, undefined],
    ]);
    for (const x of b) expect(x.value).toBe(run.id);
    expect(b[3]!.url).toBe(URL);
    const confirm = b[1]!.confirm!;
    expect(confirm.title?.text).toBe("Archive this process?");
    expect(confirm.text.text).toContain("Onboarding – Jane Doe");
    expect(confirm.confirm?.text).toBe("Archive");
    expect(confirm.deny?.text).toBe("Cancel");
  });

  it("archived: Activate replaces Archive and is the one primary button", () => {
    const run = makeRun({ status: "archived", archived_at: "2026-11-21T08:00:00Z" });
    const b = buttons(render(run).blocks);
    expect(b.map((x) => [x.action_id, x.style])).toEqual([
      [ACTION.update, undefined],
      [ACTION.activate, "primary"],
      [ACTION.refresh, undefined],
      [ACTION.open, undefined],
    ]);
    expect(JSON.stringify(b)).not.toContain(ACTION.archive);
  });

  it("leaves out the Open button when the link is not http(s)", () => {
    for (const runUrl of ["", "javascript:alert(1)", `https://x/${"a".repeat(3000)}`]) {
      const b = buttons(render(makeRun(), { runUrl }).blocks);
      expect(b.map((x) => x.action_id)).not.toContain(ACTION.open);
    }
  });

  it("marks an open process overdue when Tallyfy says so or the due date has passed", () => {
    const past = { due_date: "2026-11-20T10:00:00Z" };
    expect(fieldsOf(render(makeRun(past)).blocks).Due).toMatch(/ · :warning: overdue$/);
    const flagged = { due_date: "2026-12-20T10:00:00Z", due_date_passed: true };
    expect(fieldsOf(render(makeRun(flagged)).blocks).Due).toContain(":warning: overdue");
    expect(fieldsOf(render(makeRun({ ...past, status: "complete" })).blocks).Due).not.toContain(
      "overdue",
    );
    expect(fieldsOf(render(makeRun({ ...past, status: "archived" })).blocks).Due).not.toContain(
      "overdue",
    );
  });

  it("writes dates as Slack date tokens with the right epoch and a UTC fallback", () => {
    const run = makeRun({
      created_at: "2026-11-02 09:30:00",
      due_date: "2026-12-01T17:00:00+01:00",
    });
    const f = fieldsOf(render(run).blocks);
    const created = Date.UTC(2026, 10, 2, 9, 30) / 1000;
    expect(f.Created).toBe(
      `<!date^${created}^{date_short_pretty} at {time}|2 Nov 2026, 09:30 UTC>`,
    );
    const due = Date.UTC(2026, 11, 1, 16, 0) / 1000;
    expect(f.Due).toBe(`<!date^${due}^{date_short_pretty} at {time}|1 Dec 2026, 16:00 UTC>`);
  });

  it("renders a run with every optional field null", () => {
    const card = render(bareRun());
    const f = fieldsOf(card.blocks);
    for (const key of ["Template", "Owner", "Due", "Next task", "Created", "Started by"]) {
      expect(f[key]).toBe("—");
    }
    expect(f.Progress).toBe("▱▱▱▱▱▱▱▱▱▱ 0%");
    expect(f.Tags).toBeUndefined();
    expect(JSON.stringify(card)).not.toMatch(/undefined|null|NaN/);
  });

  it("says all tasks are done on a complete process with no next task", () => {
    const f = fieldsOf(render(makeRun({ status: "complete", next_task: null })).blocks);
    expect(f["Next task"]).toBe("All tasks done");
  });

  it("escapes hostile text everywhere and survives huge values", () => {
    const name = `${HOSTILE} ${"N".repeat(600)}`;
    const run = makeRun({
      name,
      summary: `${HOSTILE}\n${"S".repeat(5000)}`,
      checklist_title: `${HOSTILE} template`,
      tags: Array.from({ length: 40 }, (_, i) => ({ id: `t${i}`, title: `${HOSTILE} tag ${i}` })),
      next_task: { id: "k", title: `${HOSTILE} task`, deadline: null },
    });
    const card = render(run, {
      owner: { name: `${HOSTILE} owner` },
      startedBy: { slackUserId: "<!channel>", name: HOSTILE },
    });
    const json = JSON.stringify(card);
    for (const raw of ["<!channel>", "<https://x|y>", "<@U999>", "R&D"]) {
      expect(json).not.toContain(raw);
    }
    expect(json).toContain("&lt;!channel&gt;");
    expect(json).toContain("R&amp;D");
    const header = card.blocks[0]!;
    expect(header.type === "header" && header.text.text.length).toBeLessThanOrEqual(150);
    expect(header.type === "header" && header.text.text.endsWith("…")).toBe(true);
    const f = fieldsOf(card.blocks);
    expect(f.Tags).toMatch(/ \+\d+ more$/);
    const summary = card.blocks.find(
      (b) => b.type === "section" && b.text?.text.startsWith(">"),
    ) as SectionBlock;
    expect(summary.text!.text).toMatch(/…$/);
    expect(summary.text!.text.length).toBeLessThanOrEqual(3000);
    expect(card.text.length).toBeLessThan(300);
  });

  it("keeps summary line breaks as a quote and drops runs of blank lines", () => {
    const card = render(makeRun({ summary: "First\r\n\r\n\r\nSecond\u0007 line\n\n" }));
    const quote = card.blocks.find((b) => b.type === "section" && b.text?.text.startsWith(">"));
    expect(quote?.type === "section" && quote.text?.text).toBe(">First\n>\n>Second line");
    expect(
      render(makeRun({ summary: " \n\n " })).blocks.some(
        (b) => b.type === "section" && b.text?.text.startsWith(">"),
      ),
    ).toBe(false);
  });

  it("shows the notice under the title and the last action under the buttons", () => {
    const card = render(makeRun(), {
      notice: "This process was already archived.",
      lastAction: { text: "Archived by <@U1> · just now" },
    });
    expect(card.blocks[1]).toEqual({
      type: "section",
      text: { type: "mrkdwn", text: ":warning: This process was already archived." },
    });
    const last = card.blocks.at(-1)!;
    expect(last.type).toBe("context");
    expect(JSON.stringify(last)).toContain("Archived by <@U1> · just now");
    const meta = card.blocks.find((b) => b.type === "context")!;
    expect(JSON.stringify(meta)).toContain("#42");
    expect(JSON.stringify(meta)).toContain("`3f2a9c0de1b24c6f8a7e5d4c3b2a1f00`");
  });

  it("stays inside Block Kit limits for random hostile data", () => {
    const rand = seeded(7);
    const len = () => Math.floor(rand() * 4000);
    for (let i = 0; i < 150; i++) {
      const run = makeRun({
        id: Math.floor(rand() * 1e12).toString(16),
        increment_id: Math.floor(rand() * 1e9),
        name: junk(rand, len()),
        summary: rand() < 0.2 ? null : junk(rand, len() * 2),
        status:
          rand() < 0.8 ? ["active", "archived", "complete", "problem"][i % 4] : junk(rand, 80),
        checklist_title: rand() < 0.3 ? null : junk(rand, len()),
        progress:
          rand() < 0.5
            ? rand() * 150
            : { complete: 3, total: Math.floor(rand() * 5), percent: null },
        tags: Array.from({ length: Math.floor(rand() * 60) }, (_, t) => ({
          id: `${t}`,
          title: junk(rand, 200),
        })),
        next_task:
          rand() < 0.3 ? null : { id: "k", title: junk(rand, len()), deadline: junk(rand, 30) },
        due_date: rand() < 0.5 ? junk(rand, 50) : "2026-11-01",
        late_tasks: Math.floor(rand() * 1000),
      });
      const card = render(run, {
        owner: { name: junk(rand, len()) },
        startedBy: { slackUserId: junk(rand, 12), name: junk(rand, 300) },
        // notice and lastAction are trusted mrkdwn, so only their length is hostile here.
        notice: rand() < 0.3 ? "n".repeat(len() * 2) : undefined,
        lastAction: rand() < 0.3 ? { text: "a".repeat(len() * 2) } : undefined,
      });
      expect(JSON.stringify(card.blocks)).not.toContain("<!channel>");
    }
  });
});
