/**
 * The Home tab: drawn from Tallyfy with the person's own rights and published with
 * views.publish, guarded by the last hash so two instances never publish over each other
 * blindly. Refreshed when opened (at most once per person per 10 s) and after the person acts
 * from Home (`refreshHome`, or `refreshIfHome` from any button listener).
 */
import { type Actor, resolveActor } from "../../accounts/actor.ts";
import { renderWhoami } from "../../blocks/accounts.ts";
import { isFinished } from "../../blocks/format.ts";
import { type HomeData, homeFallback, type Loaded, renderHome } from "../../blocks/home.ts";
import { truncate } from "../../blocks/text.ts";
import type { BotContext } from "../../slack/context.ts";
import { describeFailure } from "../../slack/reply.ts";
import { slackErrorCode } from "../../slack/slack-errors.ts";
import type { WebClient } from "../../slack/web-client.ts";
import { WorkStopped } from "../../slack/work-queue.ts";
import type { Priority } from "../../tallyfy/pacing.ts";
import type { Run } from "../../tallyfy/schemas.ts";
import type { Task } from "../../tallyfy/task-schemas.ts";
import { whoamiState } from "../connect/flow.ts";
import { taskLinks } from "../tasks/links.ts";

/** Processes are looked for among this many of the organization's newest. */
const RECENT_RUNS = 100;

interface Who {
  teamId: string;
  userId: string;
}

/**
 * Whose wait a redraw is: a person who clicked ("interactive"), or nobody in particular (Home
 * opened: "background"), which goes after commands and clicks when the org's budget is short.
 */
interface Redraw {
  hash?: string | undefined;
  priority?: Priority;
}

/** Draws and publishes the person's Home. `hash`: the one Slack sent with app_home_opened. */
export async function refreshHome(
  bot: BotContext,
  client: WebClient,
  teamId: string,
  userId: string,
  opts: Redraw = {},
): Promise<void> {
  const who = { teamId, userId };
  const hash = opts.hash ?? bot.home.hash(teamId, userId);
  const priority = opts.priority ?? "interactive";
  const first = await publish(bot, client, who, await homeView(bot, who, priority), hash);
  if (first !== "hash_conflict") return;
  // Someone else (another instance, another click) published meanwhile: read again, and the
  // fresher view wins.
  await publish(bot, client, who, await homeView(bot, who, priority), undefined);
}

/** For any button listener: after a click in Home, Home is redrawn. */
export async function refreshIfHome(
  bot: BotContext,
  client: WebClient,
  body: { view?: { type?: string } | undefined; user: { id: string } },
  teamId: string,
): Promise<void> {
  if (body.view?.type !== "home") return;
  await refreshHome(bot, client, teamId, body.user.id);
}

/** app_home_opened: refresh unless this person's Home was refreshed on opening in the last 10 s. */
export async function homeOpened(
  bot: BotContext,
  client: WebClient,
  who: Who,
  hash: string | undefined,
): Promise<void> {
  if (!bot.home.takeOpening(who.teamId, who.userId)) return;
  await refreshHome(bot, client, who.teamId, who.userId, { hash, priority: "background" });
}

async function publish(
  bot: BotContext,
  client: WebClient,
  who: Who,
  view: ReturnType<typeof renderHome>,
  hash: string | undefined,
): Promise<"ok" | "hash_conflict" | "failed"> {
  try {
    const res = await client.views.publish({
      user_id: who.userId,
      view,
      ...(hash ? { hash } : {}),
    });
    bot.home.published(who.teamId, who.userId, res.view?.hash);
    return "ok";
  } catch (error) {
    const code = slackErrorCode(error);
    if (code === "hash_conflict") return "hash_conflict";
    bot.logger.warn("views.publish failed", { code, userId: who.userId });
    return "failed";
  }
}

/**
 * Home for this person; a failure to draw it at all gives the fallback view, never nothing
 * (unless a shutdown let the work go: then nothing is published).
 */
async function homeView(bot: BotContext, who: Who, priority: Priority) {
  try {
    return renderHome(await homeData(bot, who, priority));
  } catch (error) {
    if (error instanceof WorkStopped) throw error;
    bot.logger.error("drawing Home failed", { userId: who.userId, error });
    return homeFallback(bot.now());
  }
}

async function homeData(bot: BotContext, who: Who, priority: Priority): Promise<HomeData> {
  const [state, actor] = await Promise.all([
    whoamiState(bot, who.teamId, who.userId),
    resolveActor(bot, who.teamId, who.userId),
  ]);
  const now = bot.now();
  const base = { who: renderWhoami(state).blocks, now, tasksTitle: "Your tasks" };
  if (actor.kind === "not_connected") {
    return { ...base, connected: false, links: taskLinks(bot, "") };
  }
  const [tasks, runs] = await Promise.all([
    loaded(bot, who, actor, "home tasks", () => myTasks(bot, actor, priority)),
    loaded(bot, who, actor, "home processes", () => myRuns(bot, actor, who.userId, priority)),
  ]);
  return {
    ...base,
    tasksTitle: actor.kind === "shared" ? "Tasks of the workspace account" : "Your tasks",
    connected: true,
    tasks,
    runs,
    links: taskLinks(bot, actor.api.orgId),
  };
}

/** A section's data, or the sentence to show in its place (a 401 still marks the token). */
async function loaded<T>(
  bot: BotContext,
  who: Who,
  actor: Actor,
  what: string,
  read: () => Promise<{ items: T[]; more: boolean }>,
): Promise<Loaded<T>> {
  try {
    return { ok: true, ...(await read()) };
  } catch (error) {
    if (error instanceof WorkStopped) throw error;
    const msg = await describeFailure(bot, error, { ...who, actor, what });
    return { ok: false, problem: truncate(msg.text, 500) };
  }
}

async function myTasks(
  bot: BotContext,
  actor: Actor,
  priority: Priority,
): Promise<{ items: Task[]; more: boolean }> {
  const mine = await actor.api.tasks.mine({}, { policy: bot.policies.background, priority });
  return { items: mine.tasks, more: mine.truncated };
}

/** Active processes the person owns (Tallyfy's owners filter) or started (among the newest). */
async function myRuns(
  bot: BotContext,
  actor: Actor,
  slackUserId: string,
  priority: Priority,
): Promise<{ items: Run[]; more: boolean }> {
  const me =
    actor.kind === "user" && actor.connection.tallyfyUserId != null
      ? actor.connection.tallyfyUserId
      : (await bot.identity.tallyfyUserFor(actor.api, slackUserId))?.id;
  if (me == null) return { items: [], more: false };
  const opts = { policy: bot.policies.background, priority };
  const [owned, recent] = await Promise.all([
    actor.api.runs.list({ owners: [me], perPage: 50, sort: "-created_at" }, opts),
    actor.api.runs.list({ perPage: RECENT_RUNS, sort: "-created_at" }, opts),
  ]);
  const byId = new Map<string, Run>();
  for (const run of [...owned.items, ...recent.items]) {
    if (isFinished(run.status)) continue;
    if (run.owner_id === me || run.started_by === me) byId.set(run.id, run);
  }
  const items = [...byId.values()].sort((a, b) =>
    (b.created_at ?? "").localeCompare(a.created_at ?? ""),
  );
  return { items, more: owned.pagination.hasNext };
}
