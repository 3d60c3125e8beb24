/**
 * The launch form's submission: local checks, people mapped to Tallyfy by email, one POST per
 * form render (a repeated submit shares it), then the status card in the chosen channel.
 */
import type { ViewSubmitAction } from "@slack/bolt";
import type { ModalView } from "@slack/types";
import { resolveActor } from "../accounts/actor.ts";
import {
  encodePrerun,
  type FieldAnswer,
  fieldBlockId,
  readKickoffState,
} from "../blocks/kickoff/index.ts";
import {
  cardProblemText,
  type LaunchMeta,
  launchedView,
  launchFormView,
  launchNameBlock,
} from "../blocks/modals/launch-views.ts";
import { RUN_BLOCK, type RunFormValues, readRunForm } from "../blocks/modals/run-form.ts";
import { mapValidationError } from "../blocks/modals/validation-map.ts";
import { tallyfyErrorText } from "../blocks/notices.ts";
import { mrkdwnText } from "../blocks/text.ts";
import { BACKGROUND, INTERACTIVE, type LaunchInput, type TallyfyApi } from "../tallyfy/api.ts";
import { TallyfyError, TallyfyValidationError } from "../tallyfy/errors.ts";
import type { Run, Template } from "../tallyfy/schemas.ts";
import { actionLine, buildCard, postCard, runLink, slackErrorCode } from "./cards.ts";
import type { Deps } from "./deps.ts";
import { errorsNotice, failureNotice, type Notice, resubmittable } from "./form-errors.ts";
import { newNonce, respondVia } from "./modal-io.ts";
import { OnceRegistry, type SubmitOutcome } from "./modal-submit.ts";
import { tallyfyIdsFor, unmappedMessage } from "./people-map.ts";
import type { WebClient } from "./web-client.ts";

/** Launches in flight or done, per bot, keyed by the form's nonce. */
const launches = new WeakMap<Deps, OnceRegistry<Run>>();
function launchesOf(deps: Deps): OnceRegistry<Run> {
  let r = launches.get(deps);
  if (!r) {
    r = new OnceRegistry<Run>();
    launches.set(deps, r);
  }
  return r;
}

type Meta = LaunchMeta & { templateId: string };

/** Never rejects: every failure becomes a view that keeps what the person typed. */
export async function submitLaunch(
  deps: Deps,
  client: WebClient,
  body: ViewSubmitAction,
  meta: Meta,
): Promise<SubmitOutcome> {
  try {
    return await launch(deps, client, body, meta);
  } catch (error) {
    const who = { teamId: teamOf(body), userId: body.user.id, what: "launch" };
    return { view: resubmittable(body.view, await failureNotice(deps, error, who)) };
  }
}

const teamOf = (body: ViewSubmitAction) => body.team?.id ?? body.user.team_id ?? "";

async function launch(
  deps: Deps,
  client: WebClient,
  body: ViewSubmitAction,
  meta: Meta,
): Promise<SubmitOutcome> {
  const userId = body.user.id;
  const teamId = teamOf(body);
  const actor = await resolveActor(deps, teamId, userId);
  if (actor.kind === "not_connected") {
    const text = "Connect your Tallyfy account first: type `/tallyfy connect`, then submit again.";
    return { view: resubmittable(body.view, { tone: "warning", mrkdwn: text }) };
  }
  const { api } = actor;
  const template = await api.templates.get(meta.templateId, { policy: INTERACTIVE });
  const state = body.view.state.values;
  const form = readRunForm(state, { nameKey: template.id, withChannel: true });
  const kickoff = readKickoffState(template.prerun, state);
  const render = (notice: Notice, fresh: boolean) =>
    launchFormView({
      template,
      meta: { ...meta, nonce: fresh ? newNonce() : meta.nonce },
      values: form.values,
      answers: kickoff.answers,
      webUrl: deps.config.tallyfy.webUrl,
      notice,
    });
  const withErrors = (errors: Record<string, string>): SubmitOutcome => ({
    errors,
    view: render(errorsNotice(errors, body.view.blocks), false),
  });

  const local = { ...form.errors, ...kickoff.errors };
  if (Object.keys(local).length > 0) return withErrors(local);

  const people = await mapLaunchPeople(deps, client, api, template, form.values, kickoff.answers);
  if (Object.keys(people.errors).length > 0) return withErrors(people.errors);

  const input: LaunchInput = {
    checklistId: template.id,
    name: form.values.name,
    ...(form.values.summary ? { summary: form.values.summary } : {}),
    ...(people.ownerId !== undefined ? { ownerId: people.ownerId } : {}),
    prerun: encodePrerun(template.prerun, people.answers),
    ...(form.values.tags.length ? { tags: form.values.tags.map((t) => t.id) } : {}),
  };
  const registry = launchesOf(deps);
  const key = `${teamId}:${userId}:${meta.nonce ?? body.view.id}`;
  const { promise, first } = registry.run(key, () =>
    api.runs.launch(input, { policy: BACKGROUND }),
  );
  let run: Run;
  try {
    run = await promise;
  } catch (error) {
    // Certainly nothing was created: the same form may be submitted again.
    if (!(error instanceof TallyfyError && error.mayHaveApplied)) registry.forget(key);
    if (error instanceof TallyfyValidationError) {
      const mapped = mapValidationError(error, {
        name: launchNameBlock(template.id),
        summary: RUN_BLOCK.summary,
        owner: RUN_BLOCK.owner,
        tags: RUN_BLOCK.tags,
        fields: template.prerun,
        fieldBlockId,
      });
      const general = mapped.general.map((m) => mrkdwnText(m, 500)).join(" ");
      const notice = {
        tone: "error" as const,
        mrkdwn: general
          ? `Tallyfy didn't accept the launch: ${general}`
          : errorsNotice(mapped.errors, body.view.blocks).mrkdwn,
      };
      if (Object.keys(mapped.errors).length > 0 && !general) {
        return { errors: mapped.errors, view: render(notice, true) };
      }
      return { view: render(notice, true) };
    }
    if (error instanceof TallyfyError) {
      deps.logger.warn("launch failed", {
        kind: error.kind,
        status: error.status,
        requestId: error.requestId,
      });
      return { view: render({ tone: "error", mrkdwn: tallyfyErrorText(error) }, true) };
    }
    throw error;
  }

  const channelId = form.values.channelId ?? meta.channelId ?? "";
  const runUrl = runLink(deps, api.orgId, run.id);
  const shown = { name: run.name, runUrl, channelId };
  if (!first) return { view: launchedView(shown) };
  const responseUrl = body.response_urls?.find((r) => r.block_id === RUN_BLOCK.channel);
  return {
    view: launchedView(shown),
    after: async (): Promise<ModalView> => {
      const card = await postLaunchCard(
        deps,
        client,
        api,
        run,
        channelId,
        userId,
        responseUrl?.response_url,
      );
      return launchedView({ ...shown, card });
    },
  };
}

interface LaunchPeople {
  ownerId?: number | undefined;
  answers: Record<string, FieldAnswer>;
  errors: Record<string, string>;
}

async function mapLaunchPeople(
  deps: Deps,
  client: WebClient,
  api: TallyfyApi,
  template: Template,
  values: RunFormValues,
  answers: Record<string, FieldAnswer>,
): Promise<LaunchPeople> {
  const out: LaunchPeople = { answers: { ...answers }, errors: {} };
  const jobs: Promise<void>[] = [];
  if (values.ownerSlackId) {
    const slackId = values.ownerSlackId;
    jobs.push(
      tallyfyIdsFor(deps, api, [slackId]).then(async (m) => {
        if (m.missing.length) {
          out.errors[RUN_BLOCK.owner] = await unmappedMessage(deps, client, m.missing, "owner");
        } else out.ownerId = m.ids[0];
      }),
    );
  }
  for (const field of template.prerun) {
    const answer = answers[field.id];
    if (answer?.kind !== "slack_users") continue;
    jobs.push(
      tallyfyIdsFor(deps, api, answer.slackUserIds).then(async (m) => {
        if (m.missing.length) {
          out.errors[fieldBlockId(field.id)] = await unmappedMessage(
            deps,
            client,
            m.missing,
            "assignees",
          );
        } else out.answers[field.id] = { kind: "assignees", users: m.ids, guests: [], groups: [] };
      }),
    );
  }
  await Promise.all(jobs);
  return out;
}

type CardResult = { posted: true } | { posted: false; problem: string };

async function postLaunchCard(
  deps: Deps,
  client: WebClient,
  api: TallyfyApi,
  run: Run,
  channelId: string,
  userId: string,
  responseUrl: string | undefined,
): Promise<CardResult> {
  try {
    // Drawn from the launch's own answer: one Tallyfy request per launch. buildCard names the
    // tags from the cached tag list; the next task shows on the first Refresh.
    const card = await buildCard(deps, api, run, {
      lastAction: { text: actionLine("Launched", userId, deps.now()) },
    });
    await postCard(client, channelId, card, responseUrl ? respondVia(responseUrl) : undefined);
    return { posted: true };
  } catch (error) {
    const code = slackErrorCode(error);
    deps.logger.warn("could not post the launched process's card", { channelId, code });
    return { posted: false, problem: cardProblemText(channelId, code) };
  }
}
