/** Problems with a submitted form, shown in the modal without losing anything typed. */
import type { ViewOutput } from "@slack/bolt";
import type { KnownBlock, ModalView } from "@slack/types";
import { FORM_NOTICE_BLOCK, noticeBlocks, type Tone } from "../blocks/modals/modal.ts";
import { mrkdwnText } from "../blocks/text.ts";
import type { BotContext } from "./context.ts";
import { describeFailure, type FailureContext } from "./reply.ts";

export interface Notice {
  tone: Tone;
  mrkdwn: string;
}

type Labelled = { block_id?: string; label?: { text?: string } };

/**
 * One notice listing every problem by its input's label: inline errors cannot be shown by a
 * views.update (only by the ack), so a late answer needs them spelled out.
 */
export function errorsNotice(errors: Record<string, string>, blocks: readonly unknown[]): Notice {
  const labels = new Map<string, string>();
  for (const b of blocks as Labelled[]) {
    if (b.block_id && b.label?.text) labels.set(b.block_id, b.label.text);
  }
  const lines = Object.entries(errors).map(
    ([block, msg]) =>
      `• *${mrkdwnText(labels.get(block) ?? "A field", 150)}*: ${mrkdwnText(msg, 400)}`,
  );
  return { tone: "error", mrkdwn: `Please fix:\n${lines.join("\n")}` };
}

/** The sentence for a failure (logged, auth problems handled) as a notice. */
export async function failureNotice(
  bot: BotContext,
  error: unknown,
  ctx: FailureContext,
): Promise<Notice> {
  const msg = await describeFailure(bot, error, ctx);
  const reconnect = /reconnect/i.test(msg.text) && !msg.text.includes("/tallyfy connect");
  return { tone: "error", mrkdwn: reconnect ? `${msg.text} Type \`/tallyfy connect\`.` : msg.text };
}

/**
 * The submitted view again with a notice on top: used when the form cannot be rebuilt (its
 * template could not be read). Slack keeps what was typed in inputs whose ids are unchanged.
 */
export function resubmittable(view: ViewOutput, notice: Notice): ModalView {
  const blocks = (view.blocks as KnownBlock[]).filter(
    (b) => !b.block_id?.startsWith(FORM_NOTICE_BLOCK),
  );
  const top = noticeBlocks(notice.tone, notice.mrkdwn, FORM_NOTICE_BLOCK).map((b, i) =>
    i === 0 ? b : { ...b, block_id: `${FORM_NOTICE_BLOCK}_${i}` },
  );
  return {
    type: "modal",
    title: { type: "plain_text", text: view.title.text },
    ...(view.submit ? { submit: { type: "plain_text", text: view.submit.text } } : {}),
    ...(view.close ? { close: { type: "plain_text", text: view.close.text } } : {}),
    callback_id: view.callback_id,
    private_metadata: view.private_metadata,
    blocks: [...top, ...blocks].slice(0, 100),
  };
}
