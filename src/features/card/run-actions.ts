import { parseInstant } from "../../blocks/dates.ts";
import type { BotContext } from "../../slack/context.ts";
import type { CallPolicy, TallyfyApi } from "../../tallyfy/api.ts";
import { TallyfyError } from "../../tallyfy/errors.ts";
import type { Run } from "../../tallyfy/schemas.ts";
import { actionLine, buildCard, type RenderedMessage } from "./cards.ts";

export type RunActionKind = "archive" | "activate" | "refresh";

export interface RunActionResult {
  run: Run;
  /** Past-tense verb for the context line when something changed. */
  verb?: string;
  /** When it changed, as Tallyfy recorded it (the context line's date). */
  at?: string | null;
  /** Why nothing changed, when the run was already in the asked-for state. */
  notice?: string;
}

export interface RunActionOptions {
  policy: CallPolicy;
}

const ALREADY_ARCHIVED = "This process was already archived.";

function isStateRefusal(error: unknown): boolean {
  return (
    error instanceof TallyfyError && (error.kind === "bad_request" || error.kind === "conflict")
  );
}

/** Tallyfy stamps its own archive within this long of answering; an older stamp was not ours. */
const OUR_ARCHIVE_WITHIN_MS = 10_000;

/**
 * Archive, activate or refresh in one request each, deciding what happened from Tallyfy's
 * answers alone (never from the bot's clock). A DELETE of a run that is already archived
 * answers 200 with the run as it was, so archive compares the run's `archived_at` with Tallyfy's
 * own clock on the answer (its Date header): a stamp older than that is someone else's earlier
 * archive, and the card says "already archived" rather than "Archived by" the clicker.
 * Activate needs no read either: Tallyfy refuses (400) a run that is not archived.
 */
export async function performRunAction(
  api: TallyfyApi,
  kind: RunActionKind,
  runId: string,
  { policy }: RunActionOptions,
): Promise<RunActionResult> {
  const opts = { policy };
  if (kind === "refresh") return { run: await api.runs.get(runId, opts), verb: "Refreshed" };

  if (kind === "archive") {
    let answeredAt: number | undefined;
    try {
      const run = await api.runs.archive(runId, {
        ...opts,
        onAnswerDate: (at) => {
          answeredAt = at;
        },
      });
      const stamped = run.archived_at ? Date.parse(run.archived_at) : Number.NaN;
      if (answeredAt !== undefined && stamped < answeredAt - OUR_ARCHIVE_WITHIN_MS) {
        return { run, notice: ALREADY_ARCHIVED };
      }
      return { run, verb: "Archived", at: run.archived_at };
    } catch (error) {
      if (!isStateRefusal(error)) throw error;
      const run = await api.runs.get(runId, opts);
      if (run.status !== "archived") throw error;
      return { run, notice: ALREADY_ARCHIVED };
    }
  }

  try {
    const run = await api.runs.activate(runId, opts);
    return { run, verb: "Activated", at: run.last_updated };
  } catch (error) {
    if (!isStateRefusal(error)) throw error;
    const run = await api.runs.get(runId, opts);
    if (run.status === "archived") throw error;
    return { run, notice: "This process isn't archived, so there was nothing to activate." };
  }
}

/** Act on a run as `userId` and render its card with what happened ("Archived by @user"). */
export async function actAndRender(
  bot: BotContext,
  api: TallyfyApi,
  kind: RunActionKind,
  runId: string,
  userId: string,
): Promise<RenderedMessage> {
  // A shutdown that has told the person "nothing was changed" stops the write in the Tallyfy
  // client itself (work-scope.ts), whatever the flow.
  const result = await performRunAction(api, kind, runId, { policy: bot.policies.background });
  const at = parseInstant(result.at) ?? bot.now();
  return buildCard(bot, api, result.run, {
    lastAction: result.verb ? { text: actionLine(result.verb, userId, at) } : undefined,
    notice: result.notice,
  });
}
