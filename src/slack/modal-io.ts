/** Opening and updating modals, for every flow that shows one. */
import { randomBytes } from "node:crypto";
import type { ModalView } from "@slack/types";
import { renderNotice } from "../blocks/notices.ts";
import type { Logger } from "../log.ts";
import type { Interaction } from "./interaction.ts";
import { reply } from "./reply.ts";
import { slackErrorCode } from "./slack-errors.ts";
import type { WebClient } from "./web-client.ts";

export interface OpenedView {
  id: string;
  hash: string;
}

/** A short random id, e.g. the submit nonce of a form render. */
export function newNonce(): string {
  return randomBytes(9).toString("base64url");
}

/**
 * views.open with the command's or click's trigger id. Trigger ids die after 3 s, so this is
 * the first Slack call a listener makes. Undefined (after telling the person) when it fails.
 */
export async function openModal(
  ctx: Pick<Interaction, "triggerId" | "client" | "respond">,
  view: ModalView,
  logger: Logger,
): Promise<OpenedView | undefined> {
  const explain = async (text: string) => {
    try {
      await reply(ctx, renderNotice("warning", text));
    } catch (error) {
      logger.warn("could not explain a failed views.open", { error: (error as Error).message });
    }
  };
  if (!ctx.triggerId) {
    await explain("I can only open that form from a slash command or a button.");
    return undefined;
  }
  try {
    const res = await ctx.client.views.open({ trigger_id: ctx.triggerId, view });
    return { id: res.view?.id ?? "", hash: res.view?.hash ?? "" };
  } catch (error) {
    const code = slackErrorCode(error);
    logger.warn("views.open failed", { code, error: (error as Error).message });
    await explain(
      code === "expired_trigger_id" || code === "invalid_trigger_id"
        ? "Slack took too long to open the form. Please try again."
        : `I couldn't open the form${code ? ` (${code})` : ""}. Please try again.`,
    );
    return undefined;
  }
}

/** Slack's answers meaning the person moved on: the view changed or was closed. */
const MOVED_ON: ReadonlySet<string> = new Set(["hash_conflict", "not_found"]);

/** Stands in for a view Slack refused, so the modal never stays on "Loading…" or "Saving…". */
export function refusedView(title: ModalView["title"], code: string | undefined): ModalView {
  const why = code ? ` (${code})` : "";
  return {
    type: "modal",
    title,
    close: { type: "plain_text", text: "Close" },
    blocks: renderNotice(
      "error",
      `Slack wouldn't show the next step${why}. Close this window and try again; if you were saving something, check Tallyfy first to see whether it went through.`,
    ).blocks,
  };
}

/**
 * views.update guarded by `hash` when given: a hash conflict means the person moved on (picked
 * another template, reloaded), so the stale update is dropped. When Slack refuses the view for
 * another reason, a short explanation replaces it (unless `explain` is false: the view shown
 * now is still a fine answer). Returns the new hash, undefined when `view` was not shown.
 */
export async function updateModal(
  client: WebClient,
  viewId: string,
  hash: string | undefined,
  view: ModalView,
  logger: Logger,
  { explain = true }: { explain?: boolean } = {},
): Promise<string | undefined> {
  const update = async (next: ModalView) => {
    const res = await client.views.update({
      view_id: viewId,
      ...(hash ? { hash } : {}),
      view: next,
    });
    return res.view?.hash ?? undefined;
  };
  try {
    return await update(view);
  } catch (error) {
    const code = slackErrorCode(error);
    const movedOn = code !== undefined && MOVED_ON.has(code);
    logger[movedOn ? "info" : "warn"]("views.update skipped", {
      viewId,
      code,
      error: (error as Error).message,
    });
    if (movedOn || !explain) return undefined;
    try {
      await update(refusedView(view.title, code));
    } catch (again) {
      logger.warn("views.update of the explanation failed", {
        viewId,
        code: slackErrorCode(again),
      });
    }
    return undefined;
  }
}

/**
 * Show `interim` if `work` takes longer than `afterMs`, then the work's view. Keeps the modal
 * from looking frozen while Tallyfy is slow, without a flash when it is fast.
 */
export async function updateWhenReady(
  client: WebClient,
  viewId: string,
  hash: string | undefined,
  interim: ModalView,
  work: Promise<ModalView>,
  logger: Logger,
  afterMs = 400,
): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const slow = new Promise<"slow">((resolve) => {
    timer = setTimeout(() => resolve("slow"), afterMs);
  });
  const first = await Promise.race([work, slow]);
  clearTimeout(timer);
  if (first !== "slow") {
    await updateModal(client, viewId, hash, first, logger);
    return;
  }
  // Without the interim view, the work's view still goes out on the original hash (a conflict
  // drops it, as it should).
  const next = await updateModal(client, viewId, hash, interim, logger, { explain: false });
  await updateModal(client, viewId, next ?? hash, await work, logger);
}
