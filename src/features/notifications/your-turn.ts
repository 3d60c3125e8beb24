/**
 * DMs after a webhook: the assignees of the task a completion made next ("Your turn"), and
 * whoever launched a process when it completes ("Done"). People are matched by email; anyone
 * who turned notifications off, or is not in the workspace, gets nothing. Each person hears
 * about a task (or a completed process) once, however many deliveries or instances see it.
 */
import { renderProcessDone, renderYourTurn } from "../../blocks/live-dms.ts";
import type { BotContext } from "../../slack/context.ts";
import type { WebClient } from "../../slack/web-client.ts";
import type { SharedState } from "../../store/shared-state.ts";
import type { TallyfyApi } from "../../tallyfy/api.ts";
import type { Run } from "../../tallyfy/schemas.ts";
import { runLink } from "../card/cards.ts";
import type { Fanout } from "../cards-registry/fanout.ts";

export interface DmDeps {
  bot: BotContext;
  fanout: Fanout;
  /** The fan-out's own client (permalinks). */
  client: WebClient;
  shared: Pick<SharedState, "seenOnce">;
  teamId: string;
}

const ONCE_MS = 30 * 24 * 60 * 60_000;

/** A link to the run's first card in a channel, for the DM; undefined when there is none. */
async function cardLinkFor(deps: DmDeps, runId: string): Promise<string | undefined> {
  const cards = await deps.bot.live.cardsForRun(runId);
  const card = cards.find((c) => c.kind === "status" && !c.channel.startsWith("D"));
  if (!card) return undefined;
  try {
    const res = await deps.client.chat.getPermalink({ channel: card.channel, message_ts: card.ts });
    return res.permalink ?? undefined;
  } catch {
    return undefined;
  }
}

async function dm(
  deps: DmDeps,
  slackUserId: string,
  onceKey: string,
  msg: { text: string; blocks: unknown[] },
) {
  const { bot } = deps;
  if (!(await bot.live.notificationsOn(deps.teamId, slackUserId))) return false;
  if (!(await deps.shared.seenOnce(`${onceKey}:${slackUserId}`, ONCE_MS))) return false;
  try {
    await deps.fanout.post(deps.teamId, slackUserId, msg);
    return true;
  } catch (error) {
    bot.logger.warn("could not send a DM", { error: (error as Error).message });
    return false;
  }
}

/** "Your turn" to every Slack-matched assignee of the run's next open task. Returns DMs sent. */
export async function notifyNextTask(deps: DmDeps, api: TallyfyApi, run: Run): Promise<number> {
  const { bot } = deps;
  const next = run.next_task;
  if (!next || run.status.toLowerCase().startsWith("complete")) return 0;
  const task = await api.tasks.get(next.id, { policy: bot.policies.background });
  if (task.isCompleted) return 0;
  const owners = task.owners?.users ?? [];
  if (owners.length === 0) return 0;
  const cardLink = await cardLinkFor(deps, run.id);
  const msg = renderYourTurn(task, run.name, {
    runUrl: runLink(bot, api.orgId, run.id),
    cardLink,
    now: bot.now(),
  });
  let sent = 0;
  for (const owner of owners) {
    const slackUser = await bot.identity.slackUserForTallyfy(api, owner);
    if (slackUser && (await dm(deps, slackUser, `dm:turn:${task.id}`, msg))) sent++;
  }
  return sent;
}

/** "Done" to whoever launched the run, once. */
export async function notifyProcessDone(deps: DmDeps, api: TallyfyApi, run: Run): Promise<number> {
  const { bot } = deps;
  if (!run.status.toLowerCase().startsWith("complete") || run.started_by == null) return 0;
  const slackUser = await bot.identity.slackUserForTallyfy(api, run.started_by);
  if (!slackUser) return 0;
  const msg = renderProcessDone(run.name, {
    runUrl: runLink(bot, api.orgId, run.id),
    cardLink: await cardLinkFor(deps, run.id),
  });
  return (await dm(deps, slackUser, `dm:done:${run.id}`, msg)) ? 1 : 0;
}
