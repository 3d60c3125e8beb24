/**
 * Redraws every recorded card of one run from one fresh read of it: status cards and unfurls
 * from the run, task cards from their task. A card whose data did not change is left alone;
 * a card Slack no longer has (`message_not_found`, `channel_not_found`) is forgotten.
 */
import { renderTaskCard } from "../../blocks/tasks/card.ts";
import { renderRunUnfurl } from "../../blocks/unfurl.ts";
import type { BotContext } from "../../slack/context.ts";
import type { CardRecord } from "../../store/live-state.ts";
import type { TallyfyApi } from "../../tallyfy/api.ts";
import { isTallyfyError } from "../../tallyfy/errors.ts";
import type { Run } from "../../tallyfy/schemas.ts";
import { buildCard, runLink } from "../card/cards.ts";
import type { Fanout, SlackMessage, UpdateResult } from "./fanout.ts";
import { fingerprint } from "./fingerprint.ts";

export interface RedrawOutcome {
  run: Run;
  updated: number;
  unchanged: number;
  forgotten: number;
}

/** Reads the run once (`GET /runs/{id}`) and redraws its cards; `force` redraws unchanged ones too. */
export async function refreshRun(
  bot: BotContext,
  fanout: Fanout,
  api: TallyfyApi,
  runId: string,
  opts: { force?: boolean } = {},
): Promise<RedrawOutcome> {
  const run = await api.runs.get(runId, { policy: bot.policies.background });
  const cards = await bot.live.cardsForRun(runId);
  const out: RedrawOutcome = { run, updated: 0, unchanged: 0, forgotten: 0 };
  let status: Promise<SlackMessage> | undefined;
  const statusCard = () => {
    status ??= buildCard(bot, api, run);
    return status;
  };
  const runPrint = fingerprint(run);
  await Promise.all(
    cards.map(async (card) => {
      try {
        const result = await redrawOne(bot, fanout, api, card, run, runPrint, statusCard, opts);
        if (result === "unchanged") out.unchanged++;
        else if (result === "gone") {
          await bot.live.forgetCard(card.teamId, card.channel, card.ts);
          out.forgotten++;
          bot.logger.info("forgot a card Slack no longer has", { runId, kind: card.kind });
        } else if (result === "updated") out.updated++;
      } catch (error) {
        bot.logger.warn("could not redraw a card", {
          runId,
          kind: card.kind,
          error: isTallyfyError(error) ? error.name : (error as Error).message,
        });
      }
    }),
  );
  return out;
}

async function redrawOne(
  bot: BotContext,
  fanout: Fanout,
  api: TallyfyApi,
  card: CardRecord,
  run: Run,
  runPrint: string,
  statusCard: () => Promise<SlackMessage>,
  opts: { force?: boolean },
): Promise<UpdateResult | "unchanged"> {
  if (card.kind === "task" && card.taskId) {
    const task = await api.tasks.get(card.taskId, {
      policy: bot.policies.background,
      with: ["run"],
    });
    const print = fingerprint(task);
    if (!opts.force && print === card.fingerprint) return "unchanged";
    const link = runLink(bot, api.orgId, run.id);
    const msg = renderTaskCard(task, { taskUrl: () => link, runUrl: () => link, now: bot.now() });
    return touched(bot, card, print, await fanout.update(card.teamId, card.channel, card.ts, msg));
  }
  if (!opts.force && runPrint === card.fingerprint) return "unchanged";
  if (card.kind === "unfurl" && card.url) {
    // The compact link card it was shown as, never the full status card.
    const unfurl = renderRunUnfurl(run, {
      runUrl: runLink(bot, api.orgId, run.id),
      now: bot.now(),
    });
    const msg = { text: "", blocks: unfurl.blocks };
    const result = await fanout.unfurl(card.teamId, card.channel, card.ts, card.url, msg);
    return touched(bot, card, runPrint, result);
  }
  const msg = await statusCard();
  return touched(bot, card, runPrint, await fanout.update(card.teamId, card.channel, card.ts, msg));
}

async function touched(
  bot: BotContext,
  card: CardRecord,
  print: string,
  result: UpdateResult,
): Promise<UpdateResult> {
  if (result === "updated") await bot.live.touchCard(card.teamId, card.channel, card.ts, print);
  return result;
}
