import type { ConnectionInput } from "../store/store.ts";
import type { CallPolicy, MeService } from "../tallyfy/api.ts";
import { isTallyfyError, type TallyfyError } from "../tallyfy/errors.ts";
import type { Organization, TallyfyUser } from "../tallyfy/schemas.ts";

/** What checking a pasted token with `GET /me` and `GET /me/organizations` found. */
export type TokenCheck =
  | { kind: "ok"; user: TallyfyUser; orgs: Organization[] }
  /** Tallyfy refused the token (401/403): wrong, expired, or invalidated by a logout. */
  | { kind: "rejected" }
  | { kind: "no_orgs"; user: TallyfyUser }
  /** Tallyfy could not be asked (timeout, 5xx, 429…): nothing is known about the token. */
  | { kind: "unavailable"; error: TallyfyError };

/** Printable ASCII without spaces, of a sane length: anything else is a paste accident. */
export function looksLikeToken(token: string): boolean {
  return token.length >= 8 && token.length <= 4096 && /^[\x21-\x7e]+$/.test(token);
}

export async function checkToken(
  me: MeService,
  token: string,
  policy: CallPolicy,
): Promise<TokenCheck> {
  try {
    const [user, orgs] = await Promise.all([
      me.me(token, { policy }),
      me.organizations(token, { policy }),
    ]);
    return orgs.length === 0 ? { kind: "no_orgs", user } : { kind: "ok", user, orgs };
  } catch (error) {
    if (!isTallyfyError(error)) throw error;
    if (error.kind === "authentication" || error.kind === "forbidden") return { kind: "rejected" };
    return { kind: "unavailable", error };
  }
}

export function connectionFor(
  slack: { teamId: string; userId: string },
  token: string,
  user: TallyfyUser,
  org: Organization,
): ConnectionInput {
  return {
    teamId: slack.teamId,
    userId: slack.userId,
    token,
    orgId: org.id,
    orgName: org.name,
    tallyfyUserId: user.id,
    tallyfyEmail: user.email,
    tallyfyName: user.full_name,
  };
}
