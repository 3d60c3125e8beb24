/**
 * The page's small "Tallyfy" panel: the open tasks of the sandbox's active processes, each with
 * a button that completes it as its assignee, as that person would in Tallyfy's web app. The
 * sandbox then sends its webhooks to the bot, so the cards in the channel update in place and
 * the next assignee gets a DM, live on the page. Absent when the playground talks to real Tallyfy.
 */
import type { Json } from "../sandbox/slack/fake-slack.ts";
import { isEmpty } from "../sandbox/tallyfy/prerun.ts";
import type { SandboxRun, SandboxTask, TallyfySandbox } from "../sandbox/tallyfy/server.ts";
import { openIssues } from "../sandbox/tallyfy/tasks.ts";
import type { Outcome } from "./actions.ts";
import { BadRequest } from "./state.ts";

/** How many processes the panel lists (most recently changed first), and tasks per process. */
const MAX_PROCESSES = 6;
const MAX_TASKS = 3;
const OPEN_RUN = new Set(["active", "problem", "delayed"]);

export interface PanelTask {
  id: string;
  title: string;
  /** "approval" tasks are approved; the rest completed. */
  type: string;
  /** Who the button acts as: the first assignee, a member of its first group, else an admin. */
  as: { id: number; name: string } | null;
  /** Why Tallyfy would refuse to complete it now, if it would. */
  blocked: string | null;
}

export interface PanelProcess {
  id: string;
  name: string;
  template: string;
  done: number;
  total: number;
  tasks: PanelTask[];
  /** Open tasks not listed. */
  moreTasks: number;
}

export interface TallyfyPanel {
  processes: PanelProcess[];
  /** Active processes not listed. */
  moreProcesses: number;
}

export interface PanelContext {
  sandbox?: TallyfySandbox | undefined;
}

/** What the panel shows; null when there is no sandbox (real Tallyfy). */
export function tallyfyPanel(c: PanelContext): TallyfyPanel | null {
  const sandbox = c.sandbox;
  if (!sandbox) return null;
  const runs = [...sandbox.state.runs.values()]
    .filter((r) => r.orgId === sandbox.orgId && OPEN_RUN.has(r.status))
    .filter((r) => r.tasks.some((t) => t.status !== "completed"))
    .sort((a, b) => b.last_updated.localeCompare(a.last_updated) || b.id.localeCompare(a.id));
  return {
    processes: runs.slice(0, MAX_PROCESSES).map((run) => processOf(sandbox, run)),
    moreProcesses: Math.max(0, runs.length - MAX_PROCESSES),
  };
}

/** "Complete as …" in the panel: the sandbox completes the task and fires its webhooks. */
export async function completeFromPanel(c: PanelContext, body: Json): Promise<Outcome> {
  const sandbox = c.sandbox;
  if (!sandbox) throw new BadRequest("the playground is not running the Tallyfy sandbox");
  const taskId = typeof body.taskId === "string" ? body.taskId : "";
  const found = openTask(sandbox, taskId);
  if (!found) throw new BadRequest(`no open task ${taskId} in an active process`);
  const panelTask = taskOf(sandbox, found.task);
  if (panelTask.blocked) return { ok: false, error: `Tallyfy refused: ${panelTask.blocked}.` };
  const userId = panelTask.as?.id;
  if (!sandbox.completeTask(taskId, userId))
    return { ok: false, error: "Tallyfy refused to complete this task." };
  return { ok: true };
}

function openTask(sandbox: TallyfySandbox, taskId: string): { task: SandboxTask } | undefined {
  for (const run of sandbox.state.runs.values()) {
    if (run.orgId !== sandbox.orgId || !OPEN_RUN.has(run.status)) continue;
    const task = run.tasks.find((t) => t.id === taskId && t.status !== "completed");
    if (task) return { task };
  }
  return undefined;
}

function processOf(sandbox: TallyfySandbox, run: SandboxRun): PanelProcess {
  const open = run.tasks
    .filter((t) => t.status !== "completed")
    .sort((a, b) => a.position - b.position);
  return {
    id: run.id,
    name: run.name,
    template: run.checklist_title,
    done: run.tasks.length - open.length,
    total: run.tasks.length,
    tasks: open.slice(0, MAX_TASKS).map((t) => taskOf(sandbox, t)),
    moreTasks: Math.max(0, open.length - MAX_TASKS),
  };
}

function taskOf(sandbox: TallyfySandbox, task: SandboxTask): PanelTask {
  const { state } = sandbox;
  const groupMember = state.groups.find((g) => task.groups?.includes(g.id))?.members[0];
  const asId = task.users[0] ?? groupMember;
  const user =
    state.users.find((u) => u.id === asId) ??
    state.users.find((u) => u.role === "admin" && u.orgIds.includes(sandbox.orgId));
  return {
    id: task.id,
    title: task.title,
    type: task.task_type ?? "task",
    as: user ? { id: user.id, name: user.first_name } : null,
    blocked: blockedBecause(task),
  };
}

function blockedBecause(task: SandboxTask): string | null {
  if (openIssues(task).length > 0) return "it has an open issue (resolve it from Slack)";
  const missing = (task.form_fields ?? []).some(
    (f) => f.required && isEmpty(task.taskdata?.[f.id]),
  );
  return missing ? "its required form fields are empty (fill them in from Slack)" : null;
}
