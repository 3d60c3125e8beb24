/** Where each `/tallyfy` subcommand goes after the ack; also replays a command after connecting. */
import type { Actor } from "../../accounts/actor.ts";
import { renderNotice } from "../../blocks/notices.ts";
import { escapeMrkdwn, truncate } from "../../blocks/text.ts";
import { actorOrPrompt } from "../../slack/actor-gate.ts";
import type { BotContext } from "../../slack/context.ts";
import type { Interaction } from "../../slack/interaction.ts";
import { reply, replyFailure } from "../../slack/reply.ts";
import { actAndPost, showCard } from "../card/flow.ts";
import { connect, disconnect, whoami } from "../connect/flow.ts";
import { openEdit } from "../edit/flow.ts";
import { helpMessage } from "../help/flow.ts";
import { openLaunch } from "../launch/flow.ts";
import { list } from "../list/flow.ts";
import { notificationsCommand } from "../notifications/flow.ts";
import { listSubscriptions, subscribe, unsubscribe } from "../subscriptions/flow.ts";
import { tasksCommand } from "../tasks/list.ts";
import { webhooksCommand } from "../webhooks/admin.ts";
import { parseCommand, parseRunRef } from "./parse.ts";
import type { Subcommand } from "./table.ts";

type Route = (bot: BotContext, i: Interaction, args: string) => Promise<void>;

/** The person's Tallyfy rights, or a Connect prompt that keeps this command for a replay. */
const asActor =
  (then: (bot: BotContext, i: Interaction, actor: Actor, args: string) => Promise<void>): Route =>
  async (bot, i, args) => {
    const actor = await actorOrPrompt(bot, {
      ...i,
      replay: { text: i.text, channelId: i.channelId },
    });
    if (actor) await then(bot, i, actor, args);
  };

/** A run id or link in the arguments, handed on as the arguments; else how to give one. */
const withRun =
  (name: Subcommand, then: Route): Route =>
  async (bot, i, args) => {
    const ref = parseRunRef(args);
    if (ref.ok) return then(bot, i, ref.runId);
    const shown = ref.input ? `\`${escapeMrkdwn(truncate(ref.input, 200))}\`` : "nothing";
    const msg = renderNotice(
      "warning",
      `I couldn't read a process id from ${shown}. Give the id or paste the process link, e.g. \`/tallyfy ${name} https://go.tallyfy.com/acme/processes/3f2a…\``,
    );
    await reply(i, msg);
  };

/** Every subcommand in the table has a route: the typechecker holds this to the table. */
const ROUTES: Record<Subcommand, Route> = {
  help: (_bot, i) => reply(i, helpMessage()),
  launch: (bot, i, args) => openLaunch(bot, i, args),
  list: asActor(list),
  show: withRun("show", asActor(showCard)),
  edit: withRun("edit", (bot, i, runId) => openEdit(bot, i, runId, undefined)),
  archive: withRun(
    "archive",
    asActor((bot, i, actor, id) => actAndPost(bot, i, actor, "archive", id)),
  ),
  activate: withRun(
    "activate",
    asActor((bot, i, actor, id) => actAndPost(bot, i, actor, "activate", id)),
  ),
  tasks: asActor(tasksCommand),
  connect: (bot, i) => connect(bot, i),
  disconnect: (bot, i) => disconnect(bot, i),
  whoami: (bot, i) => whoami(bot, i),
  subscribe: asActor(subscribe),
  unsubscribe: (bot, i, args) => unsubscribe(bot, i, args),
  subscriptions: (bot, i) => listSubscriptions(bot, i),
  webhooks: asActor(webhooksCommand),
  notifications: (bot, i, args) => notificationsCommand(bot, i, args),
};

/**
 * Runs a `/tallyfy` command after the ack; also used to replay a command after connecting.
 * Whatever fails (the connection store, a modal opener), the person still gets an answer.
 */
export async function dispatch(bot: BotContext, i: Interaction): Promise<void> {
  try {
    const parsed = parseCommand(i.text);
    if (parsed.name === "unknown") await reply(i, helpMessage());
    else await ROUTES[parsed.name](bot, i, parsed.args);
  } catch (error) {
    await replyFailure(bot, i.respond, error, { ...i, what: "command" });
  }
}
