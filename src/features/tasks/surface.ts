/**
 * Where a task button was clicked, and redrawing that place after the task changed: the
 * private list (response_url, replace_original), a status card (chat.update or its
 * response_url), a task's own message (chat.update), or a view such as the App Home.
 */
import type { BlockAction, RespondFn } from "@slack/bolt";
import type { KnownBlock } from "@slack/types";
import type { Actor } from "../../accounts/actor.ts";
import { slackDate } from "../../blocks/dates.ts";
import { personLabel } from "../../blocks/people.ts";
import {
  type DoneContext,
  doneRowBlocks,
  renderTaskCard,
  replaceTaskRow,
  rowBlockId,
  type TaskLinks,
  type TaskListState,
  type TaskOrigin,
} from "../../blocks/tasks/index.ts";
import { mrkdwnText } from "../../blocks/text.ts";
import type { BotContext } from "../../slack/context.ts";
import type { Interaction } from "../../slack/interaction.ts";
import type { WebClient } from "../../slack/web-client.ts";
import type { Task } from "../../tallyfy/task-schemas.ts";
import { buildCard, type CardLocation, cardLocationOf, redrawOrReplace } from "../card/cards.ts";
import { taskLinks } from "./links.ts";
import { peopleFor } from "./people.ts";

/** A view (App Home, or a modal) holding task rows, as a click brings it. */
export interface ClickedView {
  id: string;
  hash?: string | undefined;
  type: string;
  blocks: KnownBlock[];
}

export type TaskSurface =
  | { kind: "list"; state: TaskListState; respond: RespondFn }
  | { kind: "card"; runId: string; where: CardLocation }
  | { kind: "message"; channel: string; ts: string; blocks: KnownBlock[] | undefined }
  | { kind: "ephemeral"; respond: RespondFn }
  | { kind: "view"; view: ClickedView | undefined }
  | { kind: "none" };

/** What changed, for whoever redraws a surface. */
export interface TaskChange {
  userId: string;
  client: WebClient;
  task: Task;
  done: DoneContext;
  links: TaskLinks;
  /** The view the click came from, when it came from one. */
  view?: ClickedView | undefined;
}

/**
 * How a view that shows task rows is redrawn after one of them changed. The App Home feature
 * passes its own to registerTasks (e.g. to rebuild the whole tab); without one, the row is
 * replaced in place and the Home tab published again.
 */
export type TaskViewRedrawer = (bot: BotContext, change: TaskChange) => Promise<void>;

export interface TaskHooks {
  redrawView?: TaskViewRedrawer | undefined;
}

/** Where a click came from; the value's origin covers what Slack does not send back. */
export function surfaceOf(
  body: BlockAction,
  respond: RespondFn,
  origin: TaskOrigin,
  runId: string | null,
): TaskSurface {
  const view = body.view as (ClickedView & { blocks: unknown }) | undefined;
  if (view) {
    const blocks = Array.isArray(view.blocks) ? (view.blocks as KnownBlock[]) : [];
    return { kind: "view", view: { id: view.id, hash: view.hash, type: view.type, blocks } };
  }
  if (origin.card && runId) return { kind: "card", runId, where: cardLocationOf(body, respond) };
  if (origin.list) return { kind: "list", state: origin.list, respond };
  const container = body.container as { is_ephemeral?: boolean } | undefined;
  const message = body.message as { ts?: string; blocks?: unknown } | undefined;
  const channel = body.channel?.id;
  if (!container?.is_ephemeral && message?.ts && channel) {
    const blocks = Array.isArray(message.blocks) ? (message.blocks as KnownBlock[]) : undefined;
    return { kind: "message", channel, ts: message.ts, blocks };
  }
  return body.response_url ? { kind: "ephemeral", respond } : { kind: "none" };
}

/** The redrawn task's own message: its card with "Completed by @you · time". */
async function taskCard(bot: BotContext, actor: Actor, task: Task, done: DoneContext) {
  const assignees = await peopleFor(bot, actor.api, task.owners?.users ?? []);
  return renderTaskCard(task, {
    ...taskLinks(bot, actor.api.orgId),
    assignees,
    done,
    now: bot.now(),
  });
}

export interface RedrawDeps {
  bot: BotContext;
  actor: Actor;
  i: Pick<Interaction, "userId" | "client" | "respond">;
  hooks: TaskHooks;
  /** Re-renders the private list with this task's row done (it is not in the list any more). */
  relist: (
    state: TaskListState,
    respond: RespondFn,
    done: Map<string, DoneContext>,
    task: Task,
  ) => Promise<void>;
}

/** Redraws the surface after `task` changed; failures are logged, never shown as errors. */
export async function redrawSurface(
  d: RedrawDeps,
  surface: TaskSurface,
  task: Task,
  done: DoneContext,
): Promise<void> {
  const { bot, actor, i } = d;
  try {
    switch (surface.kind) {
      case "list":
        await d.relist(surface.state, surface.respond, new Map([[task.id, done]]), task);
        return;
      case "card": {
        const run = await actor.api.runs.get(surface.runId, { policy: bot.policies.background });
        const title = mrkdwnText(task.title || "Untitled task", 150);
        const card = await buildCard(bot, actor.api, run, {
          lastAction: { text: `${VERB[done.outcome]} *${title}* ${byLine(done)}` },
        });
        await redrawOrReplace(bot, bot.cardChat, surface.where, card, i.respond);
        return;
      }
      case "message": {
        const blocks = surface.blocks;
        const msg = blocks?.some((b) => b.block_id === rowBlockId(task.id))
          ? {
              text: `Task: ${task.title}`,
              blocks: replaceTaskRow(
                blocks,
                task.id,
                doneRowBlocks(task, taskLinks(bot, actor.api.orgId), done),
              ),
            }
          : await taskCard(bot, actor, task, done);
        await i.client.chat.update({
          channel: surface.channel,
          ts: surface.ts,
          text: msg.text,
          blocks: msg.blocks as never,
        });
        return;
      }
      case "ephemeral": {
        const msg = await taskCard(bot, actor, task, done);
        await surface.respond({
          replace_original: true,
          text: msg.text,
          blocks: msg.blocks as never,
        });
        return;
      }
      case "view": {
        const change: TaskChange = {
          userId: i.userId,
          client: i.client,
          task,
          done,
          links: taskLinks(bot, actor.api.orgId),
          view: surface.view,
        };
        await (d.hooks.redrawView ?? republishHome)(bot, change);
        return;
      }
      case "none":
        return;
    }
  } catch (error) {
    bot.logger.warn("could not redraw after a task action", {
      surface: surface.kind,
      error: (error as Error).message,
    });
  }
}

const VERB: Record<DoneContext["outcome"], string> = {
  completed: "Completed",
  approved: "Approved",
  rejected: "Rejected",
  acknowledged: "Acknowledged",
  already_completed: "Already completed",
};

/** "by @who · <time>" for the status card's context line. */
function byLine(done: DoneContext): string {
  return `by ${personLabel(done.by)}${done.at ? ` · ${slackDate(done.at)}` : ""}`;
}

/** The default for a Home tab: the row replaced in place, the tab published again. */
const republishHome: TaskViewRedrawer = async (_bot, change) => {
  const view = change.view;
  if (view?.type !== "home") return;
  const row = doneRowBlocks(change.task, change.links, change.done);
  const blocks = replaceTaskRow(view.blocks, change.task.id, row);
  await change.client.views.publish({
    user_id: change.userId,
    ...(view.hash ? { hash: view.hash } : {}),
    view: { type: "home", blocks: blocks as never },
  });
};
