/** Bolt wiring for `/tallyfy`: help and the busy gate inside the ack, the rest after it. */
import type { AckFn, RespondArguments, SlackCommandMiddlewareArgs } from "@slack/bolt";
import { renderNotice } from "../../blocks/notices.ts";
import type { BotContext } from "../../slack/context.ts";
import { commandInteraction } from "../../slack/interaction.ts";
import type { Listeners } from "../../slack/listeners.ts";
import { tellStopped } from "../../slack/stopped.ts";
import type { WebClient } from "../../slack/web-client.ts";
import { helpMessage } from "../help/flow.ts";
import { parseCommand } from "./parse.ts";
import { dispatch } from "./routes.ts";
import { subcommand } from "./table.ts";

/**
 * Queued commands waiting beyond this are turned away inside the ack (~1.5 KB each: the cap
 * keeps a runaway backlog far below the heap limit `npm start` sets).
 */
export const MAX_WAITING = 10_000;

type CommandArgs = SlackCommandMiddlewareArgs & { client: WebClient };

const ackWith = (ack: AckFn<string | RespondArguments>, msg: { text: string; blocks: unknown[] }) =>
  ack({ response_type: "ephemeral", text: msg.text, blocks: msg.blocks } as never);

export const tallyfyCommand =
  (bot: BotContext) =>
  async ({ command, ack, client }: CommandArgs): Promise<void> => {
    const parsed = parseCommand(command.text);
    // Help needs no I/O: answer inside the ack itself.
    if (parsed.name === "help" || parsed.name === "unknown") {
      const unknown = parsed.name === "unknown" ? parsed : undefined;
      await ackWith(ack, helpMessage({ unknown: unknown?.word, suggestion: unknown?.suggestion }));
      return;
    }
    const { queued } = subcommand(parsed.name);
    // A backlog this deep means the bot is far behind: say so at once rather than queue more.
    if (queued && bot.background.waiting >= MAX_WAITING) {
      const busy = renderNotice(
        "warning",
        "I'm working through a burst of requests right now, so I didn't take this one. Nothing was changed; try again in a minute.",
      );
      await ackWith(ack, busy);
      return;
    }
    await ack();
    const interaction = commandInteraction(bot, command, client);
    // Queued ones are handed over and the listener returns, so the request is let go.
    if (queued) {
      bot.background.enqueue({
        run: () => dispatch(bot, interaction),
        stopped: tellStopped(interaction.respond),
        onError: (error) => bot.logger.error("queued command failed", { error }),
      });
    } else {
      await dispatch(bot, interaction);
    }
  };

export function registerCommands(app: Listeners, bot: BotContext): void {
  app.command("/tallyfy", tallyfyCommand(bot));
}
