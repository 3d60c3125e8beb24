import type { RespondFn } from "@slack/bolt";
import type { Actor } from "../accounts/actor.ts";
import { renderConnectPrompt } from "../blocks/connect.ts";
import { renderNotice, tallyfyErrorText } from "../blocks/notices.ts";
import { isTallyfyError, TallyfyAuthError } from "../tallyfy/errors.ts";
import type { BotContext } from "./context.ts";

/** What the renderers in src/blocks produce for a message. */
export interface Message {
  text: string;
  blocks: readonly unknown[];
}

/**
 * A private answer to the person (ephemeral). `replace`: in place of the message they clicked
 * (paging a list); otherwise a new message below it.
 */
export async function reply(
  to: { respond: RespondFn },
  msg: Message,
  { replace = false }: { replace?: boolean } = {},
): Promise<void> {
  await to.respond({
    response_type: "ephemeral",
    replace_original: replace,
    text: msg.text,
    blocks: msg.blocks as never,
  });
}

export interface FailureContext {
  teamId: string;
  userId: string;
  actor?: Actor | undefined;
  runRef?: string | undefined;
  what: string;
}

const UNEXPECTED = "Something went wrong on my side, sorry. Please try again in a moment.";

/** The sentence a person sees for an error; logs what an operator needs. Never a stack trace. */
export async function describeFailure(bot: BotContext, error: unknown, ctx: FailureContext) {
  const actorKind = error instanceof TallyfyAuthError ? await actorKindOf(bot, ctx) : undefined;
  if (error instanceof TallyfyAuthError && actorKind === "user") {
    // The person must hear to reconnect even if the store cannot record it right now.
    await bot.store.markInvalid(ctx.teamId, ctx.userId).catch((e: unknown) => {
      bot.logger.error("could not mark a rejected token invalid", { what: ctx.what, error: e });
    });
    bot.logger.warn("stored Tallyfy token rejected; marked invalid", {
      what: ctx.what,
      userId: ctx.userId,
    });
    return renderConnectPrompt({ invalid: true });
  }
  if (error instanceof TallyfyAuthError && actorKind === "shared") {
    bot.logger.error("workspace Tallyfy token rejected", { what: ctx.what });
    return renderNotice(
      "error",
      "Tallyfy rejected the workspace connection. Ask whoever runs this bot to renew TALLYFY_ACCESS_TOKEN, or use `/tallyfy connect` to act as yourself.",
    );
  }
  if (isTallyfyError(error)) {
    bot.logger.warn("Tallyfy call failed", {
      what: ctx.what,
      kind: error.kind,
      status: error.status,
      requestId: error.requestId,
      path: error.path,
      tallyfyMessage: error.tallyfyMessage,
    });
    return renderNotice("error", tallyfyErrorText(error, { runRef: ctx.runRef }));
  }
  bot.logger.error("unexpected failure", { what: ctx.what, error });
  return renderNotice("error", UNEXPECTED);
}

/**
 * Whose token Tallyfy rejected. Without the actor, a working stored connection means it was the
 * person's own (resolveActor always prefers it), so it still gets marked invalid.
 */
async function actorKindOf(
  bot: BotContext,
  ctx: FailureContext,
): Promise<Actor["kind"] | undefined> {
  if (ctx.actor) return ctx.actor.kind;
  const own = await bot.store.get(ctx.teamId, ctx.userId).catch(() => undefined);
  if (own?.status === "ok") return "user";
  return bot.config.tallyfy.shared && bot.config.tallyfy.allowShared ? "shared" : undefined;
}

/** Reply privately to the person; never replaces the message they clicked on. */
export async function replyFailure(
  bot: BotContext,
  respond: RespondFn,
  error: unknown,
  ctx: FailureContext,
) {
  const msg = await describeFailure(bot, error, ctx).catch((e: unknown) => {
    bot.logger.error("could not describe a failure", { what: ctx.what, error: e });
    return renderNotice("error", UNEXPECTED);
  });
  try {
    await reply({ respond }, msg);
  } catch (e) {
    bot.logger.error("could not deliver an error reply", { what: ctx.what, error: e });
  }
}
