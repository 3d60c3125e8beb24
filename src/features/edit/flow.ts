/**
 * Editing a live process: the card's Update button and `/tallyfy edit <run>` open a modal at
 * once and fill it from the run; Reload re-reads it after a concurrent change. The form's
 * submission is in submit.ts.
 */
import type { ModalView } from "@slack/types";
import { resolveActor } from "../../accounts/actor.ts";
import { decodePrerun } from "../../blocks/kickoff/index.ts";
import {
  decodeEditMeta,
  EDIT_TITLE,
  type EditMeta,
  type EditOrigin,
  editFormView,
  editLoadingView,
  editMessageView,
} from "../../blocks/modals/edit-views.ts";
import { untrustedFormView } from "../../blocks/modals/modal.ts";
import { actorOrPrompt } from "../../slack/actor-gate.ts";
import type { BotContext } from "../../slack/context.ts";
import { failureNotice, type Notice } from "../../slack/form-errors.ts";
import type { Interaction } from "../../slack/interaction.ts";
import { newNonce, openModal, updateModal } from "../../slack/modal-io.ts";
import { slackIdsFor } from "../../slack/people-map.ts";
import { openedMetadata, viewSealer } from "../../slack/sealed-metadata.ts";
import type { CallPolicy, TallyfyApi } from "../../tallyfy/api.ts";
import { TallyfyNotFoundError } from "../../tallyfy/errors.ts";
import type { Template } from "../../tallyfy/schemas.ts";
import { type CardLocation, runLink } from "../card/cards.ts";
import { baselineOf } from "./baseline.ts";

function editOrigin(
  origin: CardLocation | undefined,
  responseUrl: string | undefined,
): EditOrigin | undefined {
  if (origin?.kind === "message") {
    return {
      kind: "message",
      channel: origin.channel,
      ts: origin.ts,
      ...(responseUrl ? { url: responseUrl } : {}),
    };
  }
  if (origin?.kind === "ephemeral" && responseUrl)
    return { kind: "response_url", url: responseUrl };
  return undefined;
}

/** `origin` is the card to redraw after a successful edit, when there is one. */
export async function openEdit(
  bot: BotContext,
  i: Interaction,
  runId: string,
  origin: CardLocation | undefined,
): Promise<void> {
  const replay = i.text ? { text: i.text, channelId: i.channelId } : undefined;
  const actor = await actorOrPrompt(bot, { ...i, replay });
  if (!actor) return;
  const meta: EditMeta = {
    runId,
    origin: editOrigin(origin, i.responseUrl),
    channelId: i.channelId || undefined,
  };
  const seal = viewSealer(bot, i.userId);
  const opened = await openModal(i, seal(editLoadingView(meta)), bot.logger);
  if (!opened) return;
  const view = await editFormFromTallyfy(bot, actor.api, meta).catch((error: unknown) =>
    failureView(bot, error, { teamId: i.teamId, userId: i.userId, runRef: runId }),
  );
  await updateModal(i.client, opened.id, opened.hash, seal(view), bot.logger);
}

/** The template's kick-off fields, or none when the run has no (readable) template. */
export async function templateOf(
  api: TallyfyApi,
  templateId: string | null | undefined,
  policy: CallPolicy,
) {
  if (!templateId) return { prerun: [] } satisfies Pick<Template, "prerun">;
  try {
    return await api.templates.get(templateId, { policy });
  } catch (error) {
    if (error instanceof TallyfyNotFoundError)
      return { prerun: [] } satisfies Pick<Template, "prerun">;
    throw error;
  }
}

/** The edit form as the run is now in Tallyfy. */
async function editFormFromTallyfy(
  bot: BotContext,
  api: TallyfyApi,
  meta: EditMeta,
  notice?: Notice,
): Promise<ModalView> {
  const policy = bot.policies.background;
  const run = await api.runs.get(meta.runId, { policy });
  const template = await templateOf(api, run.checklist_id, policy);
  const answers = decodePrerun(template.prerun, run.prerun);
  const people = Object.values(answers).flatMap((a) => (a.kind === "assignees" ? a.users : []));
  const slack = await slackIdsFor(
    bot,
    api,
    run.owner_id != null ? [run.owner_id, ...people] : people,
  );
  return editFormView({
    run,
    template,
    meta: {
      ...meta,
      runId: run.id,
      templateId: run.checklist_id ?? undefined,
      lastUpdated: run.last_updated ?? undefined,
      baseline: baselineOf(run, template.prerun),
      nonce: newNonce(),
    },
    values: {
      name: run.name,
      summary: run.summary ?? "",
      ownerSlackId: run.owner_id != null ? slack.get(run.owner_id) : undefined,
      tags: run.tags.map((t) => ({ id: t.id, title: t.title })),
      preventGuestComment: run.prevent_guest_comment,
    },
    answers,
    slackUserIdsFor: (ids) => ids.flatMap((id) => slack.get(id) ?? []),
    runUrl: runLink(bot, api.orgId, run.id),
    notice,
  });
}

async function failureView(
  bot: BotContext,
  error: unknown,
  ctx: { teamId: string; userId: string; runRef: string },
): Promise<ModalView> {
  const notice = await failureNotice(bot, error, { ...ctx, what: "edit" });
  return editMessageView("error", notice.mrkdwn);
}

/** Reload: re-read the run. Through a loading view, so Slack drops the stale typed values. */
export async function reload(
  bot: BotContext,
  i: Interaction,
  view: { id: string; hash: string; private_metadata: string; callback_id: string } | undefined,
): Promise<void> {
  if (!view) return;
  const metadata = openedMetadata(bot, i.userId, view);
  const meta = metadata === undefined ? undefined : decodeEditMeta(metadata);
  const seal = viewSealer(bot, i.userId);
  if (!meta) {
    const refused = untrustedFormView(EDIT_TITLE);
    await updateModal(i.client, view.id, view.hash, refused, bot.logger);
    return;
  }
  const who = { teamId: i.teamId, userId: i.userId };
  const actor = await resolveActor(bot, who.teamId, who.userId);
  const next =
    actor.kind === "not_connected"
      ? Promise.resolve(
          editMessageView(
            "warning",
            "Connect your Tallyfy account first: type `/tallyfy connect`.",
          ),
        )
      : editFormFromTallyfy(bot, actor.api, meta).catch((error: unknown) =>
          failureView(bot, error, { ...who, runRef: meta.runId }),
        );
  const loading = editLoadingView(meta);
  const hash = await updateModal(i.client, view.id, view.hash, seal(loading), bot.logger, {
    explain: false,
  });
  await updateModal(i.client, view.id, hash ?? view.hash, seal(await next), bot.logger);
}
