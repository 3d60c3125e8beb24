import type { App, RespondFn } from "@slack/bolt";
import type { Actor } from "../accounts/actor.ts";
import { renderHelp } from "../blocks/help.ts";
import { renderRunList } from "../blocks/list.ts";
import { renderNotice } from "../blocks/notices.ts";
import { escapeMrkdwn, truncate } from "../blocks/text.ts";
import { actorOrPrompt } from "./actor-gate.ts";
import { buildCard, postCard, runLink } from "./cards.ts";
import type { Deps } from "./deps.ts";
import type { ModalOpeners } from "./modal-openers.ts";
import { parseCommand, parseListArgs, parseRunRef } from "./parse.ts";
import { replyFailure } from "./reply.ts";
import { actAndRender, type RunActionKind } from "./run-actions.ts";
import type { WebClient } from "./web-client.ts";

export interface CommandContext {
  teamId: string;
  userId: string;
  channelId: string;
  text: string;
  triggerId: string | undefined;
  respond: RespondFn;
  client: WebClient;
  /** The interaction's response_url, kept by modals that answer after the click. */
  responseUrl?: string | undefined;
}

const PER_PAGE = 10;

export function register(app: App, deps: Deps, modals: ModalOpeners): void {
  app.command("/tallyfy", async ({ command, ack, respond, client }) => {
    const parsed = parseCommand(command.text);
    // Help needs no I/O: answer inside the ack itself.
    if (parsed.name === "help") {
      await ack({ response_type: "ephemeral", ...renderHelp() } as never);
      return;
    }
    if (parsed.name === "unknown") {
      const help = renderHelp({ unknown: parsed.word, suggestion: parsed.suggestion });
      await ack({ response_type: "ephemeral", ...help } as never);
      return;
    }
    const queued = QUEUED.has(parsed.name);
    // A backlog this deep means the bot is far behind: say so at once rather than queue more.
    if (queued && deps.background.waiting >= MAX_WAITING) {
      const busy = renderNotice(
        "warning",
        "I'm working through a burst of requests right now, so I didn't take this one. Nothing was changed; try again in a minute.",
      );
      await ack({ response_type: "ephemeral", text: busy.text, blocks: busy.blocks } as never);
      return;
    }
    await ack();
    const ctx: CommandContext = {
      teamId: command.team_id,
      userId: command.user_id,
      channelId: command.channel_id,
      text: command.text,
      triggerId: command.trigger_id,
      responseUrl: command.response_url,
      respond,
      client,
    };
    // Commands that open a modal must reach views.open within the trigger's 3 s: never queued.
    // Queued ones are handed over and the listener returns, so the request is let go.
    if (queued) {
      deps.background.enqueue(
        () => dispatch(deps, modals, ctx),
        (error) => deps.logger.error("queued command failed", { error }),
      );
    } else {
      await dispatch(deps, modals, ctx);
    }
  });
}

/**
 * Queued commands waiting beyond this are turned away inside the ack (~1.5 KB each: the cap
 * keeps a runaway backlog far below the heap limit `npm start` sets).
 */
export const MAX_WAITING = 10_000;

/** Commands whose work is Tallyfy calls and a reply: they wait their turn after the ack. */
const QUEUED = new Set(["list", "show", "archive", "activate"]);

/**
 * Runs a `/tallyfy` command after the ack; also used to replay a command after connecting.
 * Whatever fails (the connection store, a modal opener), the person still gets an answer.
 */
export async function dispatch(
  deps: Deps,
  modals: ModalOpeners,
  ctx: CommandContext,
): Promise<void> {
  try {
    await route(deps, modals, ctx);
  } catch (error) {
    await replyFailure(deps, ctx.respond, error, { ...ctx, what: "command" });
  }
}

async function route(deps: Deps, modals: ModalOpeners, ctx: CommandContext): Promise<void> {
  const parsed = parseCommand(ctx.text);
  switch (parsed.name) {
    case "help":
    case "unknown":
      await ctx.respond({ response_type: "ephemeral", ...renderHelp() } as never);
      return;
    case "connect":
      await modals.connect(ctx);
      return;
    case "disconnect":
      await modals.disconnect(ctx);
      return;
    case "whoami":
      await modals.whoami(ctx);
      return;
    case "launch":
      await modals.launch(ctx, parsed.args);
      return;
  }

  const replay = { text: ctx.text, channelId: ctx.channelId };
  if (parsed.name === "list") {
    const actor = await actorOrPrompt(deps, { ...ctx, replay });
    if (actor) await list(deps, ctx, actor, parsed.args);
    return;
  }

  const ref = parseRunRef(parsed.args);
  if (!ref.ok) {
    const shown = ref.input ? `\`${escapeMrkdwn(truncate(ref.input, 200))}\`` : "nothing";
    const msg = renderNotice(
      "warning",
      `I couldn't read a process id from ${shown}. Give the id or paste the process link, e.g. \`/tallyfy ${parsed.name} https://go.tallyfy.com/acme/processes/3f2a…\``,
    );
    await ctx.respond({ response_type: "ephemeral", text: msg.text, blocks: msg.blocks as never });
    return;
  }
  if (parsed.name === "edit") {
    await modals.edit(ctx, ref.runId, undefined);
    return;
  }
  const actor = await actorOrPrompt(deps, { ...ctx, replay });
  if (!actor) return;
  if (parsed.name === "show") await show(deps, ctx, actor, ref.runId);
  else await act(deps, ctx, actor, parsed.name, ref.runId);
}

async function show(deps: Deps, ctx: CommandContext, actor: Actor, runId: string) {
  try {
    const run = await actor.api.runs.get(runId, { policy: deps.policies.background });
    const card = await buildCard(deps, actor.api, run);
    await postCard(ctx.client, ctx.channelId, card, ctx.respond);
  } catch (error) {
    await replyFailure(deps, ctx.respond, error, { ...ctx, actor, runRef: runId, what: "show" });
  }
}

async function act(
  deps: Deps,
  ctx: CommandContext,
  actor: Actor,
  kind: RunActionKind,
  runId: string,
) {
  try {
    const card = await actAndRender(deps, actor.api, kind, runId, ctx.userId);
    await postCard(ctx.client, ctx.channelId, card, ctx.respond);
  } catch (error) {
    await replyFailure(deps, ctx.respond, error, { ...ctx, actor, runRef: runId, what: kind });
  }
}

export async function list(deps: Deps, ctx: CommandContext, actor: Actor, args: string) {
  const parsed = parseListArgs(args);
  await listPage(
    deps,
    actor,
    ctx,
    { status: parsed.status, q: parsed.q, mine: parsed.mine || undefined, page: 1 },
    false,
  );
}

/** Renders one page of the list privately; paging replaces the same ephemeral message. */
export async function listPage(
  deps: Deps,
  actor: Actor,
  ctx: Pick<CommandContext, "teamId" | "userId" | "respond">,
  state: {
    status?: string | undefined;
    q?: string | undefined;
    mine?: boolean | undefined;
    page: number;
  },
  replace: boolean,
) {
  try {
    let owners: number[] | undefined;
    if (state.mine) {
      const me =
        actor.kind === "user" && actor.connection.tallyfyUserId != null
          ? actor.connection.tallyfyUserId
          : (await deps.identity.tallyfyUserFor(actor.api, ctx.userId))?.id;
      if (me == null) {
        const msg = renderNotice(
          "warning",
          "I couldn't match your Slack email to a Tallyfy user, so I can't tell which processes are yours. Use `/tallyfy connect` to connect your own account.",
        );
        await ctx.respond({
          response_type: "ephemeral",
          replace_original: false,
          text: msg.text,
          blocks: msg.blocks as never,
        });
        return;
      }
      owners = [me];
    }
    const page = await actor.api.runs.list(
      {
        status: state.status,
        q: state.q,
        owners,
        page: state.page,
        perPage: PER_PAGE,
        sort: "-created_at",
      },
      { policy: deps.policies.background },
    );
    const rendered = renderRunList(page, {
      state,
      runUrl: (id) => runLink(deps, actor.api.orgId, id),
      now: deps.now(),
    });
    await ctx.respond({
      response_type: "ephemeral",
      replace_original: replace,
      text: rendered.text,
      blocks: rendered.blocks as never,
    });
  } catch (error) {
    await replyFailure(deps, ctx.respond, error, { ...ctx, actor, what: "list" });
  }
}
