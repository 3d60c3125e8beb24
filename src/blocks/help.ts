/** `/tallyfy help`, and the reply to a subcommand nobody recognises. */
import type { KnownBlock } from "@slack/types";
import { code, label, mrkdwn } from "./format.ts";

interface Usage {
  usage: string;
  what: string;
  example?: string;
}

const PROCESS_COMMANDS: Usage[] = [
  {
    usage: "launch [template]",
    what: "Start a process from a template; fill in its kick-off form in Slack.",
    example: "launch Employee onboarding",
  },
  {
    usage: "list [status] [words]",
    what:
      "List processes, newest first. Status is one of `active`, `problem`, `delayed`, " +
      "`complete`, `archived`; add `mine` for the ones you own, and words to search by name.",
    example: "list mine delayed invoice",
  },
  {
    usage: "show <id|url>",
    what: "Post a process's status card to this channel.",
    example: "show https://go.tallyfy.com/acme/processes/3f2a9c",
  },
  {
    usage: "edit <id|url>",
    what: "Change a process's name, summary, owner, tags or kick-off values.",
    example: "edit 3f2a9c",
  },
  { usage: "archive <id|url>", what: "Archive a process.", example: "archive 3f2a9c" },
  {
    usage: "activate <id|url>",
    what: "Bring an archived process back.",
    example: "activate 3f2a9c",
  },
];

const ACCOUNT_COMMANDS: Usage[] = [
  {
    usage: "connect",
    what: "Connect your Tallyfy account, so everything you do uses your own permissions.",
  },
  { usage: "disconnect", what: "Forget your Tallyfy connection." },
  { usage: "whoami", what: "Show which Tallyfy account and organization you're using." },
  { usage: "help", what: "Show this message." },
];

/** Command text for mrkdwn inline code: "<" and ">" must be escaped even there. */
function command(usage: string): string {
  return `\`/tallyfy ${usage.replace(/</g, "&lt;").replace(/>/g, "&gt;")}\``;
}

function usageBlock(u: Usage): KnownBlock {
  const example = u.example ? `\n_e.g._ ${command(u.example)}` : "";
  return { type: "section", text: mrkdwn(`*${command(u.usage)}*\n${u.what}${example}`) };
}

export function renderHelp(
  opts: { unknown?: string | undefined; suggestion?: string | undefined } = {},
): {
  text: string;
  blocks: KnownBlock[];
} {
  const blocks: KnownBlock[] = [];
  let text =
    "How to use /tallyfy: launch, list, show, edit, archive, activate, connect, disconnect, whoami, help";
  const unknown = opts.unknown?.trim();
  if (unknown) {
    const suggestion = opts.suggestion?.trim();
    const hint = suggestion ? ` Did you mean ${code(suggestion, 30)}?` : "";
    blocks.push({
      type: "section",
      text: mrkdwn(
        `:thinking_face: Unknown command ${code(unknown, 50)}.${hint} Here's what I can do:`,
      ),
    });
    text = `Unknown command ${code(unknown, 50)}.${hint} Type \`/tallyfy help\` to see every command.`;
  }
  blocks.push(
    { type: "header", text: label("Tallyfy for Slack") },
    {
      type: "section",
      text: mrkdwn(
        "Run your Tallyfy processes without leaving Slack. Each process shows up as a card whose buttons update, archive or reopen it in place.",
      ),
    },
    { type: "divider" },
    { type: "section", text: mrkdwn("*:clipboard: Processes*") },
    ...PROCESS_COMMANDS.map(usageBlock),
    { type: "divider" },
    { type: "section", text: mrkdwn("*:bust_in_silhouette: Your account*") },
    ...ACCOUNT_COMMANDS.map(usageBlock),
    {
      type: "context",
      elements: [
        mrkdwn(
          ":bulb: Wherever a command takes an id, you can paste the process's link from Tallyfy instead.",
        ),
      ],
    },
  );
  return { text, blocks };
}
