import type { App, ViewClosedAction, ViewSubmitAction } from "@slack/bolt";
import { createPendingTokens, type PendingTokens } from "../accounts/pending-tokens.ts";
import {
  connectDisabledNotice,
  connectTokenView,
  noTriggerNotice,
  renderDisconnected,
  renderWhoami,
  type WhoamiState,
} from "../blocks/accounts.ts";
import { VIEW } from "../blocks/ids.ts";
import { renderNotice } from "../blocks/notices.ts";
import { isTallyfyError } from "../tallyfy/errors.ts";
import type { CommandContext } from "./commands.ts";
import { answerConnectSubmission, forgetConnectView } from "./connect-submit.ts";
import type { Deps } from "./deps.ts";
import type { ModalOpeners } from "./modal-openers.ts";

/** Checked tokens waiting for an organization choice, per bot instance (never in Slack). */
const pendingTokensByDeps = new WeakMap<Deps, PendingTokens>();

export function pendingTokensOf(deps: Deps): PendingTokens {
  let found = pendingTokensByDeps.get(deps);
  if (!found) {
    found = createPendingTokens();
    pendingTokensByDeps.set(deps, found);
  }
  return found;
}

/** Per-user connections need somewhere safe to keep tokens: TOKEN_ENCRYPTION_KEY. */
export function perUserEnabled(deps: Deps): boolean {
  return deps.config.encryptionKey !== undefined;
}

/** The workspace connection applies to people without their own. */
export function sharedAllowed(deps: Deps): boolean {
  return Boolean(deps.config.tallyfy.shared && deps.config.tallyfy.allowShared);
}

type Reply = { text: string; blocks: unknown[] };

async function reply(ctx: Pick<CommandContext, "respond">, msg: Reply) {
  await ctx.respond({
    response_type: "ephemeral",
    replace_original: false,
    text: msg.text,
    blocks: msg.blocks as never,
  });
}

/** `all` gives access to the other openers (to replay a pending launch after connecting). */
export function createAccountOpeners(
  deps: Deps,
  _all: () => ModalOpeners,
): Pick<ModalOpeners, "connect" | "disconnect" | "whoami"> {
  return {
    async connect(ctx, pendingId) {
      if (!perUserEnabled(deps)) {
        await reply(ctx, connectDisabledNotice({ sharedAllowed: sharedAllowed(deps) }));
        return;
      }
      if (!ctx.triggerId) {
        await reply(ctx, noTriggerNotice());
        return;
      }
      // The trigger id expires 3 s after the click: open first, before any other work.
      const view = connectTokenView({ webUrl: deps.config.tallyfy.webUrl, pendingId });
      try {
        await ctx.client.views.open({ trigger_id: ctx.triggerId, view });
      } catch (error) {
        deps.logger.warn("views.open for connect failed", { error: (error as Error).message });
        await reply(
          ctx,
          renderNotice(
            "warning",
            "Slack didn't let me open the connect window in time. Please run `/tallyfy connect` again.",
          ),
        );
      }
    },

    async disconnect(ctx) {
      try {
        const old = await deps.store.get(ctx.teamId, ctx.userId).catch(() => undefined);
        const removed = await deps.store.delete(ctx.teamId, ctx.userId);
        deps.secrets.forget(old?.token);
        pendingTokensOf(deps).dropUser(ctx.teamId, ctx.userId);
        deps.logger.info("Tallyfy connection removed", { userId: ctx.userId, removed });
        await reply(ctx, renderDisconnected({ removed, sharedAllowed: sharedAllowed(deps) }));
      } catch (error) {
        deps.logger.error("disconnect failed", { userId: ctx.userId, error });
        await reply(
          ctx,
          renderNotice("error", "I couldn't remove your connection. Please try again."),
        );
      }
    },

    async whoami(ctx) {
      try {
        await reply(ctx, renderWhoami(await whoamiState(deps, ctx.teamId, ctx.userId)));
      } catch (error) {
        deps.logger.error("whoami failed", { userId: ctx.userId, error });
        await reply(ctx, renderNotice("error", "Something went wrong on my side, sorry."));
      }
    },
  };
}

async function whoamiState(deps: Deps, teamId: string, userId: string): Promise<WhoamiState> {
  const own = await deps.store.get(teamId, userId);
  if (own?.status === "ok") {
    return {
      kind: "user",
      user: { name: own.tallyfyName, email: own.tallyfyEmail },
      orgName: own.orgName,
      orgId: own.orgId,
      since: own.createdAt,
    };
  }
  const shared = deps.config.tallyfy.shared;
  if (own?.status === "invalid" || !shared || !deps.config.tallyfy.allowShared) {
    return { kind: "none", invalid: own?.status === "invalid" };
  }
  const base = {
    kind: "shared" as const,
    orgId: shared.orgId,
    perUserEnabled: perUserEnabled(deps),
  };
  const opts = { policy: deps.policies.background };
  try {
    const [user, orgs] = await Promise.all([
      deps.tallyfy.me.me(shared.token, opts),
      deps.tallyfy.me.organizations(shared.token, opts),
    ]);
    const org = orgs.find((o) => o.id === shared.orgId);
    return { ...base, user: { name: user.full_name, email: user.email }, orgName: org?.name };
  } catch (error) {
    if (!isTallyfyError(error)) throw error;
    deps.logger.warn("whoami: could not look up the workspace connection", { kind: error.kind });
    const problem =
      error.kind === "authentication"
        ? "Tallyfy rejected the workspace connection's token. Ask whoever runs this bot to renew TALLYFY_ACCESS_TOKEN."
        : "I couldn't ask Tallyfy who that account is right now.";
    return { ...base, problem };
  }
}

/** Listeners for the connect modal (token step, organization step, closing). */
export function register(app: App, deps: Deps, modals: ModalOpeners): void {
  app.view<ViewSubmitAction>(VIEW.connect, async ({ ack, body, view, client }) => {
    await answerConnectSubmission(
      { deps, modals, pendingTokens: pendingTokensOf(deps) },
      { ack: (r) => ack(r as never), body, view, client, startedAt: Date.now() },
    );
  });
  app.view<ViewClosedAction>(
    { callback_id: VIEW.connect, type: "view_closed" },
    async ({ ack, body, view }) => {
      await ack();
      forgetConnectView(pendingTokensOf(deps), body, view);
    },
  );
}
