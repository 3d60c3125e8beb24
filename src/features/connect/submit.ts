/**
 * The connect modal's submissions. Step 1 checks the pasted token with Tallyfy inside the ack
 * window; one organization connects at once, several lead to step 2 (a select), with the token
 * kept server-side under a nonce. After connecting, the command that prompted it is carried out.
 */
import type { ViewOutput } from "@slack/bolt";
import type { ModalView } from "@slack/types";
import { checkToken, connectionFor, looksLikeToken } from "../../accounts/connect.ts";
import {
  CONNECT,
  type ConnectMeta,
  connectedView,
  connectOrgView,
  connectStoppedView,
  connectTokenView,
  connectWorkingView,
  decodeConnectMeta,
  orgFromValue,
} from "../../blocks/accounts.ts";
import type { BotContext } from "../../slack/context.ts";
import type { Interaction } from "../../slack/interaction.ts";
import { answerSubmission, type SubmitOutcome } from "../../slack/submission.ts";
import type { Connection } from "../../store/store.ts";
import type { Organization, TallyfyUser } from "../../tallyfy/schemas.ts";
import { replayAfterConnecting } from "./replay.ts";

type Who = Pick<Interaction, "teamId" | "userId">;

export interface ConnectSubmission {
  ack: (response?: Record<string, unknown>) => Promise<void>;
  interaction: Interaction;
  view: ViewOutput;
  startedAt: number;
}

type Step =
  | { kind: "errors"; errors: Record<string, string>; view: ModalView }
  | { kind: "view"; view: ModalView }
  | { kind: "connected"; connection: Connection };

export async function answerConnectSubmission(
  bot: BotContext,
  s: ConnectSubmission,
): Promise<void> {
  const who = s.interaction;
  const meta = decodeConnectMeta(s.view.private_metadata);
  const work = (
    meta.step === "org" ? orgStep(bot, who, s.view, meta) : tokenStep(bot, who, s.view, meta)
  )
    .catch((error: unknown): Step => {
      bot.logger.error("connect failed", { userId: who.userId, error });
      const problem = "Something went wrong on my side and nothing was saved. Please try again.";
      // The organization step has no token input to hang the error on.
      if (meta.step === "org") {
        return {
          kind: "view",
          view: connectStoppedView(`:x: ${problem} Run \`/tallyfy connect\`.`),
        };
      }
      return tokenErrors(bot, meta, problem);
    })
    .then((step) => toOutcome(bot, s, meta, step));
  await answerSubmission({
    ack: s.ack,
    client: s.interaction.client,
    viewId: s.view.id,
    startedAt: s.startedAt,
    pendingView: connectWorkingView(),
    work,
    logger: bot.logger,
  });
}

/** The person closed the organization step: forget the token they had pasted. */
export async function forgetConnectView(
  bot: BotContext,
  who: Who,
  view: ViewOutput,
): Promise<void> {
  const meta = decodeConnectMeta(view.private_metadata);
  if (meta.nonce) await bot.pendingTokens.take(meta.nonce, who.teamId, who.userId);
}

function tokenErrors(bot: BotContext, meta: ConnectMeta, message: string): Step {
  return {
    kind: "errors",
    errors: { [CONNECT.tokenBlock]: message },
    view: connectTokenView({
      webUrl: bot.config.tallyfy.webUrl,
      pendingId: meta.pendingId,
      problem: message,
    }),
  };
}

async function tokenStep(
  bot: BotContext,
  who: Who,
  view: ViewOutput,
  meta: ConnectMeta,
): Promise<Step> {
  if (!bot.config.encryptionKey) {
    return tokenErrors(
      bot,
      meta,
      "Connecting your own account isn't turned on for this workspace.",
    );
  }
  const token = (view.state.values[CONNECT.tokenBlock]?.[CONNECT.tokenAction]?.value ?? "").trim();
  if (!looksLikeToken(token)) {
    return tokenErrors(
      bot,
      meta,
      "That doesn't look like an access token. Copy it from Settings > Integrations > REST API in Tallyfy.",
    );
  }
  bot.secrets.register(token);
  const check = await checkToken(bot.tallyfy.me, token, bot.policies.interactive);
  switch (check.kind) {
    case "rejected":
      bot.logger.info("connect: Tallyfy rejected the pasted token", { userId: who.userId });
      return tokenErrors(
        bot,
        meta,
        "Tallyfy didn't accept this token. Copy it again from Settings > Integrations > REST API (logging out of Tallyfy replaces it).",
      );
    case "unavailable":
      bot.logger.warn("connect: could not check the token", { kind: check.error.kind });
      // Tallyfy's wording never carries the token, but make sure of it.
      return tokenErrors(
        bot,
        meta,
        `I couldn't check the token with Tallyfy: ${check.error.human}`.split(token).join("…"),
      );
    case "no_orgs":
      return tokenErrors(bot, meta, "This Tallyfy account doesn't belong to any organization.");
    case "ok":
      break;
  }
  const [only] = check.orgs;
  if (only && check.orgs.length === 1) return connect(bot, who, token, check.user, only);
  const nonce = await bot.pendingTokens.put({ ...who, token, user: check.user, orgs: check.orgs });
  return {
    kind: "view",
    view: connectOrgView({
      user: { name: check.user.full_name, email: check.user.email },
      orgs: check.orgs,
      nonce,
      pendingId: meta.pendingId,
      preferredOrgId: bot.config.tallyfy.shared?.orgId,
    }),
  };
}

async function orgStep(
  bot: BotContext,
  who: Who,
  view: ViewOutput,
  meta: ConnectMeta,
): Promise<Step> {
  // Taken, not read: of two submits reaching two instances only one connects.
  const entry = meta.nonce
    ? await bot.pendingTokens.take(meta.nonce, who.teamId, who.userId)
    : undefined;
  if (!entry) return { kind: "view", view: connectStoppedView() };
  const value = view.state.values[CONNECT.orgBlock]?.[CONNECT.orgAction]?.selected_option?.value;
  const org = value ? orgFromValue(entry.orgs, value) : undefined;
  if (!org) {
    const message = "Choose one of the listed organizations.";
    return {
      kind: "errors",
      errors: { [CONNECT.orgBlock]: message },
      view: connectOrgView({
        user: { name: entry.user.full_name, email: entry.user.email },
        orgs: entry.orgs,
        nonce: await bot.pendingTokens.put(entry, meta.nonce),
        pendingId: meta.pendingId,
      }),
    };
  }
  return connect(bot, who, entry.token, entry.user, org);
}

async function connect(
  bot: BotContext,
  who: Who,
  token: string,
  user: TallyfyUser,
  org: Organization,
): Promise<Step> {
  const previous = await bot.store.get(who.teamId, who.userId).catch(() => undefined);
  const connection = await bot.store.put(connectionFor(who, token, user, org));
  if (previous && previous.token !== token) bot.secrets.forget(previous.token);
  bot.logger.info("Tallyfy account connected", {
    userId: who.userId,
    tallyfyUserId: user.id,
    orgId: org.id,
  });
  return { kind: "connected", connection };
}

async function toOutcome(
  bot: BotContext,
  s: ConnectSubmission,
  meta: ConnectMeta,
  step: Step,
): Promise<SubmitOutcome> {
  if (step.kind === "errors") return { errors: step.errors, view: step.view };
  if (step.kind === "view") return { view: step.view };
  const { connection } = step;
  const { teamId, userId } = s.interaction;
  const pending = await takeReplay(bot, teamId, userId, meta.pendingId).catch((error: unknown) => {
    // Connected either way: a store failure here only costs the replay.
    bot.logger.warn("could not take the command to replay after connecting", { userId, error });
    return undefined;
  });
  const view = connectedView({
    user: { name: connection.tallyfyName, email: connection.tallyfyEmail },
    orgName: connection.orgName,
    orgId: connection.orgId,
    replaying: pending?.text,
  });
  if (!pending) return { view };
  return { view, after: () => replayAfterConnecting(bot, s.interaction, s.view.id, pending) };
}

/** The command from this prompt, else the person's latest one still waiting (taken once). */
async function takeReplay(bot: BotContext, teamId: string, userId: string, pendingId?: string) {
  const fromPrompt = pendingId ? await bot.pending.take(teamId, userId, pendingId) : undefined;
  return fromPrompt ?? (await bot.pending.take(teamId, userId));
}
