import type { RespondFn } from "@slack/bolt";
import type { Actor } from "../accounts/actor.ts";
import { renderConnectPrompt } from "../blocks/connect.ts";
import { renderNotice, tallyfyErrorText } from "../blocks/notices.ts";
import { isTallyfyError, TallyfyAuthError } from "../tallyfy/errors.ts";
import type { Deps } from "./deps.ts";

export interface FailureContext {
  teamId: string;
  userId: string;
  actor?: Actor | undefined;
  runRef?: string | undefined;
  what: string;
}

/** The sentence a person sees for an error; logs what an operator needs. Never a stack trace. */
export async function describeFailure(deps: Deps, error: unknown, ctx: FailureContext) {
  if (error instanceof TallyfyAuthError && ctx.actor?.kind === "user") {
    await deps.store.markInvalid(ctx.teamId, ctx.userId);
    deps.logger.warn("stored Tallyfy token rejected; marked invalid", {
      what: ctx.what,
      userId: ctx.userId,
    });
    return renderConnectPrompt({ invalid: true });
  }
  if (error instanceof TallyfyAuthError && ctx.actor?.kind === "shared") {
    deps.logger.error("workspace Tallyfy token rejected", { what: ctx.what });
    return renderNotice(
      "error",
      "Tallyfy rejected the workspace connection. Ask whoever runs this bot to renew TALLYFY_ACCESS_TOKEN, or use `/tallyfy connect` to act as yourself.",
    );
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
  return renderNotice(
    "error",
    "Something went wrong on my side, sorry. Please try again in a moment.",
  );
}

/** Reply privately to the person; never replaces the message they clicked on. */
export async function replyFailure(
  deps: Deps,
  respond: RespondFn,
  error: unknown,
  ctx: FailureContext,
) {
  const msg = await describeFailure(deps, error, ctx);
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
