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
import { baselineOf, type Conflict, conflicts, conflictText } from "./baseline.ts";
import {
  assigneeIds,
  changesAgainst,
  type EditedForm,
  type MappedPeople,
  mapPeople,
  withDetails,
} from "./changes.ts";
import { templateOf } from "./flow.ts";

export const editForm: FormSpec<EditMeta> = {
  what: "edit",
  again: "save",
  decode: (metadata, view) => {
    const meta = decodeEditMeta(metadata);
    return meta && view.submit ? meta : undefined;
  },
  workingView: (view) =>
    editSavingView(readRunForm(view.state.values).values.name || "the process"),
  runRef: (meta) => meta.runId,
  submit: edit,
};

const STALE =
  "This process was changed in Tallyfy after you opened this form. Save again to overwrite it with your values, or *Reload from Tallyfy* to start from the current values.";
const CONFLICT =
  "This process was changed in Tallyfy after you opened this form, in fields you are saving (marked ⚠️ below, with what they hold now). Nothing was saved. Save again to replace them with your values, or *Reload from Tallyfy* to start from the current values.";

/** What saving came to, inside the claim (a repeated submit shares it). */
type Saved =
  | { kind: "updated"; run: Run; fresh: Run }
  | { kind: "same"; fresh: Run }
  /** Changed by someone else since the form opened; `conflicts` empty: no field baseline. */
  | { kind: "changed"; fresh: Run; slack: Map<number, string>; conflicts: Conflict[] };

async function edit(bot: BotContext, form: FormSubmission<EditMeta>): Promise<SubmitOutcome> {
  const { meta, interaction: i } = form;
  const { api } = form.actor;
  // The template is cached from when the form opened; the run is read just before the PUT.
  const template = await templateOf(api, meta.templateId, bot.policies.interactive);
  const fields = template.prerun;
  const state = form.view.state.values;
  const values = readRunForm(state, { withGuestComments: true });
  const kickoff = readKickoffState(fields, state);
  const runUrl = runLink(bot, api.orgId, meta.runId);
  const render = (notice: Notice, o: RenderOptions = {}) =>
    editFormView({
      run: o.fresh ?? { id: meta.runId, name: values.values.name },
      template,
      meta: { ...meta, nonce: newNonce(), ...o.meta },
      values: values.values,
      answers: kickoff.answers,
      slackUserIdsFor: (ids) => ids.flatMap((id) => o.slack?.get(id) ?? []),
      runUrl,
      notice,
      reload: o.reload,
      hints: o.hints,
    });

  const local = inputErrors(form, { ...values.errors, ...kickoff.errors }, render);
  if (local) return local;
  const people = await mapPeople(bot, i.client, api, fields, values.values, kickoff.answers);
  const unmapped = inputErrors(form, people.errors, render);
  if (unmapped) return unmapped;

  const edited = { fields, values: values.values, answers: kickoff.answers };
  const saved = await callOnce(bot, form, {
    nonce: meta.nonce,
    // Saves of one process through this bot take turns: the second reads what the first wrote.
    call: () =>
      bot.claims.exclusive(`edit:${api.orgId}:${meta.runId}`, () =>
        save(bot, api, meta, edited, people),
      ),
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
  if (!saved.ok) return saved.outcome;
  const result = saved.value;
  if (result.kind === "same") {
    const name = mrkdwnText(result.fresh.name, 300);
    return {
      view: editMessageView(
        "info",
        `Nothing to update: *${name}* already has these values.`,
        runUrl,
      ),
    };
  }
  if (result.kind === "changed") {
    const { fresh, slack, conflicts: found } = result;
    // The new baseline is what Tallyfy has now: saving again is a deliberate overwrite.
    const next = {
      lastUpdated: fresh.last_updated ?? undefined,
      baseline: baselineOf(fresh, fields),
    };
    const hints = Object.fromEntries(found.map((c) => [c.blockId, conflictText(c)]));
    const mrkdwn = found.length ? CONFLICT : STALE;
    const view = render(
      { tone: "warning", mrkdwn },
      { meta: next, reload: true, hints, fresh, slack },
    );
    return { view };
  }

  const name = mrkdwnText(result.run.name, 300);
  const done = editMessageView("success", `Updated *${name}*.`, runUrl);
  if (!saved.first) return { close: true, view: done };
  const shown = withDetails(result.run, result.fresh, values.values.tags);
  return {
    close: true,
    view: done,
    after: async () => {
      await redrawOrigin(bot, i, api, shown, meta);
      return undefined;
    },
  };
}

interface RenderOptions {
  meta?: Partial<EditMeta>;
  reload?: boolean;
  hints?: Record<string, string>;
  fresh?: Run;
  slack?: Map<number, string>;
}

/**
 * Read the run, and PUT only if no field being saved changed since the form opened: nothing
 * slow (people were mapped before) sits between the read and the PUT.
 */
async function save(
  bot: BotContext,
  api: TallyfyApi,
  meta: EditMeta,
  form: Omit<EditedForm, "fresh" | "slack">,
  people: MappedPeople,
): Promise<Saved> {
  const { interactive, background } = bot.policies;
  const fresh = await api.runs.get(meta.runId, { policy: interactive });
  const slack = await slackIdsFor(bot, api, assigneeIds(decodePrerun(form.fields, fresh.prerun)));
  const changes = changesAgainst({ ...form, fresh, slack }, people);
  const body = updateBody(fresh, changes);
  if (!body) return { kind: "same", fresh };
  if (meta.baseline) {
    const found = conflicts(meta.baseline, fresh, form.fields, body);
    if (found.length) return { kind: "changed", fresh, slack, conflicts: found };
  } else if (meta.lastUpdated && fresh.last_updated && fresh.last_updated !== meta.lastUpdated) {
    return { kind: "changed", fresh, slack, conflicts: [] };
  }
  const run = await api.runs.update(fresh.id, changes, { current: fresh, policy: background });
  return { kind: "updated", run, fresh };
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
      await redrawOrReplace(bot, bot.cardChat, where, card, fallback);
    } else if (origin?.kind === "response_url") {
      const respond = bot.responseUrls.respondTo(origin.url);
      await redrawOrReplace(bot, bot.cardChat, { kind: "ephemeral", respond }, card, undefined);
    } else if (meta.channelId) {
      await postCard(bot.cardChat, meta.channelId, card, {
        by: { teamId: i.teamId, userId: i.userId },
      });
    }
  } catch (error) {
    bot.logger.warn("could not redraw the card after an edit", {
      runId: run.id,
      error: (error as Error).message,
    });
  }
}
