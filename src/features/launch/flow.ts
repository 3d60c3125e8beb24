/**
 * `/tallyfy launch [words]`: a modal opened at once (picker or "Looking…"), then the chosen
 * template's kick-off form. The form's submission is in submit.ts.
 */
import type { ModalView } from "@slack/types";
import { type Actor, resolveActor } from "../../accounts/actor.ts";
import {
  decodeLaunchMeta,
  defaultRunName,
  LAUNCH_TITLE,
  type LaunchMeta,
  launchFormView,
  launchLoadingView,
  launchPickerView,
} from "../../blocks/modals/launch-views.ts";
import { untrustedFormView } from "../../blocks/modals/modal.ts";
import { mrkdwnText } from "../../blocks/text.ts";
import { actorOrPrompt } from "../../slack/actor-gate.ts";
import type { BotContext } from "../../slack/context.ts";
import type { Interaction } from "../../slack/interaction.ts";
import { newNonce, openModal, updateModal, updateWhenReady } from "../../slack/modal-io.ts";
import { describeFailure } from "../../slack/reply.ts";
import { openedMetadata, viewSealer } from "../../slack/sealed-metadata.ts";
import type { TallyfyApi } from "../../tallyfy/api.ts";
import type { Template } from "../../tallyfy/schemas.ts";
import { sameTitle } from "../../tallyfy/template-index.ts";
import { unescapeSlack } from "../commands/parse.ts";
import { directTemplate, warmTemplateIndex } from "./lookup.ts";

/** What a shortcut or Home adds to the launch modal (see LaunchMeta). */
export type LaunchPrefill = Pick<LaunchMeta, "summary" | "threadTs" | "fromHome">;

export async function openLaunch(
  bot: BotContext,
  i: Interaction,
  args: string,
  prefill: LaunchPrefill = {},
): Promise<void> {
  const replay = { text: i.text || `launch ${args}`.trim(), channelId: i.channelId };
  const actor = await actorOrPrompt(bot, { ...i, replay });
  if (!actor) return;
  const query = unescapeSlack(args).trim();
  const meta: LaunchMeta = { channelId: i.channelId || undefined, ...prefill };
  const first = query
    ? launchLoadingView(`Looking for templates matching “${mrkdwnText(query, 200)}”…`, meta)
    : launchPickerView({ meta });
  const seal = viewSealer(bot, i.userId);
  const opened = await openModal(i, seal(first), bot.logger);
  if (opened) warmTemplateIndex(bot, actor.api);
  if (!opened || !query) return;
  const view = await viewForQuery(bot, actor, i, query, meta).catch((error: unknown) =>
    pickerWithFailure(bot, error, i, meta),
  );
  await updateModal(i.client, opened.id, opened.hash, seal(view), bot.logger);
}

/**
 * One clear match opens its form; several are listed; none says so. A template id, or a title
 * the warm index knows, is read straight away (lookup.ts).
 */
async function viewForQuery(
  bot: BotContext,
  actor: Actor,
  i: Interaction,
  query: string,
  meta: LaunchMeta,
): Promise<ModalView> {
  const direct = await directTemplate(bot, actor.api, query);
  if (direct) return formView(bot, direct, meta, i.userId);
  const policy = bot.policies.background;
  const page = await actor.api.templates.search(query, { perPage: 25 }, { policy });
  const live = page.items.filter((t) => !t.archived_at);
  const exact = live.filter((t) => sameTitle(t.title, query));
  const only = exact.length === 1 ? exact[0] : live.length === 1 ? live[0] : undefined;
  if (only) return formFor(bot, actor.api, only.id, meta, i.userId);
  return launchPickerView({ meta, query, matches: exact.length > 1 ? exact : live });
}

async function formFor(
  bot: BotContext,
  api: TallyfyApi,
  templateId: string,
  from: LaunchMeta,
  userId: string,
): Promise<ModalView> {
  const template = await api.templates.get(templateId, { policy: bot.policies.background });
  return formView(bot, template, from, userId);
}

/** A fresh form for a template: name prefilled, the caller as owner, the command's channel. */
function formView(
  bot: BotContext,
  template: Template,
  from: LaunchMeta,
  userId: string,
): ModalView {
  const channelId = from.channelId;
  return launchFormView({
    template,
    meta: { ...from, templateId: template.id, nonce: newNonce() },
    values: {
      name: defaultRunName(template.title, bot.now()),
      summary: from.summary ?? "",
      ownerSlackId: userId,
      tags: [],
      channelId,
    },
    answers: {},
    webUrl: bot.config.tallyfy.webUrl,
  });
}

async function pickerWithFailure(
  bot: BotContext,
  error: unknown,
  who: { teamId: string; userId: string },
  meta: LaunchMeta,
): Promise<ModalView> {
  const msg = await describeFailure(bot, error, { ...who, what: "launch" });
  return launchPickerView({ meta, notice: { tone: "error", text: msg.text } });
}

/** A template chosen in the picker or from the list of matches: show its form. */
type LaunchViewRef = { id: string; hash: string; private_metadata: string; callback_id: string };

export async function chooseTemplate(
  bot: BotContext,
  i: Interaction,
  view: LaunchViewRef | undefined,
  templateId: string | undefined,
): Promise<void> {
  if (!view) return;
  const seal = viewSealer(bot, i.userId);
  const metadata = openedMetadata(bot, i.userId, view);
  const meta = decodeLaunchMeta(metadata);
  const actor = await resolveActor(bot, i.teamId, i.userId);
  let next: Promise<ModalView>;
  if (metadata === undefined) {
    next = Promise.resolve(untrustedFormView(LAUNCH_TITLE));
  } else if (actor.kind === "not_connected") {
    next = Promise.resolve(
      launchPickerView({
        meta,
        notice: { tone: "warning", text: "Connect your Tallyfy account first: /tallyfy connect" },
      }),
    );
  } else if (!templateId) {
    next = Promise.resolve(launchPickerView({ meta }));
  } else {
    next = formFor(bot, actor.api, templateId, meta, i.userId).catch((error) =>
      pickerWithFailure(bot, error, i, meta),
    );
  }
  const loading = launchLoadingView("Loading the template's kick-off form…", meta);
  await updateWhenReady(i.client, view.id, view.hash, seal(loading), next.then(seal), bot.logger);
}
