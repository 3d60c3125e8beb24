/**
 * `/tallyfy launch [words]`: a modal opened at once (picker or "Looking…"), the chosen
 * template's kick-off form, and the submission that launches the process and posts its card.
 */
import type {
  App,
  BlockAction,
  ButtonAction,
  ExternalSelectAction,
  ViewSubmitAction,
} from "@slack/bolt";
import type { ModalView } from "@slack/types";
import { type Actor, resolveActor } from "../accounts/actor.ts";
import { ACTION, VIEW } from "../blocks/ids.ts";
import {
  decodeLaunchMeta,
  defaultRunName,
  type LaunchMeta,
  launchFormView,
  launchingView,
  launchLoadingView,
  launchPickerView,
} from "../blocks/modals/launch-views.ts";
import { readRunForm } from "../blocks/modals/run-form.ts";
import { mrkdwnText } from "../blocks/text.ts";
import { BACKGROUND, type TallyfyApi } from "../tallyfy/api.ts";
import { actorOrPrompt } from "./actor-gate.ts";
import type { CommandContext } from "./commands.ts";
import type { Deps } from "./deps.ts";
import { submitLaunch } from "./launch-submit.ts";
import { newNonce, openModal, updateModal, updateWhenReady } from "./modal-io.ts";
import type { ModalOpeners } from "./modal-openers.ts";
import { answerSubmission } from "./modal-submit.ts";
import { describeFailure } from "./reply.ts";
import type { WebClient } from "./web-client.ts";

/** Slack sends &, < and > in command text as entities. */
function unescapeSlack(text: string): string {
  return text.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
}

export function createLaunchOpener(deps: Deps): ModalOpeners["launch"] {
  return async (ctx, args) => {
    const replay = { text: ctx.text || `launch ${args}`.trim(), channelId: ctx.channelId };
    const actor = await actorOrPrompt(deps, { ...ctx, replay });
    if (!actor) return;
    const query = unescapeSlack(args).trim();
    const meta: LaunchMeta = { channelId: ctx.channelId };
    const first = query
      ? launchLoadingView(`Looking for templates matching “${mrkdwnText(query, 200)}”…`, meta)
      : launchPickerView({ meta });
    const opened = await openModal(ctx, first, deps.logger);
    if (!opened || !query) return;
    const view = await viewForQuery(deps, actor, ctx, query).catch((error: unknown) =>
      pickerWithFailure(deps, error, ctx, meta),
    );
    await updateModal(ctx.client, opened.id, opened.hash, view, deps.logger);
  };
}

/** One clear match opens its form; several are listed; none says so. */
async function viewForQuery(
  deps: Deps,
  actor: Actor,
  ctx: CommandContext,
  query: string,
): Promise<ModalView> {
  const meta: LaunchMeta = { channelId: ctx.channelId };
  const page = await actor.api.templates.search(query, { perPage: 25 }, { policy: BACKGROUND });
  const live = page.items.filter((t) => !t.archived_at);
  const wanted = query.toLowerCase();
  const exact = live.filter((t) => t.title.trim().toLowerCase() === wanted);
  const only = exact.length === 1 ? exact[0] : live.length === 1 ? live[0] : undefined;
  if (only) return formFor(deps, actor.api, only.id, ctx.channelId, ctx.userId);
  return launchPickerView({ meta, query, matches: exact.length > 1 ? exact : live });
}

/** A fresh form for a template: name prefilled, the caller as owner, the command's channel. */
export async function formFor(
  deps: Deps,
  api: TallyfyApi,
  templateId: string,
  channelId: string | undefined,
  userId: string,
): Promise<ModalView> {
  const template = await api.templates.get(templateId, { policy: BACKGROUND });
  return launchFormView({
    template,
    meta: { templateId: template.id, channelId, nonce: newNonce() },
    values: {
      name: defaultRunName(template.title, deps.now()),
      summary: "",
      ownerSlackId: userId,
      tags: [],
      channelId,
    },
    answers: {},
    webUrl: deps.config.tallyfy.webUrl,
  });
}

async function pickerWithFailure(
  deps: Deps,
  error: unknown,
  who: { teamId: string; userId: string },
  meta: LaunchMeta,
): Promise<ModalView> {
  const msg = await describeFailure(deps, error, { ...who, what: "launch" });
  return launchPickerView({ meta, notice: { tone: "error", text: msg.text } });
}

type PickArgs = { body: BlockAction; client: WebClient };

/** A template chosen in the picker or from the list of matches: show its form. */
async function chooseTemplate(
  deps: Deps,
  { body, client }: PickArgs,
  templateId: string | undefined,
) {
  const view = body.view;
  if (!view) return;
  const meta = decodeLaunchMeta(view.private_metadata);
  const who = { teamId: body.team?.id ?? body.user.team_id ?? "", userId: body.user.id };
  const actor = await resolveActor(deps, who.teamId, who.userId);
  let next: Promise<ModalView>;
  if (actor.kind === "not_connected") {
    next = Promise.resolve(
      launchPickerView({
        meta,
        notice: { tone: "warning", text: "Connect your Tallyfy account first: /tallyfy connect" },
      }),
    );
  } else if (!templateId) {
    next = Promise.resolve(launchPickerView({ meta }));
  } else {
    next = formFor(deps, actor.api, templateId, meta.channelId, who.userId).catch((error) =>
      pickerWithFailure(deps, error, who, meta),
    );
  }
  const loading = launchLoadingView("Loading the template's kick-off form…", meta);
  await updateWhenReady(client, view.id, view.hash, loading, next, deps.logger);
}

export function registerLaunch(app: App, deps: Deps): void {
  app.action<BlockAction<ExternalSelectAction>>(ACTION.launchTemplate, async (args) => {
    await args.ack();
    await chooseTemplate(deps, args, args.action.selected_option?.value);
  });

  app.action<BlockAction<ButtonAction>>(ACTION.launchPickMatch, async (args) => {
    await args.ack();
    await chooseTemplate(deps, args, args.action.value);
  });

  // "Open in Tallyfy" link buttons in modals: Slack still sends the click.
  app.action(ACTION.modalLink, async ({ ack }) => {
    await ack();
  });

  app.view<ViewSubmitAction>(VIEW.launch, async ({ ack, body, view, client }) => {
    const startedAt = Date.now();
    const meta = decodeLaunchMeta(view.private_metadata);
    if (!meta.templateId) {
      await ack();
      return;
    }
    const typed = readRunForm(view.state.values, { nameKey: meta.templateId }).values.name;
    await answerSubmission({
      ack: ack as never,
      client,
      viewId: view.id,
      startedAt,
      pendingView: launchingView(typed || "the process"),
      work: submitLaunch(deps, client, body, { ...meta, templateId: meta.templateId }),
      logger: deps.logger,
    });
  });
}
