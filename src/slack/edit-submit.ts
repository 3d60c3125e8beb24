/**
 * The edit form's submission: at most two Tallyfy requests (read the run, then PUT only what
 * changed with users/groups kept), a warning instead of an overwrite when the run changed since
 * the form opened, and the originating card redrawn.
 */
import type { ViewSubmitAction } from "@slack/bolt";
import type { ModalView } from "@slack/types";
import { resolveActor } from "../accounts/actor.ts";
import {
  decodePrerun,
  editableInSlack,
  type FieldAnswer,
  fieldBlockId,
  mergePickedAssignees,
  prerunChanges,
  readKickoffState,
} from "../blocks/kickoff/index.ts";
import { type EditMeta, editFormView, editMessageView } from "../blocks/modals/edit-views.ts";
import {
  NAME_MAX,
  RUN_BLOCK,
  type RunFormValues,
  readBackAs,
  readRunForm,
  SUMMARY_MAX,
} from "../blocks/modals/run-form.ts";
import { mapValidationError } from "../blocks/modals/validation-map.ts";
import { tallyfyErrorText } from "../blocks/notices.ts";
import { mrkdwnText } from "../blocks/text.ts";
import { BACKGROUND, INTERACTIVE, type RunChanges, type TallyfyApi } from "../tallyfy/api.ts";
import { TallyfyError, TallyfyNotFoundError, TallyfyValidationError } from "../tallyfy/errors.ts";
import { updateBody } from "../tallyfy/run-changes.ts";
import type { KickoffField, Run, Template } from "../tallyfy/schemas.ts";
import { actionLine, buildCard, postCard, redrawCard, runLink } from "./cards.ts";
import type { Deps } from "./deps.ts";
import { errorsNotice, failureNotice, type Notice, resubmittable } from "./form-errors.ts";
import { newNonce, respondVia } from "./modal-io.ts";
import { OnceRegistry, type SubmitOutcome } from "./modal-submit.ts";
import { slackIdsFor, tallyfyIdsFor, unmappedMessage } from "./people-map.ts";
import type { WebClient } from "./web-client.ts";

const updates = new WeakMap<Deps, OnceRegistry<Run>>();
function updatesOf(deps: Deps): OnceRegistry<Run> {
  let r = updates.get(deps);
  if (!r) {
    r = new OnceRegistry<Run>();
    updates.set(deps, r);
  }
  return r;
}

type CallPolicy = typeof BACKGROUND;

/** The template's kick-off fields, or none when the run has no (readable) template. */
export async function templateOf(
  api: TallyfyApi,
  templateId: string | null | undefined,
  policy: CallPolicy = BACKGROUND,
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

const teamOf = (body: ViewSubmitAction) => body.team?.id ?? body.user.team_id ?? "";

/** Never rejects: every failure becomes a view that keeps what the person typed. */
export async function submitEdit(
  deps: Deps,
  client: WebClient,
  body: ViewSubmitAction,
  meta: EditMeta,
): Promise<SubmitOutcome> {
  try {
    return await edit(deps, client, body, meta);
  } catch (error) {
    const ctx = { teamId: teamOf(body), userId: body.user.id, runRef: meta.runId, what: "edit" };
    return { view: resubmittable(body.view, await failureNotice(deps, error, ctx)) };
  }
}

async function edit(
  deps: Deps,
  client: WebClient,
  body: ViewSubmitAction,
  meta: EditMeta,
): Promise<SubmitOutcome> {
  const userId = body.user.id;
  const teamId = teamOf(body);
  const actor = await resolveActor(deps, teamId, userId);
  if (actor.kind === "not_connected") {
    const text = "Connect your Tallyfy account first: type `/tallyfy connect`, then save again.";
    return { view: resubmittable(body.view, { tone: "warning", mrkdwn: text }) };
  }
  const { api } = actor;
  // The template is cached from when the form opened; the run is read fresh.
  const [fresh, template] = await Promise.all([
    api.runs.get(meta.runId, { policy: INTERACTIVE }),
    templateOf(api, meta.templateId, INTERACTIVE),
  ]);
  const fields = template.prerun;
  const state = body.view.state.values;
  const form = readRunForm(state, { withGuestComments: true });
  const kickoff = readKickoffState(fields, state);
  const runUrl = runLink(deps, api.orgId, fresh.id);
  const slack = await slackIdsFor(deps, api, assigneeIds(decodePrerun(fields, fresh.prerun)));
  const render = (notice: Notice, next: Partial<EditMeta> = {}, reload = false) =>
    editFormView({
      run: fresh,
      template,
      meta: { ...meta, nonce: newNonce(), ...next },
      values: form.values,
      answers: kickoff.answers,
      slackUserIdsFor: (ids) => ids.flatMap((id) => slack.get(id) ?? []),
      runUrl,
      notice,
      reload,
    });

  const local = { ...form.errors, ...kickoff.errors };
  if (Object.keys(local).length > 0) {
    return { errors: local, view: render(errorsNotice(local, body.view.blocks)) };
  }

  if (meta.lastUpdated && fresh.last_updated && fresh.last_updated !== meta.lastUpdated) {
    const warning =
      "This process was changed in Tallyfy after you opened this form. Save again to overwrite it with your values, or *Reload from Tallyfy* to start from the current values.";
    return {
      view: render({ tone: "warning", mrkdwn: warning }, { lastUpdated: fresh.last_updated }, true),
    };
  }

  const wanted = await wantedChanges(
    deps,
    client,
    api,
    fresh,
    fields,
    form.values,
    kickoff.answers,
    slack,
  );
  if (Object.keys(wanted.errors).length > 0) {
    return { errors: wanted.errors, view: render(errorsNotice(wanted.errors, body.view.blocks)) };
  }
  if (!updateBody(fresh, wanted.changes)) {
    return {
      view: editMessageView(
        "info",
        `Nothing to update: *${mrkdwnText(fresh.name, 300)}* already has these values.`,
        runUrl,
      ),
    };
  }

  const registry = updatesOf(deps);
  const key = `${teamId}:${userId}:${meta.nonce ?? body.view.id}`;
  const { promise, first } = registry.run(key, () =>
    api.runs.update(fresh.id, wanted.changes, { current: fresh, policy: BACKGROUND }),
  );
  let updated: Run;
  try {
    updated = await promise;
  } catch (error) {
    if (!(error instanceof TallyfyError && error.mayHaveApplied)) registry.forget(key);
    if (error instanceof TallyfyValidationError) {
      const mapped = mapValidationError(error, {
        name: RUN_BLOCK.name,
        summary: RUN_BLOCK.summary,
        owner: RUN_BLOCK.owner,
        tags: RUN_BLOCK.tags,
        fields: fields.filter((f) => editableInSlack(f)),
        fieldBlockId,
      });
      const general = mapped.general.map((m) => mrkdwnText(m, 500)).join(" ");
      const notice: Notice = general
        ? { tone: "error", mrkdwn: `Tallyfy didn't accept the changes: ${general}` }
        : errorsNotice(mapped.errors, body.view.blocks);
      if (!general && Object.keys(mapped.errors).length > 0) {
        return { errors: mapped.errors, view: render(notice) };
      }
      return { view: render(notice) };
    }
    if (error instanceof TallyfyError) {
      deps.logger.warn("edit failed", {
        kind: error.kind,
        status: error.status,
        requestId: error.requestId,
      });
      return {
        view: render({ tone: "error", mrkdwn: tallyfyErrorText(error, { runRef: meta.runId }) }),
      };
    }
    throw error;
  }

  const done = editMessageView("success", `Updated *${mrkdwnText(updated.name, 300)}*.`, runUrl);
  if (!first) return { close: true, view: done };
  return {
    close: true,
    view: done,
    after: async (): Promise<ModalView | undefined> => {
      const shown = withDetails(updated, fresh, form.values.tags);
      await redrawOrigin(deps, client, api, shown, meta, userId);
      return undefined;
    },
  };
}

/**
 * The PUT answers with a bare run (tags as ids, no next task). An edit changes neither tasks
 * nor tag titles, so those come from the run read just before; no extra request for the card.
 */
function withDetails(updated: Run, fresh: Run, formTags: { id: string; title: string }[]): Run {
  const titles = new Map<string, string>();
  for (const t of [...formTags, ...fresh.tags])
    if (t.title && t.title !== t.id) titles.set(t.id, t.title);
  return {
    ...updated,
    next_task: updated.next_task ?? fresh.next_task,
    tags: updated.tags.map((t) =>
      t.title === t.id ? { ...t, title: titles.get(t.id) ?? t.title } : t,
    ),
  };
}

function assigneeIds(answers: Record<string, FieldAnswer>): number[] {
  return Object.values(answers).flatMap((a) => (a.kind === "assignees" ? a.users : []));
}

interface Wanted {
  changes: RunChanges;
  errors: Record<string, string>;
}

/** The form's values as changes against the fresh run; people mapped to Tallyfy by email. */
async function wantedChanges(
  deps: Deps,
  client: WebClient,
  api: TallyfyApi,
  fresh: Run,
  fields: KickoffField[],
  values: RunFormValues,
  answers: Record<string, FieldAnswer>,
  slack: Map<number, string>,
): Promise<Wanted> {
  const errors: Record<string, string> = {};
  // A name or summary left as the form showed it is not sent: the form clips and trims what
  // it shows, and sending that back would cut the stored text.
  const changes: RunChanges = {
    ...(values.name !== readBackAs(fresh.name, NAME_MAX) ? { name: values.name } : {}),
    ...(values.summary !== readBackAs(fresh.summary, SUMMARY_MAX)
      ? { summary: values.summary }
      : {}),
    preventGuestComment: values.preventGuestComment ?? false,
    tags: values.tags.map((t) => t.id),
  };
  if (values.ownerSlackId) {
    const owner = await tallyfyIdsFor(deps, api, [values.ownerSlackId]);
    if (owner.missing.length) {
      errors[RUN_BLOCK.owner] = await unmappedMessage(deps, client, owner.missing, "owner");
    } else changes.ownerId = owner.ids[0];
  }
  const before = decodePrerun(fields, fresh.prerun);
  const after: Record<string, FieldAnswer | undefined> = { ...answers };
  for (const field of fields) {
    if (field.field_type !== "assignees_form" || !editableInSlack(field, before[field.id]))
      continue;
    const picked = answers[field.id];
    const slackIds = picked?.kind === "slack_users" ? picked.slackUserIds : [];
    const mapped = await tallyfyIdsFor(deps, api, slackIds);
    if (mapped.missing.length) {
      errors[fieldBlockId(field.id)] = await unmappedMessage(
        deps,
        client,
        mapped.missing,
        "assignees",
      );
      continue;
    }
    const prior = before[field.id];
    const shown = prior?.kind === "assignees" ? prior.users.filter((u) => slack.has(u)) : [];
    after[field.id] = mergePickedAssignees(prior, mapped.ids, shown);
  }
  const prerun = prerunChanges(fields, before, after);
  if (Object.keys(prerun).length > 0) changes.prerun = prerun;
  return { changes, errors };
}

/** The card the edit came from, redrawn in place; posted afresh when there was none. */
async function redrawOrigin(
  deps: Deps,
  client: WebClient,
  api: TallyfyApi,
  run: Run,
  meta: EditMeta,
  userId: string,
): Promise<void> {
  try {
    const card = await buildCard(deps, api, run, {
      lastAction: { text: actionLine("Updated", userId, deps.now()) },
    });
    const origin = meta.origin;
    if (origin?.kind === "message") {
      try {
        await redrawCard(client, { kind: "message", channel: origin.channel, ts: origin.ts }, card);
      } catch (error) {
        // A card posted through a response_url may be out of the bot's reach for chat.update.
        if (!origin.url) throw error;
        await redrawCard(client, { kind: "ephemeral", respond: respondVia(origin.url) }, card);
      }
    } else if (origin?.kind === "response_url") {
      await redrawCard(client, { kind: "ephemeral", respond: respondVia(origin.url) }, card);
    } else if (meta.channelId) {
      await postCard(client, meta.channelId, card);
    }
  } catch (error) {
    deps.logger.warn("could not redraw the card after an edit", {
      runId: run.id,
      error: (error as Error).message,
    });
  }
}
