/** Status cards on demand: `/tallyfy show|archive|activate`, the list's View, the card's buttons. */
import type { Actor } from "../../accounts/actor.ts";
import { actorOrPrompt } from "../../slack/actor-gate.ts";
import type { Click } from "../../slack/button.ts";
import type { BotContext } from "../../slack/context.ts";
import type { Interaction } from "../../slack/interaction.ts";
import { replyFailure } from "../../slack/reply.ts";
import { WorkStopped } from "../../slack/work-queue.ts";
import { buildCard, cardLocationOf, postCard, redrawOrReplace, warmNames } from "./cards.ts";
import { actAndRender, type RunActionKind } from "./run-actions.ts";

export const PACING_NOTE = "Tallyfy is pacing us; your card is on its way.";

/**
 * Posts the run's card to the channel (`what` names the action in logs and failures). When
 * Tallyfy's rate limit holds the read back (the client's notice time, 5 s), the person first
 * sees a short private note, deleted as the card (or a failure) is sent. It goes before, not
 * after: the card or failure may itself come through the response_url, and `delete_original`
 * deletes the latest message sent that way.
 */
export async function showCard(
  bot: BotContext,
  i: Interaction,
  actor: Actor,
  runId: string,
  what = "show",
): Promise<void> {
  let note: Promise<boolean> | undefined;
  const onPaced = () => {
    note ??= i
      .respond({ response_type: "ephemeral", text: PACING_NOTE })
      .then(() => true)
      .catch((error: unknown) => {
        bot.logger.warn("could not send the pacing note", { what, error });
        return false;
      });
  };
  const dropNote = async () => {
    const sent = note;
    note = Promise.resolve(false);
    if (!sent || !(await sent)) return;
    await i.respond({ delete_original: true }).catch((error: unknown) => {
      bot.logger.warn("could not delete the pacing note", { what, error });
    });
  };
  try {
    warmNames(bot, actor.api);
    const run = await actor.api.runs.get(runId, { policy: bot.policies.background, onPaced });
    const card = await buildCard(bot, actor.api, run);
    await dropNote();
    await postCard(bot.cardChat, i.channelId, card, {
      fallback: i.respond,
      by: { teamId: i.teamId, userId: i.userId },
    });
  } catch (error) {
    // Let go by a shutdown: its note to run it again came through the same response_url, and
    // deleting the pacing note now could delete that one instead.
    if (error instanceof WorkStopped) return;
    await dropNote();
    await replyFailure(bot, i.respond, error, { ...i, actor, runRef: runId, what });
  }
}

/** `/tallyfy archive|activate`: acts, then posts the card with what happened. */
export async function actAndPost(
  bot: BotContext,
  i: Interaction,
  actor: Actor,
  kind: RunActionKind,
  runId: string,
): Promise<void> {
  try {
    const card = await actAndRender(bot, actor.api, kind, runId, i.userId);
    await postCard(bot.cardChat, i.channelId, card, {
      fallback: i.respond,
      by: { teamId: i.teamId, userId: i.userId },
    });
  } catch (error) {
    await replyFailure(bot, i.respond, error, { ...i, actor, runRef: runId, what: kind });
  }
}

/** A card's Archive, Activate or Refresh: acts as the person who clicks, redraws in place. */
export async function actOnCard(bot: BotContext, click: Click, kind: RunActionKind) {
  const i = click.interaction;
  const runId = click.value;
  const actor = await actorOrPrompt(bot, i);
  if (!actor) return;
  try {
    const card = await actAndRender(bot, actor.api, kind, runId, i.userId);
    const where = cardLocationOf(click.body, i.respond);
    await redrawOrReplace(bot, bot.cardChat, where, card, i.respond);
  } catch (error) {
    await replyFailure(bot, i.respond, error, { ...i, actor, runRef: runId, what: kind });
  }
}

/** The list's View button: the row's card, posted to the channel. */
export async function viewFromList(bot: BotContext, click: Click): Promise<void> {
  const actor = await actorOrPrompt(bot, click.interaction);
  if (actor) await showCard(bot, click.interaction, actor, click.value, "view");
}
