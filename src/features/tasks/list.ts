/** `/tallyfy tasks [overdue | today | all]`: my tasks, privately, a page at a time. */
import type { RespondFn } from "@slack/bolt";
import type { Actor } from "../../accounts/actor.ts";
import { renderNotice } from "../../blocks/notices.ts";
import {
  type DoneContext,
  parseTaskFilter,
  renderTaskList,
  type TaskListState,
} from "../../blocks/tasks/index.ts";
import { escapeMrkdwn, truncate } from "../../blocks/text.ts";
import { actorOrPrompt } from "../../slack/actor-gate.ts";
import type { Click } from "../../slack/button.ts";
import type { BotContext } from "../../slack/context.ts";
import type { Interaction } from "../../slack/interaction.ts";
import { reply, replyFailure } from "../../slack/reply.ts";
import type { Task } from "../../tallyfy/task-schemas.ts";
import { taskLinks } from "./links.ts";

type Where = Pick<Interaction, "teamId" | "userId" | "client" | "respond">;

export async function tasksCommand(bot: BotContext, i: Interaction, actor: Actor, args: string) {
  const filter = parseTaskFilter(args);
  if (!filter) {
    const said = escapeMrkdwn(truncate(args.trim(), 100));
    const msg = renderNotice(
      "warning",
      `I don't know \`${said}\`. Try \`/tallyfy tasks\`, \`/tallyfy tasks overdue\` or \`/tallyfy tasks today\`.`,
    );
    await reply(i, msg);
    return;
  }
  await listTasks(bot, actor, i, { filter, page: 1 }, { replace: false });
}

/** Previous / Next: the same list, another page, in place of the one clicked. */
export async function turnTaskPage(bot: BotContext, click: Click, state: TaskListState) {
  const actor = await actorOrPrompt(bot, click.interaction);
  if (actor) await listTasks(bot, actor, click.interaction, state, { replace: true });
}

/** The reader's time zone from Slack, for "Due today"; UTC when Slack doesn't say. */
async function timeZoneOf(i: Pick<Interaction, "client" | "userId">): Promise<string | undefined> {
  try {
    const res = await i.client.users.info({ user: i.userId });
    return res.user?.tz ?? undefined;
  } catch {
    return undefined;
  }
}

export interface ListOptions {
  replace: boolean;
  /** Tasks just acted on: kept in their place as "Completed by @you · time". */
  done?: ReadonlyMap<string, DoneContext> | undefined;
  /** Their latest state (Tallyfy's list leaves completed tasks out). */
  changed?: Task | undefined;
}

/** One read of my tasks (up to 100, Tallyfy's order by deadline), rendered privately. */
export async function listTasks(
  bot: BotContext,
  actor: Actor,
  i: Where,
  state: TaskListState,
  opts: ListOptions,
): Promise<void> {
  try {
    const [mine, timeZone] = await Promise.all([
      actor.api.tasks.mine({}, { policy: bot.policies.background }),
      timeZoneOf(i),
    ]);
    const tasks = mine.tasks.filter((t) => t.id !== opts.changed?.id);
    if (opts.changed) {
      // The list has no run include for a task that left it: keep the process name shown.
      const before = mine.tasks.find((t) => t.id === opts.changed?.id);
      tasks.push({ ...opts.changed, run: opts.changed.run ?? before?.run ?? null });
    }
    const rendered = renderTaskList(tasks, {
      ...taskLinks(bot, actor.api.orgId),
      state,
      now: bot.now(),
      timeZone,
      truncated: mine.truncated,
      done: opts.done,
    });
    if (mine.skipped > 0) {
      const n = mine.skipped;
      rendered.blocks.push({
        type: "context",
        elements: [
          {
            type: "mrkdwn",
            text: `${n} ${n === 1 ? "task" : "tasks"} couldn't be shown; open Tallyfy to see ${n === 1 ? "it" : "them"}.`,
          },
        ],
      });
    }
    await reply(i, rendered, { replace: opts.replace });
  } catch (error) {
    await replyFailure(bot, i.respond, error, { ...i, actor, what: "tasks" });
  }
}

/** The private list again after a click on one of its rows, that row drawn as done. */
export function relist(bot: BotContext, actor: Actor, i: Where) {
  return (state: TaskListState, respond: RespondFn, done: Map<string, DoneContext>, task: Task) =>
    listTasks(bot, actor, { ...i, respond }, state, { replace: true, done, changed: task });
}
