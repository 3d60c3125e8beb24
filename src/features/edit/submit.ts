/**
 * The edit form's submission: at most two Tallyfy requests (read the run, then PUT only what
 * changed with users/groups kept), a warning instead of an overwrite when the run changed since
 * the form opened, and the originating card redrawn.
 */
import {
  decodePrerun,
  editableInSlack,
  fieldBlockId,
  readKickoffState,
} from "../../blocks/kickoff/index.ts";
import {
  decodeEditMeta,
  type EditMeta,
  editFormView,
  editMessageView,
  editSavingView,
} from "../../blocks/modals/edit-views.ts";
import { RUN_BLOCK, readRunForm } from "../../blocks/modals/run-form.ts";
import { mrkdwnText } from "../../blocks/text.ts";
import type { BotContext } from "../../slack/context.ts";
import type { Notice } from "../../slack/form-errors.ts";
import {
  callOnce,
  type FormSpec,
  type FormSubmission,
  inputErrors,
} from "../../slack/form-submission.ts";
import type { Interaction } from "../../slack/interaction.ts";
import { newNonce } from "../../slack/modal-io.ts";
import { slackIdsFor } from "../../slack/people-map.ts";
import type { SubmitOutcome } from "../../slack/submission.ts";
import type { TallyfyApi } from "../../tallyfy/api.ts";
import { updateBody } from "../../tallyfy/run-changes.ts";
import type { Run } from "../../tallyfy/schemas.ts";
import { actionLine, buildCard, postCard, redrawOrReplace, runLink } from "../card/cards.ts";
import { assigneeIds, wantedChanges, withDetails } from "./changes.ts";
import { templateOf } from "./flow.ts";

export const editForm: FormSpec<EditMeta> = {
  what: "edit",
  again: "save",
  decode: (view) => {
    const meta = decodeEditMeta(view.private_metadata);
    return meta && view.submit ? meta : undefined;
  },
  workingView: (view) =>
    editSavingView(readRunForm(view.state.values).values.name || "the process"),
  runRef: (meta) => meta.runId,
  submit: edit,
};

const STALE =
  "This process was changed in Tallyfy after you opened this form. Save again to overwrite it with your values, or *Reload from Tallyfy* to start from the current values.";

async function edit(bot: BotContext, form: FormSubmission<EditMeta>): Promise<SubmitOutcome> {
  const { meta, interaction: i } = form;
  const { api } = form.actor;
  const { interactive, background } = bot.policies;
  // The template is cached from when the form opened; the run is read fresh.
  const [fresh, template] = await Promise.all([
    api.runs.get(meta.runId, { policy: interactive }),
    templateOf(api, meta.templateId, interactive),
  ]);
  const fields = template.prerun;
  const state = form.view.state.values;
  const values = readRunForm(state, { withGuestComments: true });
  const kickoff = readKickoffState(fields, state);
  const runUrl = runLink(bot, api.orgId, fresh.id);
  const slack = await slackIdsFor(bot, api, assigneeIds(decodePrerun(fields, fresh.prerun)));
  const render = (notice: Notice, next: Partial<EditMeta> = {}, reload = false) =>
    editFormView({
      run: fresh,
      template,
      meta: { ...meta, nonce: newNonce(), ...next },
      values: values.values,
      answers: kickoff.answers,
      slackUserIdsFor: (ids) => ids.flatMap((id) => slack.get(id) ?? []),
      runUrl,
      notice,
      reload,
    });

  const local = inputErrors(form, { ...values.errors, ...kickoff.errors }, render);
  if (local) return local;
  if (meta.lastUpdated && fresh.last_updated && fresh.last_updated !== meta.lastUpdated) {
    const next = { lastUpdated: fresh.last_updated };
    return { view: render({ tone: "warning", mrkdwn: STALE }, next, true) };
  }
  const edited = { fresh, fields, values: values.values, answers: kickoff.answers, slack };
  const wanted = await wantedChanges(bot, i.client, api, edited);
  const unmapped = inputErrors(form, wanted.errors, render);
  if (unmapped) return unmapped;
  if (!updateBody(fresh, wanted.changes)) {
    const same = `Nothing to update: *${mrkdwnText(fresh.name, 300)}* already has these values.`;
    return { view: editMessageView("info", same, runUrl) };
  }

  const updated = await callOnce(bot, form, {
    nonce: meta.nonce,
    call: () => api.runs.update(fresh.id, wanted.changes, { current: fresh, policy: background }),
    targets: {
      name: RUN_BLOCK.name,
      summary: RUN_BLOCK.summary,
      owner: RUN_BLOCK.owner,
      tags: RUN_BLOCK.tags,
      fields: fields.filter((f) => editableInSlack(f)),
      fieldBlockId,
    },
    refused: "Tallyfy didn't accept the changes",
    runRef: meta.runId,
    render: (notice) => render(notice),
  });
  if (!updated.ok) return updated.outcome;

  const name = mrkdwnText(updated.value.name, 300);
  const done = editMessageView("success", `Updated *${name}*.`, runUrl);
  if (!updated.first) return { close: true, view: done };
  const shown = withDetails(updated.value, fresh, values.values.tags);
  return {
    close: true,
    view: done,
    after: async () => {
      await redrawOrigin(bot, i, api, shown, meta);
      return undefined;
    },
  };
}

/** The card the edit came from, redrawn in place; posted afresh when there was none. */
async function redrawOrigin(
  bot: BotContext,
  i: Interaction,
  api: TallyfyApi,
  run: Run,
  meta: EditMeta,
): Promise<void> {
  try {
    const card = await buildCard(bot, api, run, {
      lastAction: { text: actionLine("Updated", i.userId, bot.now()) },
    });
    const origin = meta.origin;
    if (origin?.kind === "message") {
      // A card posted through a response_url may be out of the bot's reach for chat.update.
      const fallback = origin.url ? bot.responseUrls.respondTo(origin.url) : undefined;
      const where = { kind: "message", channel: origin.channel, ts: origin.ts } as const;
      await redrawOrReplace(bot, i.client, where, card, fallback);
    } else if (origin?.kind === "response_url") {
      const respond = bot.responseUrls.respondTo(origin.url);
      await redrawOrReplace(bot, i.client, { kind: "ephemeral", respond }, card, undefined);
    } else if (meta.channelId) {
      await postCard(i.client, meta.channelId, card, undefined, i);
    }
  } catch (error) {
    bot.logger.warn("could not redraw the card after an edit", {
      runId: run.id,
      error: (error as Error).message,
    });
  }
}
