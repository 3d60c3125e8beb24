/**
 * The connect modal's submissions. Step 1 checks the pasted token with Tallyfy inside the ack
 * window; one organization connects at once, several lead to step 2 (a select), with the token
 * kept server-side under a nonce. After connecting, the command that prompted it is carried out.
 */
import type { RespondArguments, RespondFn, ViewOutput } from "@slack/bolt";
import type { ModalView } from "@slack/types";
import { checkToken, connectionFor, looksLikeToken } from "../accounts/connect.ts";
import type { PendingTokens } from "../accounts/pending-tokens.ts";
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
} from "../blocks/accounts.ts";
import type { Connection } from "../store/store.ts";
import type { Organization, TallyfyUser } from "../tallyfy/schemas.ts";
import { dispatch } from "./commands.ts";
import type { Deps } from "./deps.ts";
import type { ModalOpeners } from "./modal-openers.ts";
import { answerSubmission, type SubmitOutcome } from "./modal-submit.ts";
import type { WebClient } from "./web-client.ts";

export interface ConnectDeps {
  deps: Deps;
  modals: ModalOpeners;
  pendingTokens: PendingTokens;
}

interface Who {
  teamId: string;
  userId: string;
}

interface PayloadBody {
  team: { id: string } | null;
  user: { id: string; team_id?: string };
}

interface SubmissionBody extends PayloadBody {
  trigger_id: string;
}

export interface ConnectSubmission {
  ack: (response?: Record<string, unknown>) => Promise<void>;
  body: SubmissionBody;
  view: ViewOutput;
  client: WebClient;
  startedAt: number;
}

type Step =
  | { kind: "errors"; errors: Record<string, string>; view: ModalView }
  | { kind: "view"; view: ModalView }
  | { kind: "connected"; connection: Connection };

const whoOf = (body: PayloadBody): Who => ({
  teamId: body.team?.id ?? body.user.team_id ?? "",
  userId: body.user.id,
});

export async function answerConnectSubmission(c: ConnectDeps, s: ConnectSubmission): Promise<void> {
  const who = whoOf(s.body);
  const meta = decodeConnectMeta(s.view.private_metadata);
  const work = (
    meta.step === "org" ? orgStep(c, who, s.view, meta) : tokenStep(c, who, s.view, meta)
  )
    .catch((error: unknown): Step => {
      c.deps.logger.error("connect failed", { userId: who.userId, error });
      const problem = "Something went wrong on my side and nothing was saved. Please try again.";
      // The organization step has no token input to hang the error on.
      if (meta.step === "org") {
        return {
          kind: "view",
          view: connectStoppedView(`:x: ${problem} Run \`/tallyfy connect\`.`),
        };
      }
      return tokenErrors(c.deps, meta, problem);
    })
    .then((step) => toOutcome(c, s, who, meta, step));
  await answerSubmission({
    ack: s.ack,
    client: s.client,
    viewId: s.view.id,
    startedAt: s.startedAt,
    pendingView: connectWorkingView(),
    work,
    logger: c.deps.logger,
  });
}

/** The person closed the organization step: forget the token they had pasted. */
export function forgetConnectView(
  tokens: PendingTokens,
  body: PayloadBody,
  view: ViewOutput,
): void {
  const meta = decodeConnectMeta(view.private_metadata);
  const who = whoOf(body);
  if (meta.nonce && tokens.get(meta.nonce, who.teamId, who.userId)) tokens.delete(meta.nonce);
}

function tokenErrors(deps: Deps, meta: ConnectMeta, message: string): Step {
  return {
    kind: "errors",
    errors: { [CONNECT.tokenBlock]: message },
    view: connectTokenView({
      webUrl: deps.config.tallyfy.webUrl,
      pendingId: meta.pendingId,
      problem: message,
    }),
  };
}

async function tokenStep(
  c: ConnectDeps,
  who: Who,
  view: ViewOutput,
  meta: ConnectMeta,
): Promise<Step> {
  const { deps } = c;
  if (!deps.config.encryptionKey) {
    return tokenErrors(
      deps,
      meta,
      "Connecting your own account isn't turned on for this workspace.",
    );
  }
  const token = (view.state.values[CONNECT.tokenBlock]?.[CONNECT.tokenAction]?.value ?? "").trim();
  if (!looksLikeToken(token)) {
    return tokenErrors(
      deps,
      meta,
      "That doesn't look like an access token. Copy it from Settings > Integrations > REST API in Tallyfy.",
    );
  }
  deps.secrets.register(token);
  const check = await checkToken(deps.tallyfy.me, token, deps.policies.interactive);
  switch (check.kind) {
    case "rejected":
      deps.logger.info("connect: Tallyfy rejected the pasted token", { userId: who.userId });
      return tokenErrors(
        deps,
        meta,
        "Tallyfy didn't accept this token. Copy it again from Settings > Integrations > REST API (logging out of Tallyfy replaces it).",
      );
    case "unavailable":
      deps.logger.warn("connect: could not check the token", { kind: check.error.kind });
      // Tallyfy's wording never carries the token, but make sure of it.
      return tokenErrors(
        deps,
        meta,
        `I couldn't check the token with Tallyfy: ${check.error.human}`.split(token).join("…"),
      );
    case "no_orgs":
      return tokenErrors(deps, meta, "This Tallyfy account doesn't belong to any organization.");
    case "ok":
      break;
  }
  const [only] = check.orgs;
  if (only && check.orgs.length === 1) return connect(deps, who, token, check.user, only);
  const nonce = c.pendingTokens.put({ ...who, token, user: check.user, orgs: check.orgs });
  return {
    kind: "view",
    view: connectOrgView({
      user: { name: check.user.full_name, email: check.user.email },
      orgs: check.orgs,
      nonce,
      pendingId: meta.pendingId,
      preferredOrgId: deps.config.tallyfy.shared?.orgId,
    }),
  };
}

async function orgStep(
  c: ConnectDeps,
  who: Who,
  view: ViewOutput,
  meta: ConnectMeta,
): Promise<Step> {
  const entry = meta.nonce ? c.pendingTokens.get(meta.nonce, who.teamId, who.userId) : undefined;
  if (!entry || !meta.nonce) return { kind: "view", view: connectStoppedView() };
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
        nonce: meta.nonce,
        pendingId: meta.pendingId,
      }),
    };
  }
  const step = await connect(c.deps, who, entry.token, entry.user, org);
  c.pendingTokens.delete(meta.nonce);
  return step;
}

async function connect(
  deps: Deps,
  who: Who,
  token: string,
  user: TallyfyUser,
  org: Organization,
): Promise<Step> {
  const previous = await deps.store.get(who.teamId, who.userId).catch(() => undefined);
  const connection = await deps.store.put(connectionFor(who, token, user, org));
  if (previous && previous.token !== token) deps.secrets.forget(previous.token);
  deps.logger.info("Tallyfy account connected", {
    userId: who.userId,
    tallyfyUserId: user.id,
    orgId: org.id,
  });
  return { kind: "connected", connection };
}

function toOutcome(
  c: ConnectDeps,
  s: ConnectSubmission,
  who: Who,
  meta: ConnectMeta,
  step: Step,
): SubmitOutcome {
  if (step.kind === "errors") return { errors: step.errors, view: step.view };
  if (step.kind === "view") return { view: step.view };
  const { connection } = step;
  // The command from this prompt, else the person's latest one still waiting.
  const pending =
    (meta.pendingId ? c.deps.pending.take(who.teamId, who.userId, meta.pendingId) : undefined) ??
    c.deps.pending.take(who.teamId, who.userId);
  const view = connectedView({
    user: { name: connection.tallyfyName, email: connection.tallyfyEmail },
    orgName: connection.orgName,
    orgId: connection.orgId,
    replaying: pending?.text,
  });
  if (!pending) return { view };
  const after = async () => {
    try {
      await dispatch(c.deps, c.modals, {
        ...who,
        channelId: pending.channelId,
        text: pending.text,
        triggerId: s.body.trigger_id,
        responseUrl: pending.responseUrl,
        respond: replayRespond(c.deps, s.client, { ...who, ...pending }),
        client: opensInPlace(s.client, s.view.id),
      });
    } catch (error) {
      c.deps.logger.error("replaying a command after connecting failed", {
        userId: who.userId,
        error,
      });
    }
    return undefined;
  };
  return { view, after };
}

/**
 * views.open right after a submission is unreliable in Slack's desktop clients, so a replayed
 * command that opens a modal (launch, edit) replaces the connect modal in place instead.
 */
export function opensInPlace(client: WebClient, viewId: string): WebClient {
  const views = new Proxy(client.views, {
    get(target, prop, receiver) {
      if (prop !== "open") return Reflect.get(target, prop, receiver);
      return (args: { view: ModalView }) => target.update({ view_id: viewId, view: args.view });
    },
  });
  return new Proxy(client, {
    get(target, prop, receiver) {
      return prop === "views" ? views : Reflect.get(target, prop, receiver);
    },
  });
}

/**
 * Answers a replayed command where it was asked: through the original command's response_url
 * when there is one, else as an ephemeral message (or a channel message for in_channel).
 */
export function replayRespond(
  deps: Deps,
  client: WebClient,
  where: { userId: string; channelId: string; responseUrl?: string | undefined },
): RespondFn {
  return async (message: string | RespondArguments) => {
    const msg: RespondArguments = typeof message === "string" ? { text: message } : message;
    const viaUrl = where.responseUrl
      ? await postResponseUrl(deps, where.responseUrl, msg)
      : undefined;
    if (viaUrl) return viaUrl;
    const blocks = (msg as { blocks?: unknown }).blocks as never;
    const args = { channel: where.channelId, text: msg.text ?? "", blocks };
    if (msg.response_type === "in_channel") await client.chat.postMessage(args);
    else await client.chat.postEphemeral({ ...args, user: where.userId });
    return new Response(null, { status: 200 });
  };
}

async function postResponseUrl(
  deps: Deps,
  url: string,
  msg: RespondArguments,
): Promise<Response | undefined> {
  try {
    const res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(msg),
      signal: AbortSignal.timeout(5_000),
    });
    if (res.ok) return res;
    // The URL is a capability: log only the status.
    deps.logger.warn("response_url refused a replayed reply; posting ephemerally", {
      status: res.status,
    });
  } catch (error) {
    deps.logger.warn("response_url unreachable; posting ephemerally", {
      error: (error as Error).name,
    });
  }
  return undefined;
}
