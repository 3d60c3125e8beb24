/**
 * Editing a live process: the card's Update button and `/tallyfy edit <run>` open a modal at
 * once and fill it from the run; Reload re-reads it after a concurrent change.
 */
import type { App, BlockAction, ButtonAction, ViewSubmitAction } from "@slack/bolt";
import type { ModalView } from "@slack/types";
import { resolveActor } from "../accounts/actor.ts";
import { ACTION, VIEW } from "../blocks/ids.ts";
import { decodePrerun } from "../blocks/kickoff/index.ts";
import {
  decodeEditMeta,
  type EditMeta,
  type EditOrigin,
  editFormView,
  editLoadingView,
  editMessageView,
  editSavingView,
} from "../blocks/modals/edit-views.ts";
import { readRunForm } from "../blocks/modals/run-form.ts";
import { BACKGROUND, type TallyfyApi } from "../tallyfy/api.ts";
import { actorOrPrompt } from "./actor-gate.ts";
import type { CardLocation } from "./cards.ts";
import { runLink } from "./cards.ts";
import type { Deps } from "./deps.ts";
import { submitEdit, templateOf } from "./edit-submit.ts";
import type { Notice } from "./form-errors.ts";
import { failureNotice } from "./form-errors.ts";
import { newNonce, openModal, updateModal } from "./modal-io.ts";
import type { ModalOpeners } from "./modal-openers.ts";
import { answerSubmission } from "./modal-submit.ts";
import { slackIdsFor } from "./people-map.ts";
import type { WebClient } from "./web-client.ts";

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

export function createEditOpener(deps: Deps): ModalOpeners["edit"] {
  return async (ctx, runId, origin) => {
    const replay = ctx.text ? { text: ctx.text, channelId: ctx.channelId } : undefined;
    const actor = await actorOrPrompt(deps, { ...ctx, replay });
    if (!actor) return;
    const meta: EditMeta = {
      runId,
      origin: editOrigin(origin, ctx.responseUrl),
      channelId: ctx.channelId || undefined,
    };
    const opened = await openModal(ctx, editLoadingView(meta), deps.logger);
    if (!opened) return;
    const view = await editFormFromTallyfy(deps, actor.api, meta).catch((error: unknown) =>
      failureView(deps, error, { teamId: ctx.teamId, userId: ctx.userId, runRef: runId }),
    );
    await updateModal(ctx.client, opened.id, opened.hash, view, deps.logger);
  };
}

/** The edit form as the run is now in Tallyfy. */
export async function editFormFromTallyfy(
  deps: Deps,
  api: TallyfyApi,
  meta: EditMeta,
  notice?: Notice,
): Promise<ModalView> {
  const run = await api.runs.get(meta.runId, { policy: BACKGROUND });
  const template = await templateOf(api, run.checklist_id);
  const answers = decodePrerun(template.prerun, run.prerun);
  const people = Object.values(answers).flatMap((a) => (a.kind === "assignees" ? a.users : []));
  const slack = await slackIdsFor(
    deps,
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
    runUrl: runLink(deps, api.orgId, run.id),
    notice,
  });
}

async function failureView(
  deps: Deps,
  error: unknown,
  ctx: { teamId: string; userId: string; runRef: string },
): Promise<ModalView> {
  const notice = await failureNotice(deps, error, { ...ctx, what: "edit" });
  return editMessageView("error", notice.mrkdwn);
}

/** Reload: re-read the run. Through a loading view, so Slack drops the stale typed values. */
async function reload(deps: Deps, body: BlockAction, client: WebClient): Promise<void> {
  const view = body.view;
  const meta = decodeEditMeta(view?.private_metadata);
  if (!view || !meta) return;
  const who = { teamId: body.team?.id ?? body.user.team_id ?? "", userId: body.user.id };
  const actor = await resolveActor(deps, who.teamId, who.userId);
  const next =
    actor.kind === "not_connected"
      ? Promise.resolve(
          editMessageView(
            "warning",
            "Connect your Tallyfy account first: type `/tallyfy connect`.",
          ),
        )
      : editFormFromTallyfy(deps, actor.api, meta).catch((error: unknown) =>
          failureView(deps, error, { ...who, runRef: meta.runId }),
        );
  const loading = editLoadingView(meta);
  const hash = await updateModal(client, view.id, view.hash, loading, deps.logger, {
    explain: false,
  });
  await updateModal(client, view.id, hash ?? view.hash, await next, deps.logger);
}

export function registerEdit(app: App, deps: Deps): void {
  app.action<BlockAction<ButtonAction>>(ACTION.editReload, async ({ ack, body, client }) => {
    await ack();
    await reload(deps, body, client);
  });

  app.view<ViewSubmitAction>(VIEW.edit, async ({ ack, body, view, client }) => {
    const startedAt = Date.now();
    const meta = decodeEditMeta(view.private_metadata);
    if (!meta || !view.submit) {
      await ack();
      return;
    }
    const typed = readRunForm(view.state.values).values.name;
    await answerSubmission({
      ack: ack as never,
      client,
      viewId: view.id,
      startedAt,
      pendingView: editSavingView(typed || "the process"),
      work: submitEdit(deps, client, body, meta),
      logger: deps.logger,
    });
  });
}
