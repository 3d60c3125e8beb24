import { describe, expect, it } from "vitest";
import { checkMessage, checkUnfurls, checkView } from "../../sandbox/slack/block-kit.ts";
import { type HomeData, homeFallback, renderHome } from "../../src/blocks/home.ts";
import { decodeLaunchMeta, encodeLaunchMeta } from "../../src/blocks/modals/launch-views.ts";
import { TASK_ACTION } from "../../src/blocks/tasks/ids.ts";
import { renderRunUnfurl, unfurlConnectPrompt } from "../../src/blocks/unfurl.ts";
import { processLinkMatcher, processLinks } from "../../src/features/unfurl/links.ts";
import { HomePublishes } from "../../src/slack/home-publishes.ts";
import { type Task, taskSchema } from "../../src/tallyfy/task-schemas.ts";
import { HOSTILE, junk, makeRun, seeded } from "./blocks-fixtures.ts";

// biome-ignore lint/suspicious/noExplicitAny: blocks are inspected loosely
type Json = any;

const NOW = new Date("2026-03-10T20:00:00Z");
const HOUR = 3_600_000;
const hex = (n: number) => n.toString(16).padStart(32, "0");
const RUN = "3f2a9c0de1b24c6f8a7e5d4c3b2a1f00";

function task(n: number, over: Record<string, unknown> = {}): Task {
  return taskSchema.parse({
    id: hex(n),
    title: `Task ${n}`,
    task_type: "task",
    status: "not-started",
    run_id: hex(10_000 + n),
    is_oneoff_task: false,
    deadline: new Date(NOW.getTime() + 48 * HOUR).toISOString(),
    run: { data: { id: hex(10_000 + n), name: "Onboarding" } },
    owners: { users: [1001], guests: [], groups: [] },
    ...over,
  });
}

const links = {
  taskUrl: (t: Task) => `https://go.tallyfy.test/acme/tasks/${t.id}`,
  runUrl: (id: string) => `https://go.tallyfy.test/acme/processes/${id}`,
};

function home(over: Partial<HomeData> = {}): HomeData {
  return {
    who: [{ type: "section", text: { type: "mrkdwn", text: "You act as *Bob*." } }],
    connected: true,
    tasksTitle: "Your tasks",
    tasks: { ok: true, items: [], more: false },
    runs: { ok: true, items: [], more: false },
    links,
    now: NOW,
    ...over,
  };
}

describe("the process link unfurl", () => {
  it("shows name, template, status, progress, next task and due, with View and Open", () => {
    const u = renderRunUnfurl(makeRun(), { runUrl: links.runUrl(RUN), now: NOW });
    const text = JSON.stringify(u.blocks);
    for (const s of ["Onboarding – Jane Doe", "Employee onboarding", "Active", "3 of 8"]) {
      expect(text).toContain(s);
    }
    expect(text).toContain("Order laptop");
    expect(text).toContain("Due");
    const actions = u.blocks.find((b) => b.type === "actions") as Json;
    expect(actions.elements.map((e: Json) => e.text.text)).toEqual(["View", "Open"]);
    expect(checkUnfurls({ [links.runUrl(RUN)]: u }).problems).toEqual([]);
  });

  it("stays within the rules and escapes everything for hostile data", () => {
    const rand = seeded(16);
    for (let i = 0; i < 40; i++) {
      const run = makeRun({
        name: junk(rand, 1 + Math.floor(rand() * 4000)),
        checklist_title: junk(rand, Math.floor(rand() * 2000)),
        status: junk(rand, 30),
        next_task: { data: [{ id: "k", title: junk(rand, 3000), deadline: "garbage" }] },
        due_date: i % 2 ? "2020-01-01T00:00:00Z" : null,
      });
      const url = i % 3 ? links.runUrl(RUN) : `javascript:${junk(rand, 10)}`;
      const u = renderRunUnfurl(run, { runUrl: url, now: NOW });
      expect(checkUnfurls({ "https://go.tallyfy.test/x": u }).problems).toEqual([]);
      expect(JSON.stringify(u)).not.toContain("<!channel>");
    }
    const hostile = renderRunUnfurl(makeRun({ name: HOSTILE }), {
      runUrl: links.runUrl(RUN),
      now: NOW,
    });
    expect(JSON.stringify(hostile)).toContain("&lt;!channel&gt;");
  });

  it("the connect prompt is valid message blocks with the Connect button", () => {
    for (const invalid of [false, true]) {
      const blocks = unfurlConnectPrompt(invalid);
      expect(checkMessage({ blocks }).problems).toEqual([]);
      expect(JSON.stringify(blocks)).toContain("tallyfy_connect");
    }
  });
});

describe("process links", () => {
  const match = processLinkMatcher({
    webUrl: "https://go.tallyfy.com/",
    runUrlPattern: "{web}/{org}/processes/{run_id}",
  });

  it("reads the organization and run from links of the configured web app only", () => {
    expect(match(`https://go.tallyfy.com/acme/processes/${RUN}`)).toEqual({
      url: `https://go.tallyfy.com/acme/processes/${RUN}`,
      org: "acme",
      runId: RUN,
    });
    expect(match(`https://go.tallyfy.com/acme/processes/${RUN}/tasks?x=1#y`)?.runId).toBe(RUN);
    expect(match(`https://go.tallyfy.com/acme/processes/${RUN.toUpperCase()}`)?.runId).toBe(RUN);
    expect(match(`https://evil.test/acme/processes/${RUN}`)).toBeUndefined();
    expect(match(`https://go.tallyfy.com.evil.test/acme/processes/${RUN}`)).toBeUndefined();
    expect(match(`https://go.tallyfy.com/acme/templates/${RUN}`)).toBeUndefined();
    expect(match("https://go.tallyfy.com/acme/processes/../../x")).toBeUndefined();
    expect(match(`https://go.tallyfy.com/acme/processes/${RUN}x`)).toBeUndefined();
  });

  it("follows a custom TALLYFY_RUN_URL_PATTERN", () => {
    const custom = processLinkMatcher({
      webUrl: "https://tallyfy.example.org",
      runUrlPattern: "{web}/runs/{run_id}?org={org_id}",
    });
    expect(custom(`https://tallyfy.example.org/runs/${RUN}?org=acme%20ops`)).toMatchObject({
      org: "acme ops",
      runId: RUN,
    });
  });

  it("takes each URL once, at most 5", () => {
    const urls = Array.from(
      { length: 7 },
      (_, i) => `https://go.tallyfy.com/a/processes/${hex(i)}`,
    );
    const picked = processLinks([urls[0]!, urls[0]!, "https://x.test", ...urls.slice(1)], match);
    expect(picked.map((l) => l.url)).toEqual(urls.slice(0, 5));
  });
});

describe("the Home tab", () => {
  it("puts overdue tasks first, shows at most 10 with their buttons, and says there are more", () => {
    const items = [
      ...Array.from({ length: 12 }, (_, i) => task(i + 1)),
      task(50, { deadline: new Date(NOW.getTime() - 5 * HOUR).toISOString(), title: "Late one" }),
    ];
    const view = renderHome(home({ tasks: { ok: true, items, more: false } }));
    const rows = view.blocks.filter((b) => b.block_id?.startsWith("task_") && b.type === "section");
    expect(rows).toHaveLength(10);
    expect(JSON.stringify(rows[0])).toContain("Late one");
    expect(JSON.stringify(view.blocks)).toContain(TASK_ACTION.complete);
    expect(JSON.stringify(view.blocks)).toContain("/tallyfy tasks` lists them all");
  });

  it("stays within Home's limits for any data", () => {
    const rand = seeded(7);
    const items = Array.from({ length: 100 }, (_, i) =>
      task(i + 1, {
        title: junk(rand, 600),
        task_type: ["task", "approval", "expiring", "email"][i % 4],
        run: { data: { id: hex(9), name: junk(rand, 500) } },
      }),
    );
    const runs = Array.from({ length: 50 }, (_, i) =>
      makeRun({ id: hex(i + 100), name: junk(rand, 3000), status: junk(rand, 20) }),
    );
    const who = [
      { type: "section", text: { type: "mrkdwn", text: "x" } },
      { type: "context", elements: [{ type: "mrkdwn", text: "y" }] },
    ] as HomeData["who"];
    const view = renderHome(
      home({
        who,
        tasks: { ok: true, items, more: true },
        runs: { ok: true, items: runs, more: true },
      }),
    );
    expect(checkView(view, "home").problems).toEqual([]);
    expect(view.blocks.length).toBeLessThanOrEqual(100);
    expect(JSON.stringify(view)).not.toContain("<!channel>");
  });

  it("shows a section's problem in its place, and a connect hint when not connected", () => {
    const failed = renderHome(home({ tasks: { ok: false, problem: "Tallyfy didn't answer" } }));
    expect(JSON.stringify(failed.blocks)).toContain("Tallyfy didn't answer");
    const lone = renderHome(home({ connected: false, tasks: undefined, runs: undefined }));
    expect(JSON.stringify(lone.blocks)).not.toContain("Your tasks");
    expect(checkView(lone, "home").problems).toEqual([]);
    expect(checkView(homeFallback(NOW), "home").problems).toEqual([]);
  });
});

describe("Home's opening window", () => {
  it("lets a person's Home refresh on opening once per 10 s, per person", () => {
    let t = 0;
    const home = new HomePublishes(() => t);
    expect(home.takeOpening("T", "U1")).toBe(true);
    expect(home.takeOpening("T", "U1")).toBe(false);
    expect(home.takeOpening("T", "U2")).toBe(true);
    t = 9_999;
    expect(home.takeOpening("T", "U1")).toBe(false);
    t = 10_000;
    expect(home.takeOpening("T", "U1")).toBe(true);
  });
});

describe("the launch modal's metadata", () => {
  it("round-trips the shortcut's thread and summary, and always fits 3000 characters", () => {
    const meta = { channelId: "C1", threadTs: "1.2", summary: "Hi\nthere", fromHome: true };
    expect(decodeLaunchMeta(encodeLaunchMeta(meta))).toMatchObject(meta);
    const huge = encodeLaunchMeta({
      channelId: "C1",
      threadTs: "1.2",
      summary: '"\\'.repeat(5000),
    });
    expect(huge.length).toBeLessThanOrEqual(3000);
    expect(decodeLaunchMeta(huge).threadTs).toBe("1.2");
  });
});
