import type { RespondFn } from "@slack/bolt";
import type { Actor } from "../accounts/actor.ts";
import { renderConnectPrompt } from "../blocks/connect.ts";
import { renderNotice, tallyfyErrorText } from "../blocks/notices.ts";
import { CardPostError, cardPostFailureText } from "../slack-api/card-post-error.ts";
import { tokenFingerprint } from "../tallyfy/cache.ts";
import { isTallyfyError, TallyfyAuthError } from "../tallyfy/errors.ts";
import type { BotContext } from "./context.ts";
import { WorkStopped } from "./work-queue.ts";

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
const REPLACED =
  "Tallyfy rejected the access token this used, which has since been replaced. Please try again.";

/** The sentence a person sees for an error; logs what an operator needs. Never a stack trace. */
export async function describeFailure(bot: BotContext, error: unknown, ctx: FailureContext) {
  const rejected =
    error instanceof TallyfyAuthError ? await whoseToken(bot, error, ctx) : undefined;
  if (rejected?.kind === "user") {
    // Only while the connection still holds that token: a late 401 must not undo a reconnect.
    // The person must hear to reconnect even if the store cannot record it right now.
    const marked = await bot.store
      .markInvalid(ctx.teamId, ctx.userId, rejected.token)
      .catch((e: unknown) => {
        bot.logger.error("could not mark a rejected token invalid", { what: ctx.what, error: e });
        return true;
      });
    if (marked) {
      bot.logger.warn("stored Tallyfy token rejected; marked invalid", {
        what: ctx.what,
        userId: ctx.userId,
      });
      return renderConnectPrompt({ invalid: true });
    }
  }
  if (rejected?.kind === "user" || rejected?.kind === "replaced") {
    bot.logger.info("a replaced Tallyfy token was rejected; the connection is unchanged", {
      what: ctx.what,
      userId: ctx.userId,
    });
    return renderNotice("error", REPLACED);
  }
  if (rejected?.kind === "shared") {
    bot.logger.error("workspace Tallyfy token rejected", { what: ctx.what });
    return renderNotice(
      "error",
      "Tallyfy rejected the workspace connection. Ask whoever runs this bot to renew TALLYFY_ACCESS_TOKEN, or use `/tallyfy connect` to act as yourself.",
    );
  }
  if (error instanceof CardPostError) {
    bot.logger.warn("could not post a card", { what: ctx.what, problem: error.problem });
    return renderNotice("warning", cardPostFailureText(error, ctx.what));
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

type Rejected = { kind: "user"; token: string } | { kind: "shared" } | { kind: "replaced" };

/**
 * Whose token Tallyfy rejected. Without the actor, the error's token fingerprint tells the
 * person's current token from the workspace one and from a personal token since replaced.
 */
async function whoseToken(
  bot: BotContext,
  error: TallyfyAuthError,
  ctx: FailureContext,
): Promise<Rejected | undefined> {
  if (ctx.actor?.kind === "user") return { kind: "user", token: ctx.actor.connection.token };
  if (ctx.actor) return { kind: "shared" };
  const seen = error.tokenFingerprint;
  const used = (token: string) => seen === undefined || tokenFingerprint(token) === seen;
  const own = await bot.store.get(ctx.teamId, ctx.userId).catch(() => undefined);
  // Without a fingerprint, a working stored connection is the one used (resolveActor prefers it).
  if (own && (seen === undefined ? own.status === "ok" : used(own.token))) {
    return { kind: "user", token: own.token };
  }
  const shared = bot.config.tallyfy.allowShared ? bot.config.tallyfy.shared : undefined;
  if (shared && used(shared.token)) return { kind: "shared" };
  return own ? { kind: "replaced" } : undefined;
}

/**
 * Reply privately to the person; never replaces the message they clicked on. Says nothing for
 * work a shutdown let go (WorkStopped): the work queue has told the person already.
 */
export async function replyFailure(
  bot: BotContext,
  respond: RespondFn,
  error: unknown,
  ctx: FailureContext,
) {
  if (error instanceof WorkStopped) return;
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
