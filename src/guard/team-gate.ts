import type { AnyMiddlewareArgs, Middleware } from "@slack/bolt";
import type { Logger } from "../log.ts";
import type { Installation } from "../slack-api/installation.ts";

export const NOT_AVAILABLE =
  "Sorry, this app is not available to your organization. Nothing was changed.";

/** Who a request comes from, as far as the payload says. */
export interface Origin {
  teamIds: string[];
  enterpriseIds: string[];
}

// biome-ignore lint/suspicious/noExplicitAny: Slack bodies of every kind, read defensively
type Body = Record<string, any>;

const str = (v: unknown): v is string => typeof v === "string" && v !== "";

/** Every team and enterprise id a command, interaction or event names for its sender. */
export function originOf(body: Body): Origin {
  const teamIds = [body.team?.id, body.user?.team_id, body.team_id, body.event?.user_team];
  const enterpriseIds = [
    body.enterprise?.id,
    body.enterprise_id,
    body.user?.enterprise_id,
    body.event?.user_enterprise,
  ];
  return { teamIds: teamIds.filter(str), enterpriseIds: enterpriseIds.filter(str) };
}

/**
 * A member of the installed workspace: every team id the payload names is the installed one
 * (a Slack Connect guest clicking in a shared channel carries their own `user.team_id`). In an
 * Enterprise Grid org, members of its other workspaces count too: every enterprise id named
 * is the installed org's, and there is at least one.
 */
export function isMember(installed: Installation, origin: Origin): boolean {
  const sameEnterprise = origin.enterpriseIds.every((e) => e === installed.enterpriseId);
  if (!sameEnterprise) return false;
  if (installed.enterpriseId && origin.enterpriseIds.length > 0) return true;
  return origin.teamIds.length > 0 && origin.teamIds.every((t) => t === installed.teamId);
}

function notAvailableView() {
  return {
    type: "modal" as const,
    title: { type: "plain_text" as const, text: "Tallyfy" },
    close: { type: "plain_text" as const, text: "Close" },
    blocks: [{ type: "section", text: { type: "plain_text", text: NOT_AVAILABLE } }],
  };
}

/**
 * Global middleware, first in the chain: requests from outside the installed workspace (or its
 * Enterprise Grid org) get a polite refusal in the form each kind allows, and reach no listener,
 * so no Tallyfy call and no connection lookup is ever made for them.
 */
export function teamGate(opts: {
  installation: () => Promise<Installation>;
  logger: Logger;
}): Middleware<AnyMiddlewareArgs> {
  return async (args) => {
    const body = args.body as Body;
    const origin = originOf(body);
    if (isMember(await opts.installation(), origin)) {
      await args.next();
      return;
    }
    const type = typeof body.command === "string" ? "command" : String(body.type);
    opts.logger.warn("refused a request from outside the installed workspace", {
      type,
      teams: origin.teamIds,
      enterprises: origin.enterpriseIds,
      userId: body.user?.id ?? body.user_id,
    });
    // biome-ignore lint/suspicious/noExplicitAny: each kind's ack takes its own answer
    const ack = "ack" in args ? (args.ack as (answer?: any) => Promise<void>) : undefined;
    if (!ack) return; // events: Bolt has acknowledged them already
    if (type === "command") {
      await ack({ response_type: "ephemeral", text: NOT_AVAILABLE });
    } else if (type === "view_submission") {
      await ack({ response_action: "update", view: notAvailableView() });
    } else if (type === "block_suggestion") {
      await ack({ options: [] });
    } else {
      await ack();
      const respond = "respond" in args ? args.respond : undefined;
      if ((type === "block_actions" || type === "message_action") && respond) {
        await respond({ response_type: "ephemeral", replace_original: false, text: NOT_AVAILABLE })
          .then(() => undefined)
          .catch((error: unknown) => {
            opts.logger.warn("could not tell an outsider the app is not available", {
              error: (error as Error).message,
            });
          });
      }
    }
  };
}
