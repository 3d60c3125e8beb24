import type { App } from "@slack/bolt";
import { describe, expect, it } from "vitest";
import { listenerIndex } from "../../src/slack/listeners.ts";

/** A Bolt app as far as the index uses it: its global middleware, run as Bolt runs it. */
function fakeApp() {
  const middleware: ((args: unknown) => Promise<unknown>)[] = [];
  const app = {
    use: (m: (args: unknown) => Promise<unknown>) => middleware.push(m),
  } as unknown as App;
  let passedOn = 0;
  /** Hands `body` to the global middleware; counts requests it passes on to Bolt's listeners. */
  const deliver = async (body: Record<string, unknown>) => {
    for (const m of middleware) {
      let next = false;
      await m({
        body,
        next: async () => {
          next = true;
        },
      });
      if (next) passedOn++;
    }
  };
  return { app, middleware, deliver, passedOn: () => passedOn };
}

describe("listener index", () => {
  const setup = () => {
    const calls: string[] = [];
    const index = listenerIndex();
    const hit = (name: string) => async () => {
      calls.push(name);
    };
    index.command("/tallyfy", hit("command"));
    index.event("app_home_opened", hit("home opened"));
    index.action("archive", hit("archive"));
    index.action(/^tasks_page(?:_prev)?$/, hit("tasks page"));
    index.view("launch_modal", hit("launch submitted"));
    index.view({ callback_id: "connect_modal", type: "view_closed" }, hit("connect closed"));
    index.options({ action_id: "kickoff", block_id: /^ko_/ }, hit("kickoff options"));
    index.shortcut({ callback_id: "launch", type: "shortcut" }, hit("global shortcut"));
    index.shortcut({ callback_id: "launch_msg", type: "message_action" }, hit("message shortcut"));
    const fake = fakeApp();
    index.mount(fake.app);
    return { calls, ...fake };
  };

  it("mounts one global middleware, which passes on only what no listener matches", async () => {
    const { middleware, deliver, passedOn } = setup();
    expect(middleware).toHaveLength(1);
    await deliver({ command: "/tallyfy" });
    expect(passedOn()).toBe(0);
    await deliver({ command: "/other" });
    await deliver({ type: "url_verification" });
    expect(passedOn()).toBe(2);
  });

  it("hands each request to the listeners whose constraint Bolt would match, and only those", async () => {
    const cases: [Record<string, unknown>, string[]][] = [
      [{ command: "/tallyfy" }, ["command"]],
      [{ command: "/other" }, []],
      [{ type: "event_callback", event: { type: "app_home_opened" } }, ["home opened"]],
      [{ type: "block_actions", actions: [{ action_id: "archive" }] }, ["archive"]],
      [{ type: "block_actions", actions: [{ action_id: "tasks_page_prev" }] }, ["tasks page"]],
      [{ type: "block_actions", actions: [{ action_id: "tasks_pages" }] }, []],
      [{ type: "block_actions", actions: [] }, []],
      [{ type: "view_submission", view: { callback_id: "launch_modal" } }, ["launch submitted"]],
      [{ type: "view_closed", view: { callback_id: "launch_modal" } }, []],
      [{ type: "view_closed", view: { callback_id: "connect_modal" } }, ["connect closed"]],
      [{ type: "view_submission", view: { callback_id: "connect_modal" } }, []],
      [
        { type: "block_suggestion", action_id: "kickoff", block_id: "ko_field1" },
        ["kickoff options"],
      ],
      [{ type: "block_suggestion", action_id: "kickoff", block_id: "other" }, []],
      [{ type: "shortcut", callback_id: "launch" }, ["global shortcut"]],
      [{ type: "message_action", callback_id: "launch" }, []],
      [{ type: "message_action", callback_id: "launch_msg" }, ["message shortcut"]],
    ];
    for (const [body, expected] of cases) {
      const { calls, deliver } = setup();
      await deliver(body);
      expect([body, calls]).toEqual([body, expected]);
    }
  });

  it("runs every listener a request matches, and a failing one fails the request", async () => {
    const index = listenerIndex();
    const calls: string[] = [];
    index.action("archive", async () => {
      calls.push("first");
    });
    index.action(/^arch/, async () => {
      calls.push("second");
      throw new Error("listener failed");
    });
    const { app, deliver } = fakeApp();
    index.mount(app);
    await expect(
      deliver({ type: "block_actions", actions: [{ action_id: "archive" }] }),
    ).rejects.toThrow("listener failed");
    expect(calls).toEqual(["first", "second"]);
  });

  it("refuses a constraint form it cannot match as Bolt would", () => {
    const index = listenerIndex();
    expect(() => index.action({ block_id: "b" }, async () => {})).toThrow(/unsupported/);
    expect(() => index.event(/app_/, async () => {})).toThrow(/unsupported/);
    expect(() => index.options("id", async () => {})).toThrow(/unsupported/);
    expect(() =>
      (index.action as (...a: unknown[]) => void)(
        "a",
        async () => {},
        async () => {},
      ),
    ).toThrow(/one constraint/);
  });
});
