/**
 * Every feature's listeners behind one Bolt global middleware. Bolt runs the middleware of
 * every registered listener for every request (a copy of its chain and a promise each, then
 * Promise.allSettled over all of them): with the bot's 37 listeners that was ~20% of its CPU
 * per command in issue 18's bench (1.72 vs 1.38 ms at 200 commands at once, with only the
 * command and card listeners registered). Here a request is matched against its own kind's
 * listeners only, by the same rules Bolt uses for the constraint forms the features use, and
 * Bolt is left with no listener of its own to run.
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

/** The kind of listener a request is for, from its body as Bolt hands it over. */
function kindOf(body: Record<string, unknown>): Kind | undefined {
  if (typeof body.command === "string") return "command";
  switch (body.type) {
    case "event_callback":
      return "event";
    case "block_actions":
      return "action";
    case "view_submission":
    case "view_closed":
      return "view";
    case "block_suggestion":
      return "options";
    case "shortcut":
    case "message_action":
      return "shortcut";
    default:
      return undefined;
  }
}

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
  return {
    action: add("action") as Listeners["action"],
    view: add("view") as Listeners["view"],
    options: add("options") as Listeners["options"],
    shortcut: add("shortcut") as Listeners["shortcut"],
    command: add("command") as Listeners["command"],
    event: add("event") as Listeners["event"],
    /**
     * The last global middleware: it hands the request to its listeners and ends the chain, so
     * Bolt has no listener of its own to run. A request no listener matches goes on as before.
     */
    mount(app) {
      app.use(async (args) => {
        const body = args.body as unknown as Record<string, unknown>;
        const kind = kindOf(body);
        const chosen = kind ? (byKind.get(kind) ?? []).filter((l) => l.match(body)) : [];
        if (chosen.length === 0) return args.next();
        const listenerArgs = {
          ...args,
          next: () => Promise.resolve(),
        } as unknown as Parameters<Handler>[0];
        if (chosen.length === 1) return chosen[0]!.handler(listenerArgs);
        const settled = await Promise.allSettled(chosen.map((l) => l.handler(listenerArgs)));
        const failed = settled.find((s): s is PromiseRejectedResult => s.status === "rejected");
        if (failed) throw failed.reason;
      });
    },
  };
}
