import type { KnownBlock } from "@slack/types";
import { ACTION } from "./ids.ts";

/** Shown when a Slack user has no usable Tallyfy connection. */
export function renderConnectPrompt(opts: { invalid: boolean; pendingId?: string }): {
  text: string;
  blocks: KnownBlock[];
} {
  const text = opts.invalid
    ? "Tallyfy no longer accepts your saved access token (it's invalidated when you log out of Tallyfy). Reconnect to carry on."
    : "Connect your Tallyfy account so I can act as you, with your own Tallyfy permissions.";
  return {
    text,
    blocks: [
      { type: "section", text: { type: "mrkdwn", text: `:link: ${text}` } },
      {
        type: "actions",
        elements: [
          {
            type: "button",
            action_id: ACTION.connect,
            style: "primary",
            text: {
              type: "plain_text",
              text: opts.invalid ? "Reconnect Tallyfy" : "Connect Tallyfy",
            },
            value: opts.pendingId ?? "",
          },
        ],
      },
      {
        type: "context",
        elements: [
          {
            type: "mrkdwn",
            text: opts.pendingId
              ? "After connecting, I'll finish what you asked for."
              : "You can also type `/tallyfy connect`.",
          },
        ],
      },
    ],
  };
}
