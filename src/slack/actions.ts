import type {
  App,
  BlockAction,
  ButtonAction,
  RespondFn,
  SlackActionMiddlewareArgs,
} from "@slack/bolt";
import { ACTION, decodeListState, LIST_PAGE_ACTIONS } from "../blocks/ids.ts";
import { actorOrPrompt } from "./actor-gate.ts";
import { buildCard, type CardLocation, postCard, redrawCard } from "./cards.ts";
import { type CommandContext, listPage } from "./commands.ts";
import type { Deps } from "./deps.ts";
import type { ModalOpeners } from "./modal-openers.ts";
import { replyFailure } from "./reply.ts";
import { actAndRender, type RunActionKind } from "./run-actions.ts";
import type { WebClient } from "./web-client.ts";

type ButtonArgs = SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & { client: WebClient };
/** What a click's work reads of Bolt's arguments. */
type Click = Pick<ButtonArgs, "body" | "action" | "respond" | "client">;

function contextOf(args: Click): CommandContext {
  const { body, respond, client } = args;
  return {
    teamId: body.team?.id ?? body.user.team_id ?? "",
    userId: body.user.id,
    channelId: body.channel?.id ?? body.container?.channel_id ?? "",
    text: "",
    triggerId: body.trigger_id,
    respond,
    client,
    responseUrl: body.response_url,
  };
}

/** Where the clicked card lives: a channel message (chat.update) or an ephemeral one (response_url). */
function locationOf(body: BlockAction, respond: RespondFn): CardLocation {
  const container = body.container as {
    is_ephemeral?: boolean;
    message_ts?: string;
    channel_id?: string;
  };
  const ts = body.message?.ts ?? container?.message_ts;
  const channel = body.channel?.id ?? container?.channel_id;
  if (container?.is_ephemeral || !ts || !channel) return { kind: "ephemeral", respond };
  return { kind: "message", channel, ts };
}

export function register(app: App, deps: Deps, modals: ModalOpeners): void {
  /**
   * Acks, then runs `work`; whatever fails, the person who clicked gets an answer.
   * `valueIsRunId`: the button's value names the run (so a "not found" can name it).
   * `queued`: the work waits its turn in deps.background (never for buttons opening a modal).
   */
  const button =
    (
      what: string,
      work: (args: Click, ctx: CommandContext) => Promise<void>,
      valueIsRunId = true,
      queued = false,
    ) =>
    async (args: ButtonArgs) => {
      await args.ack();
      const ctx = contextOf(args);
      // Only what the work reads: a queued click must not keep Bolt's whole request alive.
      const click: Click = {
        body: args.body,
        action: args.action,
        respond: args.respond,
        client: args.client,
      };
      const run = async () => {
        try {
          await work(click, ctx);
        } catch (error) {
          const runRef = valueIsRunId ? click.action.value || undefined : undefined;
          await replyFailure(deps, click.respond, error, { ...ctx, runRef, what });
        }
      };
      if (!queued) return run();
      deps.background.enqueue(run, (error) => deps.logger.error("queued click failed", { error }));
    };

  const cardAction = (kind: RunActionKind) =>
    button(
      kind,
      async (args, ctx) => {
        const runId = args.action.value ?? "";
        // Clicks act as the person who clicks, not the person who posted the card.
        const actor = await actorOrPrompt(deps, ctx);
        if (!actor) return;
        try {
          const card = await actAndRender(deps, actor.api, kind, runId, ctx.userId);
          await redrawWithFallback(
            deps,
            args.client,
            locationOf(args.body, args.respond),
            card,
            args.respond,
          );
        } catch (error) {
          await replyFailure(deps, args.respond, error, {
            ...ctx,
            actor,
            runRef: runId,
            what: kind,
          });
        }
      },
      true,
      true,
    );

  app.action<BlockAction<ButtonAction>>(ACTION.archive, cardAction("archive"));
  app.action<BlockAction<ButtonAction>>(ACTION.activate, cardAction("activate"));
  app.action<BlockAction<ButtonAction>>(ACTION.refresh, cardAction("refresh"));

  app.action<BlockAction<ButtonAction>>(
    ACTION.update,
    button("update", (args, ctx) =>
      modals.edit(ctx, args.action.value ?? "", locationOf(args.body, args.respond)),
    ),
  );

  // The Open button is a link; Slack still sends the click, which only needs an ack.
  app.action(ACTION.open, async ({ ack }) => {
    await ack();
  });

  app.action<BlockAction<ButtonAction>>(
    ACTION.view,
    button(
      "view",
      async (args, ctx) => {
        const runId = args.action.value ?? "";
        const actor = await actorOrPrompt(deps, ctx);
        if (!actor) return;
        try {
          const run = await actor.api.runs.get(runId, { policy: deps.policies.background });
          const card = await buildCard(deps, actor.api, run);
          await postCard(args.client, ctx.channelId, card, args.respond);
        } catch (error) {
          await replyFailure(deps, args.respond, error, {
            ...ctx,
            actor,
            runRef: runId,
            what: "view",
          });
        }
      },
      true,
      true,
    ),
  );

  app.action<BlockAction<ButtonAction>>(
    LIST_PAGE_ACTIONS,
    button(
      "list",
      async (args, ctx) => {
        const actor = await actorOrPrompt(deps, ctx);
        if (!actor) return;
        await listPage(deps, actor, ctx, decodeListState(args.action.value ?? ""), true);
      },
      false,
      true,
    ),
  );

  app.action<BlockAction<ButtonAction>>(
    ACTION.connect,
    button("connect", (args, ctx) => modals.connect(ctx, args.action.value || undefined), false),
  );
}

/** chat.update can fail for a card posted through a response_url; replace it that way instead. */
async function redrawWithFallback(
  deps: Deps,
  client: WebClient,
  where: CardLocation,
  card: { text: string; blocks: unknown[] },
  respond: RespondFn,
) {
  try {
    await redrawCard(client, where, card);
  } catch (error) {
    if (where.kind === "ephemeral") throw error;
    deps.logger.warn("chat.update failed; replacing through response_url", {
      error: (error as Error).message,
    });
    await redrawCard(client, { kind: "ephemeral", respond }, card);
  }
}
