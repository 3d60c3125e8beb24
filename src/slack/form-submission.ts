/**
 * The one pipeline every modal form sent to Tallyfy goes through (launch, edit; next, task
 * forms): decode the form, answer inside Slack's 3 s or show a working view, check the
 * person's connection, let the flow validate, claim the submission once, call Tallyfy, put
 * Tallyfy's errors on the right inputs, and never lose what was typed.
 */
import type { SlackViewMiddlewareArgs, ViewOutput, ViewSubmitAction } from "@slack/bolt";
import type { ModalView } from "@slack/types";
import { type Actor, resolveActor } from "../accounts/actor.ts";
import { untrustedFormView } from "../blocks/modals/modal.ts";
import { type FormTargets, mapValidationError } from "../blocks/modals/validation-map.ts";
import { tallyfyErrorText } from "../blocks/notices.ts";
import { mrkdwnText } from "../blocks/text.ts";
import { TallyfyError, TallyfyValidationError } from "../tallyfy/errors.ts";
import type { BotContext } from "./context.ts";
import { errorsNotice, failureNotice, type Notice, resubmittable } from "./form-errors.ts";
import { type Interaction, payloadInteraction } from "./interaction.ts";
import { openedMetadata, viewSealer } from "./sealed-metadata.ts";
import { answerSubmission, type SubmitOutcome } from "./submission.ts";
import type { WebClient } from "./web-client.ts";

/** A submitted form, with the person acting and the Tallyfy rights they act with. */
export interface FormSubmission<Meta> {
  what: string;
  interaction: Interaction;
  view: ViewOutput;
  body: ViewSubmitAction;
  meta: Meta;
  actor: Actor;
}

export interface FormSpec<Meta> {
  /** For logs and failure messages: "launch", "edit". */
  what: string;
  /**
   * The form's private_metadata, already checked against its seal (src/slack/sealed-metadata.ts);
   * undefined: ack and ignore the submission.
   */
  decode(metadata: string, view: ViewOutput): Meta | undefined;
  /** Shown when Tallyfy is slower than the ack window ("Launching …"). */
  workingView(view: ViewOutput, meta: Meta): ModalView;
  /** "submit" or "save": what to do again after connecting. */
  again: string;
  /** The process a failure message names, if any. */
  runRef?: (meta: Meta) => string | undefined;
  /** The flow: validate, call Tallyfy (through `callOnce`), and say what happened. */
  submit(bot: BotContext, form: FormSubmission<Meta>): Promise<SubmitOutcome>;
}

type ViewArgs = SlackViewMiddlewareArgs<ViewSubmitAction> & { client: WebClient };

/** The Bolt view_submission listener for a form. */
export function formListener<Meta>(bot: BotContext, spec: FormSpec<Meta>) {
  return async ({ ack, body, view, client }: ViewArgs): Promise<void> => {
    const startedAt = Date.now();
    const metadata = openedMetadata(bot, body.user.id, view);
    if (metadata === undefined) {
      // Unsigned or altered: nothing in it can say which run to change or where to post.
      bot.logger.warn(`${spec.what} form refused: private_metadata failed its seal`, {
        userId: body.user.id,
      });
      await ack({ response_action: "update", view: untrustedFormView(view.title.text) } as never);
      return;
    }
    const meta = spec.decode(metadata, view);
    if (meta === undefined) {
      await ack();
      return;
    }
    const seal = viewSealer(bot, body.user.id);
    const work = runForm(bot, spec, payloadInteraction(bot, body, client), body, meta).then(
      (outcome): SubmitOutcome => {
        const after = outcome.after;
        return {
          ...outcome,
          view: seal(outcome.view),
          after:
            after &&
            (async () => {
              const next = await after();
              return next && seal(next);
            }),
        };
      },
    );
    await answerSubmission({
      ack: ack as never,
      client,
      viewId: view.id,
      startedAt,
      pendingView: seal(spec.workingView(view, meta)),
      work,
      logger: bot.logger,
    });
  };
}

/** Never rejects: every failure becomes a view that keeps what the person typed. */
async function runForm<Meta>(
  bot: BotContext,
  spec: FormSpec<Meta>,
  interaction: Interaction,
  body: ViewSubmitAction,
  meta: Meta,
): Promise<SubmitOutcome> {
  const { teamId, userId } = interaction;
  try {
    const actor = await resolveActor(bot, teamId, userId);
    if (actor.kind === "not_connected") {
      const text = `Connect your Tallyfy account first: type \`/tallyfy connect\`, then ${spec.again} again.`;
      return { view: resubmittable(body.view, { tone: "warning", mrkdwn: text }) };
    }
    const form = { what: spec.what, interaction, view: body.view, body, meta, actor };
    return await spec.submit(bot, form);
  } catch (error) {
    const ctx = { teamId, userId, runRef: spec.runRef?.(meta), what: spec.what };
    return { view: resubmittable(body.view, await failureNotice(bot, error, ctx)) };
  }
}

/** Problems found before calling Tallyfy, on their inputs; undefined when there are none. */
export function inputErrors(
  form: FormSubmission<unknown>,
  errors: Record<string, string>,
  render: (notice: Notice) => ModalView,
): SubmitOutcome | undefined {
  if (Object.keys(errors).length === 0) return undefined;
  return { errors, view: render(errorsNotice(errors, form.view.blocks)) };
}

export interface TallyfyCall<T> {
  /** The form render's nonce: a repeated submit of the same render shares one call. */
  nonce: string | undefined;
  call: () => Promise<T>;
  /** Where Tallyfy's validation errors go on this form. */
  targets: FormTargets;
  /** "Tallyfy didn't accept the launch", for errors that name no input. */
  refused: string;
  runRef?: string | undefined;
  /** The form again with a notice (a new render: Tallyfy changed nothing). */
  render: (notice: Notice) => ModalView;
  /**
   * The form again after a failure that may have applied (a reset or a 504 after the request
   * was sent), for a call that checks before it tries again. Without it, such a failure keeps
   * the claim: the same render never calls Tallyfy again.
   */
  uncertain?: (() => ModalView) | undefined;
}

export type CallResult<T> =
  | { ok: true; value: T; first: boolean }
  | { ok: false; outcome: SubmitOutcome };

/**
 * Claims the submission and calls Tallyfy once. `first` is false for a repeated submit that
 * shares an earlier call (its follow-up work, such as posting a card, is already done).
 */
export async function callOnce<T>(
  bot: BotContext,
  form: FormSubmission<unknown>,
  c: TallyfyCall<T>,
): Promise<CallResult<T>> {
  const { teamId, userId } = form.interaction;
  const key = `${form.what}:${teamId}:${userId}:${c.nonce ?? form.view.id}`;
  const { promise, first } = bot.claims.run(key, c.call);
  try {
    return { ok: true, value: await promise, first };
  } catch (error) {
    const uncertain = error instanceof TallyfyError && error.mayHaveApplied;
    // Certainly nothing was changed: the same form may be submitted again.
    if (!uncertain) bot.claims.forget(key);
    if (uncertain && c.uncertain) {
      bot.logger.warn(`${form.what} may have applied`, {
        kind: error.kind,
        status: error.status,
        requestId: error.requestId,
      });
      return { ok: false, outcome: { view: c.uncertain() } };
    }
    if (error instanceof TallyfyValidationError) {
      const mapped = mapValidationError(error, c.targets);
      const general = mapped.general.map((m) => mrkdwnText(m, 500)).join(" ");
      const notice: Notice = general
        ? { tone: "error", mrkdwn: `${c.refused}: ${general}` }
        : errorsNotice(mapped.errors, form.view.blocks);
      const onInputs = !general && Object.keys(mapped.errors).length > 0;
      const view = c.render(notice);
      return { ok: false, outcome: onInputs ? { errors: mapped.errors, view } : { view } };
    }
    if (error instanceof TallyfyError) {
      bot.logger.warn(`${form.what} failed`, {
        kind: error.kind,
        status: error.status,
        requestId: error.requestId,
      });
      const mrkdwn = tallyfyErrorText(error, { runRef: c.runRef });
      return { ok: false, outcome: { view: c.render({ tone: "error", mrkdwn }) } };
    }
    throw error;
  }
}
