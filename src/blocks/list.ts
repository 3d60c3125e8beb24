/** One page of `/tallyfy list`: a row per process with a View button, and paging buttons. */
import type { ActionsBlock, Button, KnownBlock, SectionBlock } from "@slack/types";
import type { Page, Run } from "../tallyfy/schemas.ts";
import { isPast, slackDate } from "./dates.ts";
import {
  isFinished,
  label,
  mrkdwn,
  progressBar,
  progressLabel,
  safeLine,
  statusText,
} from "./format.ts";
import { ACTION, encodeListState, type ListState } from "./ids.ts";
import { mrkdwnLink } from "./links.ts";

export interface ListContext {
  state: ListState;
  runUrl: (id: string) => string;
  now?: Date | undefined;
}

/** Rows beyond this are dropped so the message stays well under 50 blocks. */
export const LIST_MAX_ROWS = 20;
const SECTION_MAX = 3000;
/**
 * Slack refuses a message whose blocks hold more than about 12,000 characters of text in all
 * (msg_blocks_too_long). Rows stop at this budget, which leaves room for the title and notes.
 */
const ROWS_TEXT_BUDGET = 10_000;

const STATUS_TITLES: Record<string, string> = {
  active: "Active processes",
  problem: "Processes with problems",
  delayed: "Delayed processes",
  complete: "Completed processes",
  archived: "Archived processes",
};

/** "Your active processes matching “foo”", escaped; mrkdwn-safe. */
export function listTitle(state: ListState): string {
  const status = state.status?.toLowerCase();
  let title = status
    ? (STATUS_TITLES[status] ?? `Processes (${safeLine(state.status, 40)})`)
    : "Processes";
  if (state.mine) title = `Your ${title.charAt(0).toLowerCase()}${title.slice(1)}`;
  const q = state.q?.trim();
  if (q) title += ` matching “${safeLine(q, 100)}”`;
  return title;
}

export function renderRunList(
  page: Page<Run>,
  ctx: ListContext,
): { text: string; blocks: KnownBlock[] } {
  const now = ctx.now ?? new Date();
  const { pagination } = page;
  const current = Math.max(1, pagination.currentPage || ctx.state.page);
  const totalPages = Math.max(current, pagination.totalPages);
  const title = listTitle(ctx.state);
  const rows = fitRows(page.items.slice(0, LIST_MAX_ROWS), ctx, now);
  const unreadable = unreadableNote(page.skipped?.length ?? 0);

  if (rows.length === 0) {
    const empty = emptyList(title, ctx.state, current);
    if (!unreadable) return empty;
    const note: KnownBlock = { type: "context", elements: [mrkdwn(`:warning: ${unreadable}`)] };
    return { text: `${empty.text} · ${unreadable}`, blocks: [...empty.blocks, note] };
  }

  const perPage = pagination.perPage > 0 ? pagination.perPage : page.items.length;
  const from = (current - 1) * perPage + 1;
  const to = from + rows.length - 1;
  const total = Math.max(pagination.total, to);
  const range = `${from}–${to} of ${total}`;

  const blocks: KnownBlock[] = [
    { type: "section", text: mrkdwn(`*${title}* · ${range}`) },
    { type: "divider" },
  ];
  rows.forEach((row, i) => {
    if (i > 0) blocks.push({ type: "divider" });
    blocks.push(row);
  });
  blocks.push({ type: "divider" });

  const notes: string[] = [];
  if (totalPages > 1) notes.push(`Page ${current} of ${totalPages}`);
  if (page.items.length > rows.length) notes.push(`showing the first ${rows.length} on this page`);
  if (unreadable) notes.push(`:warning: ${unreadable}`);
  notes.push("View posts a process card to this channel");
  blocks.push({ type: "context", elements: [mrkdwn(notes.join(" · "))] });

  const paging = pagingActions(ctx.state, current, current < totalPages || pagination.hasNext);
  if (paging) blocks.push(paging);
  return { text: `${title} · ${range}`, blocks };
}

/** The rows that fit ROWS_TEXT_BUDGET, in order; always at least the first. */
function fitRows(runs: Run[], ctx: ListContext, now: Date): SectionBlock[] {
  const rows: SectionBlock[] = [];
  let used = 0;
  for (const run of runs) {
    const row = runRow(run, ctx.runUrl(run.id), now);
    used += (row.text?.text.length ?? 0) + "View".length;
    if (used > ROWS_TEXT_BUDGET && rows.length > 0) break;
    rows.push(row);
  }
  return rows;
}

/** Rows Tallyfy sent in a shape that couldn't be read; the log has the details. */
function unreadableNote(count: number): string | undefined {
  if (count === 0) return undefined;
  return count === 1
    ? "1 process couldn't be shown: Tallyfy sent it in a form I couldn't read"
    : `${count} processes couldn't be shown: Tallyfy sent them in a form I couldn't read`;
}

function runRow(run: Run, url: string, now: Date): SectionBlock {
  const name = safeLine(run.name, 200, "Untitled process");
  const template = safeLine(run.checklist_title, 150, "");
  const second = [template, statusText(run.status)].filter(Boolean).join(" · ");
  const third = [`${progressBar(run.progress.percent)} ${progressLabel(run.progress)}`];
  if (run.due_date) {
    const overdue =
      !isFinished(run.status) && (run.due_date_passed || isPast(run.due_date, now))
        ? " :warning: overdue"
        : "";
    third.push(`Due ${slackDate(run.due_date)}${overdue}`);
  }
  const view: Button = {
    type: "button",
    action_id: ACTION.view,
    text: label("View"),
    value: run.id.slice(0, 2000),
  };
  const rest = `\n${second}\n${third.join(" · ")}`;
  // A link can be up to 3000 characters itself; without room for it, the name goes unlinked.
  const linked = `*${mrkdwnLink(url, name)}*${rest}`;
  const text = linked.length <= SECTION_MAX ? linked : `*${name}*${rest}`;
  return { type: "section", text: mrkdwn(text), accessory: view };
}

/**
 * Previous and Next sit in one actions block, so they need different action ids
 * (Slack rejects duplicates within a block): ACTION.listPagePrev and ACTION.listPage.
 */
function pagingActions(
  state: ListState,
  current: number,
  hasNext: boolean,
): ActionsBlock | undefined {
  const elements: Button[] = [];
  const pageButton = (text: string, actionId: string, page: number) => {
    const value = encodeListState({ ...state, page });
    if (value.length <= 2000) {
      elements.push({ type: "button", action_id: actionId, text: label(text), value });
    }
  };
  if (current > 1) pageButton("← Previous", ACTION.listPagePrev, current - 1);
  if (hasNext) pageButton("Next →", ACTION.listPage, current + 1);
  return elements.length ? { type: "actions", elements } : undefined;
}

function emptyList(title: string, state: ListState, current: number) {
  if (current > 1) {
    const first: Button = {
      type: "button",
      action_id: ACTION.listPagePrev,
      text: label("← First page"),
      value: encodeListState({ ...state, page: 1 }),
    };
    const blocks: KnownBlock[] = [
      {
        type: "section",
        text: mrkdwn(
          `:mag: *${title}*\nThere's nothing on page ${current} now; the list has changed.`,
        ),
      },
      { type: "actions", elements: [first] },
    ];
    return { text: `${title}: nothing on page ${current}`, blocks };
  }
  const filtered = Boolean(state.status || state.q || state.mine);
  const what = filtered
    ? `Nothing matched *${title}*.`
    : "No processes to show. Start one with `/tallyfy launch`.";
  const tips: string[] = [];
  if (state.status?.toLowerCase() !== "archived") {
    tips.push("archived processes only show when you ask: `/tallyfy list archived`");
  }
  tips.push(
    state.q
      ? "try fewer or shorter words, e.g. `/tallyfy list active onboarding`"
      : "search by name, e.g. `/tallyfy list active onboarding`",
  );
  const tipText = `Tip: ${tips.join("; or ")}.`;
  const blocks: KnownBlock[] = [
    { type: "section", text: mrkdwn(`:mag: ${what}`) },
    { type: "context", elements: [mrkdwn(tipText)] },
  ];
  return { text: filtered ? `Nothing matched: ${title}` : "No processes to show", blocks };
}
