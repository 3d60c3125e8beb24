/**
 * Every feature's listeners behind one Bolt listener per kind of request. Bolt runs the
 * middleware of every registered listener for every request (a copy of its chain and a promise
 * each, then Promise.allSettled over all of them): with the bot's 37 listeners that was ~20% of
 * its CPU per command in issue 18's bench (1.72 vs 1.38 ms at 200 commands at once, with only
 * the command and card listeners registered). Here a request is matched against its own kind's
 * listeners only, by the same rules Bolt uses for the constraint forms the features use.
 *
 * Register files call the methods exactly as on Bolt's App (typed as Bolt types them); a
 * constraint form this index does not know is refused when registered, not ignored.
 */
import type { AnyMiddlewareArgs, App } from "@slack/bolt";

export type Listeners = Pick<App, "action" | "view" | "options" | "shortcut" | "command" | "event">;

type Kind = keyof Listeners;
type Handler = (args: AnyMiddlewareArgs & Record<string, unknown>) => Promise<void> | void;
type Match = (body: Record<string, unknown>) => boolean;
type Pattern = string | RegExp;

const matches = (pattern: Pattern | undefined, value: unknown): boolean =>
  pattern === undefined ||
  (typeof value === "string" &&
    (typeof pattern === "string" ? value === pattern : pattern.test(value)));

const isPattern = (c: unknown): c is Pattern => typeof c === "string" || c instanceof RegExp;

const field = (o: unknown, key: string): unknown =>
  o !== null && typeof o === "object" ? (o as Record<string, unknown>)[key] : undefined;

function unsupported(kind: Kind, constraint: unknown): never {
  throw new TypeError(`listeners.${kind}: unsupported constraint ${String(constraint)}`);
}

/** One request kind's rule for a constraint, as Bolt applies it to that constraint form. */
function matcher(kind: Kind, c: unknown): Match {
  const keys = (allowed: string[]) =>
    c !== null &&
    typeof c === "object" &&
    !(c instanceof RegExp) &&
    Object.keys(c).every((k) => allowed.includes(k));
  switch (kind) {
    case "command":
      if (isPattern(c)) return (b) => matches(c, b.command);
      break;
    case "event":
      if (typeof c === "string") return (b) => field(b.event, "type") === c;
      break;
    case "action":
      // block_actions: the action is the first of body.actions.
      if (isPattern(c)) {
        return (b) => b.type === "block_actions" && matches(c, field(firstAction(b), "action_id"));
      }
      break;
    case "view": {
      if (isPattern(c)) {
        return (b) => b.type === "view_submission" && matches(c, field(b.view, "callback_id"));
      }
      if (keys(["callback_id", "type"])) {
        const { callback_id, type = "view_submission" } = c as {
          callback_id?: Pattern;
          type?: string;
        };
        return (b) => b.type === type && matches(callback_id, field(b.view, "callback_id"));
      }
      break;
    }
    case "options":
      if (keys(["action_id", "block_id"])) {
        const { action_id, block_id } = c as { action_id?: Pattern; block_id?: Pattern };
        return (b) =>
          b.type === "block_suggestion" &&
          matches(action_id, b.action_id) &&
          matches(block_id, b.block_id);
      }
      break;
    case "shortcut":
      if (keys(["callback_id", "type"])) {
        const { callback_id, type } = c as { callback_id?: Pattern; type?: string };
        return (b) =>
          (b.type === "shortcut" || b.type === "message_action") &&
          (type === undefined || b.type === type) &&
          matches(callback_id, b.callback_id);
      }
      break;
  }
  return unsupported(kind, c);
}

const firstAction = (b: Record<string, unknown>): unknown =>
  Array.isArray(b.actions) ? b.actions[0] : undefined;

/** Bolt's listener for each kind, with a constraint that lets every request of it through. */
const MOUNTS: Record<Kind, (app: App, dispatch: Handler) => void> = {
  command: (app, d) => app.command(/.*/, d as never),
  event: (app, d) => app.event(/.*/, d as never),
  action: (app, d) => app.action({ type: "block_actions" }, d as never),
  view: (app, d) => {
    app.view({ type: "view_submission" }, d as never);
    app.view({ type: "view_closed" }, d as never);
  },
  options: (app, d) => app.options({ type: "block_suggestion" }, d as never),
  shortcut: (app, d) => {
    app.shortcut({ type: "shortcut" }, d as never);
    app.shortcut({ type: "message_action" }, d as never);
  },
};

export function listenerIndex(): Listeners & { mount(app: App): void } {
  const byKind = new Map<Kind, { match: Match; handler: Handler }[]>();
  const add =
    (kind: Kind) =>
    (...args: unknown[]) => {
      if (args.length !== 2 || typeof args[1] !== "function") {
        throw new TypeError(`listeners.${kind}: give one constraint and one listener`);
      }
      const list = byKind.get(kind) ?? [];
      list.push({ match: matcher(kind, args[0]), handler: args[1] as Handler });
      byKind.set(kind, list);
    };
  const dispatch =
    (list: { match: Match; handler: Handler }[]): Handler =>
    async (args) => {
      const body = args.body as unknown as Record<string, unknown>;
      const chosen = list.filter((l) => l.match(body));
      if (chosen.length === 1) return chosen[0]!.handler(args);
      const settled = await Promise.allSettled(chosen.map((l) => l.handler(args)));
      const failed = settled.find((s): s is PromiseRejectedResult => s.status === "rejected");
      if (failed) throw failed.reason;
    };
  return {
    action: add("action") as Listeners["action"],
    view: add("view") as Listeners["view"],
    options: add("options") as Listeners["options"],
    shortcut: add("shortcut") as Listeners["shortcut"],
    command: add("command") as Listeners["command"],
    event: add("event") as Listeners["event"],
    mount(app) {
      for (const [kind, list] of byKind) MOUNTS[kind](app, dispatch(list));
    },
  };
}
