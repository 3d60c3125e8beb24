import type { Config } from "../config.ts";
import type { Connection, ConnectionStore } from "../store/store.ts";
import type { Tallyfy, TallyfyApi } from "../tallyfy/api.ts";

/** Whose Tallyfy rights an action uses. */
export type Actor =
  | { kind: "user"; api: TallyfyApi; connection: Connection }
  | { kind: "shared"; api: TallyfyApi };

export type ActorResult = Actor | { kind: "not_connected"; invalid: boolean };

/**
 * A user's own connection wins; without one, the workspace connection when configured and
 * allowed. An invalidated personal token never falls back to the shared one: the person must
 * reconnect, so an action is never silently taken with someone else's rights.
 */
export async function resolveActor(
  deps: { config: Config; store: ConnectionStore; tallyfy: Tallyfy },
  teamId: string,
  userId: string,
): Promise<ActorResult> {
  const own = await deps.store.get(teamId, userId);
  if (own?.status === "ok") {
    return {
      kind: "user",
      api: deps.tallyfy.forConnection({ token: own.token, orgId: own.orgId }),
      connection: own,
    };
  }
  if (own?.status === "invalid") return { kind: "not_connected", invalid: true };
  const shared = deps.config.tallyfy.shared;
  if (shared && deps.config.tallyfy.allowShared) {
    return { kind: "shared", api: deps.tallyfy.forConnection(shared) };
  }
  return { kind: "not_connected", invalid: false };
}
