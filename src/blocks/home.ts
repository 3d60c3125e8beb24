/**
 * The app's Home tab: who you are in Tallyfy, your first 10 open tasks (overdue first) with
 * their buttons, the first 10 active processes you own or started, a Launch button and the
 * commands. Pure; under Home's 100 blocks for any data (about 45 at most).
 */
import type { HomeView, KnownBlock } from "@slack/types";
import type { Run } from "../tallyfy/schemas.ts";
import type { Task } from "../tallyfy/task-schemas.ts";
import { isPast, slackDate } from "./dates.ts";
import { label, mrkdwn, progressBar, progressLabel, safeLine, statusBadge } from "./format.ts";
import { mrkdwnLink } from "./links.ts";
import { type TaskLinks, taskRowBlocks } from "./tasks/row.ts";
import { taskGrouper } from "./tasks/when.ts";

export const HOME_ACTION = {
  /** Opens the launch modal. */
  launch: "home_launch",
  /** Posts a process's card in the person's DM with the app; value = run id. */
  viewRun: "home_view_run",
  /** Redraws Home from Tallyfy. */
  refresh: "home_refresh",
} as const;

export const HOME_CALLBACK = "tallyfy_home";
export const HOME_TASKS_MAX = 10;
export const HOME_RUNS_MAX = 10;

/** A section of Home whose data could not be read: its sentence takes the section's place. */
export type Loaded<T> = { ok: true; items: T[]; more: boolean } | { ok: false; problem: string };

export interface HomeData {
  /** The "who you are" blocks (whoami's), already rendered. */
  who: readonly KnownBlock[];
  connected: boolean;
  /** Whose tasks are shown: "Your tasks" or the workspace account's. */
  tasksTitle: string;
  tasks?: Loaded<Task> | undefined;
  runs?: Loaded<Run> | undefined;
  links: TaskLinks;
  now: Date;
}

const COMMANDS =
  "`/tallyfy launch` · `/tallyfy tasks` · `/tallyfy list` · `/tallyfy show <link>` · `/tallyfy whoami` · `/tallyfy help`";

export function renderHome(d: HomeData): HomeView {
  const blocks: KnownBlock[] = [
    { type: "header", text: label("Tallyfy") },
    ...d.who.slice(0, 4),
    {
      type: "actions",
      elements: [
        {
          type: "button",
          action_id: HOME_ACTION.launch,
          style: "primary",
          text: label("Launch a process"),
          value: "launch",
        },
        { type: "button", action_id: HOME_ACTION.refresh, text: label("Refresh"), value: "home" },
      ],
    },
    { type: "context", elements: [mrkdwn(COMMANDS)] },
  ];
  if (!d.connected) {
    blocks.push(
      { type: "divider" },
      {
        type: "section",
        text: mrkdwn("Your Tallyfy tasks and processes show here once you are connected."),
      },
    );
  } else {
    blocks.push({ type: "divider" }, ...taskBlocks(d));
    blocks.push({ type: "divider" }, ...runBlocks(d));
  }
  blocks.push({
    type: "context",
    elements: [mrkdwn(`Updated ${slackDate(d.now.toISOString())}`)],
  });
  return { type: "home", callback_id: HOME_CALLBACK, blocks };
}

function heading(text: string, count?: string): KnownBlock {
  return { type: "section", text: mrkdwn(`*${text}*${count ? ` · ${count}` : ""}`) };
}

function taskBlocks(d: HomeData): KnownBlock[] {
  const loaded = d.tasks;
  if (!loaded) return [];
  if (!loaded.ok) return [heading(d.tasksTitle), note(loaded.problem)];
  const groupOf = taskGrouper(d.now);
  const rank = { overdue: 0, today: 1, upcoming: 2 } as const;
  const open = loaded.items
    .filter((t) => !t.isCompleted)
    .sort((a, b) => rank[groupOf(a)] - rank[groupOf(b)] || byDeadline(a, b));
  if (open.length === 0) return [heading(d.tasksTitle), note("Nothing on your plate. :palm_tree:")];
  const overdue = open.filter((t) => groupOf(t) === "overdue").length;
  const count = `${open.length}${loaded.more ? "+" : ""} open${overdue ? `, ${overdue} overdue` : ""}`;
  const out: KnownBlock[] = [heading(d.tasksTitle, count)];
  for (const task of open.slice(0, HOME_TASKS_MAX))
    out.push(...taskRowBlocks(task, d.links, d.now));
  if (open.length > HOME_TASKS_MAX || loaded.more) {
    out.push(note("More tasks: `/tallyfy tasks` lists them all."));
  }
  return out;
}

function byDeadline(a: Task, b: Task): number {
  const x = a.deadline ? Date.parse(a.deadline) : Number.POSITIVE_INFINITY;
  const y = b.deadline ? Date.parse(b.deadline) : Number.POSITIVE_INFINITY;
  return (Number.isNaN(x) ? Infinity : x) - (Number.isNaN(y) ? Infinity : y);
}

function runBlocks(d: HomeData): KnownBlock[] {
  const title = "Your processes";
  const loaded = d.runs;
  if (!loaded) return [];
  if (!loaded.ok) return [heading(title), note(loaded.problem)];
  if (loaded.items.length === 0) {
    return [heading(title), note("No active processes you own or started.")];
  }
  const shown = loaded.items.slice(0, HOME_RUNS_MAX);
  const out: KnownBlock[] = [heading(title, `${shown.length} active you own or started`)];
  for (const run of shown) out.push(runRow(run, d));
  if (loaded.items.length > HOME_RUNS_MAX || loaded.more) {
    out.push(note("More processes: `/tallyfy list mine` lists them all."));
  }
  return out;
}

function runRow(run: Run, d: HomeData): KnownBlock {
  const name = safeLine(run.name, 200, "Untitled process");
  const badge = statusBadge(run.status);
  const due = run.due_date
    ? ` · due ${slackDate(run.due_date)}${isPast(run.due_date, d.now) ? " :warning:" : ""}`
    : "";
  const text = [
    `*${mrkdwnLink(d.links.runUrl(run.id), name)}*`,
    `${badge.emoji} ${badge.word} · ${progressBar(run.progress.percent)} ${progressLabel(run.progress)}${due}`,
  ].join("\n");
  return {
    type: "section",
    text: mrkdwn(text),
    accessory: {
      type: "button",
      action_id: HOME_ACTION.viewRun,
      text: label("View"),
      value: run.id.slice(0, 2000),
    },
  };
}

function note(text: string): KnownBlock {
  return { type: "context", elements: [mrkdwn(text)] };
}

/** Shown when Home could not be drawn at all, so the tab never stays on Slack's placeholder. */
export function homeFallback(now: Date): HomeView {
  return {
    type: "home",
    callback_id: HOME_CALLBACK,
    blocks: [
      { type: "header", text: label("Tallyfy") },
      {
        type: "section",
        text: mrkdwn(
          ":warning: I couldn't load your Tallyfy tasks and processes just now. Press Refresh in a moment.",
        ),
      },
      {
        type: "actions",
        elements: [
          { type: "button", action_id: HOME_ACTION.refresh, text: label("Refresh"), value: "home" },
        ],
      },
      { type: "context", elements: [mrkdwn(`Tried ${slackDate(now.toISOString())}`)] },
    ],
  };
}
