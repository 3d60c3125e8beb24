import type { RespondFn } from "@slack/bolt";
import type { Actor } from "../accounts/actor.ts";
import { renderConnectPrompt } from "../blocks/connect.ts";
import { renderNotice, tallyfyErrorText } from "../blocks/notices.ts";
import { CardPostError, cardPostFailureText } from "../slack-api/card-post-error.ts";
import { isTallyfyError, TallyfyAuthError } from "../tallyfy/errors.ts";
import type { Deps } from "./deps.ts";

export interface FailureContext {
  teamId: string;
  userId: string;
  actor?: Actor | undefined;
  runRef?: string | undefined;
  what: string;
}

const UNEXPECTED = "Something went wrong on my side, sorry. Please try again in a moment.";

/** The sentence a person sees for an error; logs what an operator needs. Never a stack trace. */
export async function describeFailure(deps: Deps, error: unknown, ctx: FailureContext) {
  const actorKind = error instanceof TallyfyAuthError ? await actorKindOf(deps, ctx) : undefined;
  if (error instanceof TallyfyAuthError && actorKind === "user") {
    // The person must hear to reconnect even if the store cannot record it right now.
    await deps.store.markInvalid(ctx.teamId, ctx.userId).catch((e: unknown) => {
      deps.logger.error("could not mark a rejected token invalid", { what: ctx.what, error: e });
    });
    deps.logger.warn("stored Tallyfy token rejected; marked invalid", {
      what: ctx.what,
      userId: ctx.userId,
    });
    return renderConnectPrompt({ invalid: true });
  }
  if (error instanceof TallyfyAuthError && actorKind === "shared") {
    deps.logger.error("workspace Tallyfy token rejected", { what: ctx.what });
    return renderNotice(
      "error",
      "Tallyfy rejected the workspace connection. Ask whoever runs this bot to renew TALLYFY_ACCESS_TOKEN, or use `/tallyfy connect` to act as yourself.",
    );
  }
  if (error instanceof CardPostError) {
    deps.logger.warn("could not post a card", { what: ctx.what, problem: error.problem });
    return renderNotice("warning", cardPostFailureText(error, ctx.what));
  }
  if (isTallyfyError(error)) {
    deps.logger.warn("Tallyfy call failed", {
      what: ctx.what,
      kind: error.kind,
      status: error.status,
      requestId: error.requestId,
      path: error.path,
      tallyfyMessage: error.tallyfyMessage,
    });
    return renderNotice("error", tallyfyErrorText(error, { runRef: ctx.runRef }));
  }
  deps.logger.error("unexpected failure", { what: ctx.what, error });
  return renderNotice("error", UNEXPECTED);
}

/**
 * Whose token Tallyfy rejected. Without the actor, a working stored connection means it was the
 * person's own (resolveActor always prefers it), so it still gets marked invalid.
 */
async function actorKindOf(deps: Deps, ctx: FailureContext): Promise<Actor["kind"] | undefined> {
  if (ctx.actor) return ctx.actor.kind;
  const own = await deps.store.get(ctx.teamId, ctx.userId).catch(() => undefined);
  if (own?.status === "ok") return "user";
  return deps.config.tallyfy.shared && deps.config.tallyfy.allowShared ? "shared" : undefined;
}

/** Reply privately to the person; never replaces the message they clicked on. */
export async function replyFailure(
  deps: Deps,
  respond: RespondFn,
  error: unknown,
  ctx: FailureContext,
) {
  const msg = await describeFailure(deps, error, ctx).catch((e: unknown) => {
    deps.logger.error("could not describe a failure", { what: ctx.what, error: e });
    return renderNotice("error", UNEXPECTED);
  });
  try {
    await respond({
      response_type: "ephemeral",
      replace_original: false,
      text: msg.text,
      blocks: msg.blocks as never,
    });
  } catch (e) {
    deps.logger.error("could not deliver an error reply", { what: ctx.what, error: e });
  }
}
