/** `/tallyfy help`, and the reply to a subcommand nobody recognises. */
import type { KnownBlock } from "@slack/types";
import { code, label, mrkdwn } from "./format.ts";

export interface Usage {
  name: string;
  usage: string;
  what: string;
  example?: string;
}

/** The subcommands by section, in the order shown (features/commands/table.ts). */
export interface HelpSections {
  processes: readonly Usage[];
  account: readonly Usage[];
}

/** Command text for mrkdwn inline code: "<" and ">" must be escaped even there. */
function command(usage: string): string {
  return `\`/tallyfy ${usage.replace(/</g, "&lt;").replace(/>/g, "&gt;")}\``;
}

function usageBlock(u: Usage): KnownBlock {
  const example = u.example ? `\n_e.g._ ${command(u.example)}` : "";
  return { type: "section", text: mrkdwn(`*${command(u.usage)}*\n${u.what}${example}`) };
}

export function renderHelp(
  sections: HelpSections,
  opts: { unknown?: string | undefined; suggestion?: string | undefined } = {},
): {
  text: string;
  blocks: KnownBlock[];
} {
  const blocks: KnownBlock[] = [];
  const names = [...sections.processes, ...sections.account].map((u) => u.name);
  let text = `How to use /tallyfy: ${names.join(", ")}`;
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
    ...sections.processes.map(usageBlock),
    { type: "divider" },
    { type: "section", text: mrkdwn("*:bust_in_silhouette: Your account*") },
    ...sections.account.map(usageBlock),
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
