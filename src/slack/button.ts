import type { BlockAction, ButtonAction, SlackActionMiddlewareArgs } from "@slack/bolt";
import type { BotContext } from "./context.ts";
import { type Interaction, payloadInteraction } from "./interaction.ts";
import { replyFailure } from "./reply.ts";
import { tellStopped } from "./stopped.ts";
import type { WebClient } from "./web-client.ts";

export type ButtonArgs = SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & {
  client: WebClient;
};

/** What a click's work reads: a queued click must not keep Bolt's whole request alive. */
export interface Click {
  interaction: Interaction;
  /** The button's value ("" when it has none). */
  value: string;
  body: BlockAction;
}

export interface ButtonOptions {
  /** The button's value names the run (so a "not found" can name it). Default true. */
  valueIsRunId?: boolean;
  /** The work waits its turn in the background queue (never for a button opening a modal). */
  queued?: boolean;
}

/** A button listener: acks, then runs `work`; whatever fails, the person who clicked hears. */
export function buttonListener(
  bot: BotContext,
  what: string,
  work: (click: Click) => Promise<void>,
  { valueIsRunId = true, queued = false }: ButtonOptions = {},
) {
  return async (args: ButtonArgs): Promise<void> => {
    await args.ack();
    const click: Click = {
      interaction: payloadInteraction(bot, args.body, args.client),
      value: args.action.value ?? "",
      body: args.body,
    };
    const run = async () => {
      try {
        await work(click);
      } catch (error) {
        const runRef = valueIsRunId ? click.value || undefined : undefined;
        await replyFailure(bot, click.interaction.respond, error, {
          ...click.interaction,
          runRef,
          what,
        });
      }
    };
    if (!queued) return run();
    bot.background.enqueue({
      run,
      stopped: tellStopped(click.interaction.respond),
      onError: (error) => bot.logger.error("queued click failed", { error }),
    });
  };
}
