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
  /** Why nothing changed, when the run was already in the asked-for state. */
  notice?: string;
}

export interface RunActionOptions {
  policy: CallPolicy;
  /** Called just before the write is sent to Tallyfy; may throw to stop it being sent. */
  beforeWrite?: () => void;
}

const ALREADY_ARCHIVED_MS = 60_000;

function isStateRefusal(error: unknown): boolean {
  return (
    error instanceof TallyfyError && (error.kind === "bad_request" || error.kind === "conflict")
  );
}

/** One Tallyfy request per action on the happy path; a read only to explain a refusal. */
export async function performRunAction(
  api: TallyfyApi,
  kind: RunActionKind,
  runId: string,
  now: Date,
  { policy, beforeWrite = () => {} }: RunActionOptions,
): Promise<RunActionResult> {
  const opts = { policy };
  if (kind === "refresh") return { run: await api.runs.get(runId, opts), verb: "Refreshed" };

  if (kind === "archive") {
    beforeWrite();
    try {
      const run = await api.runs.archive(runId, opts);
      const archivedAt = run.archived_at ? Date.parse(run.archived_at) : Number.NaN;
      if (Number.isFinite(archivedAt) && now.getTime() - archivedAt > ALREADY_ARCHIVED_MS) {
        return { run, notice: "This process was already archived." };
      }
      return { run, verb: "Archived" };
    } catch (error) {
      if (!isStateRefusal(error)) throw error;
      const run = await api.runs.get(runId, opts);
      if (run.status !== "archived") throw error;
      return { run, notice: "This process was already archived." };
    }
  }

  beforeWrite();
  try {
    return { run: await api.runs.activate(runId, opts), verb: "Activated" };
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
  const result = await performRunAction(api, kind, runId, bot.now(), {
    policy: bot.policies.background,
    beforeWrite: () => bot.background.markWrite(),
  });
  return buildCard(bot, api, result.run, {
    lastAction: result.verb ? { text: actionLine(result.verb, userId, bot.now()) } : undefined,
    notice: result.notice,
  });
}
