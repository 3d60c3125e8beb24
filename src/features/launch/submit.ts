/**
 * The launch form's submission: local checks, people mapped to Tallyfy by email, one POST per
 * form render (a repeated submit shares it), then the status card in the chosen channel.
 */
import type { ModalView } from "@slack/types";
import {
  encodePrerun,
  type FieldAnswer,
  fieldBlockId,
  readKickoffState,
} from "../../blocks/kickoff/index.ts";
import {
  cardProblemText,
  decodeLaunchMeta,
  type LaunchMeta,
  launchedView,
  launchFormView,
  launchingView,
  launchNameBlock,
} from "../../blocks/modals/launch-views.ts";
import { RUN_BLOCK, type RunFormValues, readRunForm } from "../../blocks/modals/run-form.ts";
import type { BotContext } from "../../slack/context.ts";
import type { Notice } from "../../slack/form-errors.ts";
import { type FormPeople, mapFormPeople } from "../../slack/form-people.ts";
import {
  callOnce,
  type FormSpec,
  type FormSubmission,
  inputErrors,
} from "../../slack/form-submission.ts";
import { newNonce } from "../../slack/modal-io.ts";
import { slackErrorCode } from "../../slack/slack-errors.ts";
import type { SubmitOutcome } from "../../slack/submission.ts";
import type { WebClient } from "../../slack/web-client.ts";
import type { LaunchInput, TallyfyApi } from "../../tallyfy/api.ts";
import type { Run, Template } from "../../tallyfy/schemas.ts";
import { actionLine, buildCard, postCard, runLink } from "../card/cards.ts";
import { refreshHome } from "../home/flow.ts";
import { launchOrFind } from "./ambiguous.ts";
import { warmTemplateIndex } from "./lookup.ts";

type Meta = LaunchMeta & { templateId: string };

const MAY_HAVE_LAUNCHED =
  "Tallyfy may have launched this: the connection failed before it answered. Press *Launch* again and I'll check first: if it was launched, I'll show it instead of launching it twice.";

/** The Tallyfy user a launch runs as, when the connection says (the run's started_by). */
function launcherOf(form: FormSubmission<Meta>): number | null | undefined {
  return form.actor.kind === "user" ? form.actor.connection.tallyfyUserId : undefined;
}

export const launchForm: FormSpec<Meta> = {
  what: "launch",
  again: "submit",
  decode(metadata) {
    const meta = decodeLaunchMeta(metadata);
    return meta.templateId ? { ...meta, templateId: meta.templateId } : undefined;
  },
  workingView(view, meta) {
    const typed = readRunForm(view.state.values, { nameKey: meta.templateId }).values.name;
    return launchingView(typed || "the process");
  },
  submit: launch,
};

async function launch(bot: BotContext, form: FormSubmission<Meta>): Promise<SubmitOutcome> {
  const { meta, interaction: i } = form;
  const { api } = form.actor;
  const template = await api.templates.get(meta.templateId, { policy: bot.policies.interactive });
  const state = form.view.state.values;
  const values = readRunForm(state, { nameKey: template.id, withChannel: true });
  const kickoff = readKickoffState(template.prerun, state);
  const render = (notice: Notice, next: Partial<LaunchMeta> = {}) =>
    launchFormView({
      template,
      meta: { ...meta, ...next },
      values: values.values,
      answers: kickoff.answers,
      webUrl: bot.config.tallyfy.webUrl,
      notice,
    });
  const keepNonce = (notice: Notice) => render(notice);

  const local = inputErrors(form, { ...values.errors, ...kickoff.errors }, keepNonce);
  if (local) return local;
  const people = await mapLaunchPeople(
    bot,
    i.client,
    api,
    template,
    values.values,
    kickoff.answers,
  );
  const unmapped = inputErrors(form, people.errors, keepNonce);
  if (unmapped) return unmapped;

  const input: LaunchInput = {
    checklistId: template.id,
    name: values.values.name,
    ...(values.values.summary ? { summary: values.values.summary } : {}),
    ...(people.ownerId !== undefined ? { ownerId: people.ownerId } : {}),
    prerun: encodePrerun(template.prerun, people.answers),
    ...(values.values.tags.length ? { tags: values.values.tags.map((t) => t.id) } : {}),
  };
  const attempt = meta.attempt ?? 0;
  const check = meta.checkSince
    ? { since: meta.checkSince, launcherId: launcherOf(form) }
    : undefined;
  const triedAt = Date.now();
  const launched = await callOnce(bot, form, {
    // Each retry after an uncertain launch is claimed once too (double clicks share it).
    nonce: meta.nonce && `${meta.nonce}.${attempt}`,
    call: () => launchOrFind(api, input, check, bot.policies.background),
    targets: {
      name: launchNameBlock(template.id),
      summary: RUN_BLOCK.summary,
      owner: RUN_BLOCK.owner,
      tags: RUN_BLOCK.tags,
      fields: template.prerun,
      fieldBlockId,
    },
    refused: "Tallyfy didn't accept the launch",
    // Nothing was launched: a new submission, unless an earlier one may still have been.
    render: (notice) => render(notice, check ? {} : { nonce: newNonce() }),
    uncertain: () =>
      render(
        { tone: "warning", mrkdwn: MAY_HAVE_LAUNCHED },
        { checkSince: meta.checkSince ?? triedAt, attempt: attempt + 1 },
      ),
  });
  if (!launched.ok) return launched.outcome;
  warmTemplateIndex(bot, api);

  const { run, found } = launched.value;
  if (found)
    bot.logger.info("launch retry found the run an uncertain launch created", { runId: run.id });
  const channelId = values.values.channelId ?? meta.channelId ?? "";
  const shown = { name: run.name, runUrl: runLink(bot, api.orgId, run.id), channelId };
  if (!launched.first) return { view: launchedView(shown) };
  bot.cards.launched({ teamId: i.teamId, api, run, userId: i.userId, channel: channelId });
  const responseUrl = form.body.response_urls?.find((r) => r.block_id === RUN_BLOCK.channel);
  // From a message shortcut: the card answers in that message's thread, if it stays there.
  const threadTs = channelId === meta.channelId ? meta.threadTs : undefined;
  return {
    view: launchedView(shown),
    after: async (): Promise<ModalView> => {
      const where = {
        channelId,
        userId: i.userId,
        teamId: i.teamId,
        responseUrl: responseUrl?.response_url,
        threadTs,
      };
      const card = await postLaunchCard(bot, api, run, where);
      if (meta.fromHome) await refreshHome(bot, i.client, i.teamId, i.userId);
      return launchedView({ ...shown, card });
    },
  };
}

interface LaunchPeople extends FormPeople {
  answers: Record<string, FieldAnswer>;
}

async function mapLaunchPeople(
  bot: BotContext,
  client: WebClient,
  api: TallyfyApi,
  template: Template,
  values: RunFormValues,
  answers: Record<string, FieldAnswer>,
): Promise<LaunchPeople> {
  const picks = template.prerun.flatMap((field) => {
    const answer = answers[field.id];
    return answer?.kind === "slack_users"
      ? [{ fieldId: field.id, slackUserIds: answer.slackUserIds }]
      : [];
  });
  const people = await mapFormPeople(bot, client, api, values.ownerSlackId, picks);
  const mapped: Record<string, FieldAnswer> = { ...answers };
  for (const [fieldId, users] of Object.entries(people.picked)) {
    mapped[fieldId] = { kind: "assignees", users, guests: [], groups: [] };
  }
  return { ...people, answers: mapped };
}

type CardResult = { posted: true } | { posted: false; problem: string };

async function postLaunchCard(
  bot: BotContext,
  api: TallyfyApi,
  run: Run,
  where: {
    channelId: string;
    userId: string;
    teamId: string;
    responseUrl: string | undefined;
    threadTs: string | undefined;
  },
): Promise<CardResult> {
  const { channelId, userId, teamId, responseUrl, threadTs } = where;
  try {
    // Drawn from the launch's own answer: one Tallyfy request per launch. buildCard names the
    // tags from the cached tag list; the next task shows on the first Refresh.
    const card = await buildCard(bot, api, run, {
      lastAction: { text: actionLine("Launched", userId, bot.now()) },
    });
    const fallback = responseUrl ? bot.responseUrls.respondTo(responseUrl) : undefined;
    await postCard(bot.cardChat, channelId, card, { fallback, threadTs, by: { teamId, userId } });
    return { posted: true };
  } catch (error) {
    const code = slackErrorCode(error);
    bot.logger.warn("could not post the launched process's card", { channelId, code });
    return { posted: false, problem: cardProblemText(channelId, code) };
  }
}
