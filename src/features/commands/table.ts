/**
 * Every `/tallyfy` subcommand, once. Parsing (names and aliases), did-you-mean, the help card,
 * routing (features/commands/routes.ts must handle each name), the busy gate (`queued`) and
 * manifest.yml's usage_hint (held to this table by a unit test) all read it.
 *
 * To add a subcommand: add a row here, then its route in routes.ts (the typechecker asks).
 */
export interface SubcommandSpec {
  name: string;
  /** Other words that run it (`ls` for `list`). */
  aliases: readonly string[];
  /** The help card's section; `help` itself closes the account section. */
  group: "processes" | "account" | "help";
  usage: string;
  what: string;
  example?: string;
  /**
   * Its work (Tallyfy calls and a reply) waits its turn in the background queue after the ack,
   * and is turned away inside the ack when the queue is full. Never for a subcommand that opens
   * a modal: views.open must follow within the trigger id's 3 s.
   */
  queued: boolean;
}

// Did-you-mean breaks ties in this order, so `help` stays first.
export const SUBCOMMAND_TABLE = [
  {
    name: "help",
    aliases: ["", "?"],
    group: "help",
    usage: "help",
    what: "Show this message.",
    queued: false,
  },
  {
    name: "launch",
    aliases: ["start", "new"],
    group: "processes",
    usage: "launch [template]",
    what: "Start a process from a template; fill in its kick-off form in Slack.",
    example: "launch Employee onboarding",
    queued: false,
  },
  {
    name: "list",
    aliases: ["ls"],
    group: "processes",
    usage: "list [status] [words]",
    what:
      "List processes, newest first. Status is one of `active`, `problem`, `delayed`, " +
      "`complete`, `archived`; add `mine` for the ones you own, and words to search by name.",
    example: "list mine delayed invoice",
    queued: true,
  },
  {
    name: "show",
    aliases: ["view", "open"],
    group: "processes",
    usage: "show <id|url>",
    what: "Post a process's status card to this channel.",
    example: "show https://go.tallyfy.com/acme/processes/3f2a9c",
    queued: true,
  },
  {
    name: "edit",
    aliases: ["update"],
    group: "processes",
    usage: "edit <id|url>",
    what: "Change a process's name, summary, owner, tags or kick-off values.",
    example: "edit 3f2a9c",
    queued: false,
  },
  {
    name: "archive",
    aliases: [],
    group: "processes",
    usage: "archive <id|url>",
    what: "Archive a process.",
    example: "archive 3f2a9c",
    queued: true,
  },
  {
    name: "activate",
    aliases: ["restore", "unarchive"],
    group: "processes",
    usage: "activate <id|url>",
    what: "Bring an archived process back.",
    example: "activate 3f2a9c",
    queued: true,
  },
  {
    name: "tasks",
    aliases: ["todo", "mytasks"],
    group: "processes",
    usage: "tasks [overdue|today|all]",
    what: "Your tasks, privately: overdue, due today and upcoming, with Complete, Approve and Comment buttons.",
    example: "tasks overdue",
    queued: true,
  },
  {
    name: "subscribe",
    aliases: [],
    group: "processes",
    usage: "subscribe <template>",
    what: "Post a live card in this channel for every process of a template.",
    example: "subscribe Employee onboarding",
    queued: true,
  },
  {
    name: "unsubscribe",
    aliases: [],
    group: "processes",
    usage: "unsubscribe <template>",
    what: "Stop posting cards here for a template.",
    example: "unsubscribe Employee onboarding",
    queued: true,
  },
  {
    name: "subscriptions",
    aliases: [],
    group: "processes",
    usage: "subscriptions",
    what: "List this channel's template subscriptions.",
    queued: true,
  },
  {
    name: "webhooks",
    aliases: ["webhook"],
    group: "processes",
    usage: "webhooks [rotate]",
    what: "Admins: the URL to paste into Tallyfy so cards update the moment tasks are completed.",
    queued: true,
  },
  {
    name: "connect",
    aliases: ["login"],
    group: "account",
    usage: "connect",
    what: "Connect your Tallyfy account, so everything you do uses your own permissions.",
    queued: false,
  },
  {
    name: "disconnect",
    aliases: ["logout"],
    group: "account",
    usage: "disconnect",
    what: "Forget your Tallyfy connection.",
    queued: false,
  },
  {
    name: "whoami",
    aliases: [],
    group: "account",
    usage: "whoami",
    what: "Show which Tallyfy account and organization you're using.",
    queued: false,
  },
  {
    name: "notifications",
    aliases: ["notify"],
    group: "account",
    usage: "notifications on|off",
    what: "Turn my DMs (your turn on a task, your process is done) on or off.",
    example: "notifications off",
    queued: true,
  },
] as const satisfies readonly SubcommandSpec[];

export type Subcommand = (typeof SUBCOMMAND_TABLE)[number]["name"];

export const SUBCOMMANDS: readonly Subcommand[] = SUBCOMMAND_TABLE.map((c) => c.name);

const BY_NAME: ReadonlyMap<string, SubcommandSpec> = new Map(
  SUBCOMMAND_TABLE.map((c) => [c.name, c]),
);

export function subcommand(name: Subcommand): SubcommandSpec {
  return BY_NAME.get(name)!;
}

/** The order people read them in: the help card, its plain text, manifest.yml's usage_hint. */
export function inHelpOrder(): SubcommandSpec[] {
  const group = (g: SubcommandSpec["group"]) => SUBCOMMAND_TABLE.filter((c) => c.group === g);
  return [...group("processes"), ...group("account"), ...group("help")];
}

/** manifest.yml's usage_hint for /tallyfy. */
export function usageHint(): string {
  return `[${inHelpOrder()
    .map((c) => c.name)
    .join(" | ")}]`;
}
