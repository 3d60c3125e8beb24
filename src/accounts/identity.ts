import type { PersonRef } from "../blocks/people.ts";
import type { Logger } from "../log.ts";
import type { WebClient } from "../slack/web-client.ts";
import type { CallPolicy, TallyfyApi } from "../tallyfy/api.ts";
import { TtlCache } from "../tallyfy/cache.ts";
import type { TallyfyUser } from "../tallyfy/schemas.ts";

/**
 * Slack user <-> Tallyfy user, matched by lower-cased email (users.info needs
 * users:read.email). Both directions are cached; a miss is cached too, briefly.
 */
export interface Identity {
  slackEmail(slackUserId: string): Promise<string | undefined>;
  tallyfyUserFor(api: TallyfyApi, slackUserId: string): Promise<TallyfyUser | undefined>;
  /** Slack mention when the Tallyfy user has a Slack account with the same email, else their name. */
  personFor(api: TallyfyApi, tallyfyUserId: number | null): Promise<PersonRef | undefined>;
  slackUserForTallyfy(api: TallyfyApi, tallyfyUserId: number): Promise<string | undefined>;
}

export function createIdentity(opts: {
  client: () => WebClient;
  logger: Logger;
  /** The budget of the Tallyfy user lookups (they run after the ack). */
  policy: CallPolicy;
  ttlMs?: number;
}): Identity {
  const tallyfyOpts = { policy: opts.policy };
  const ttlMs = opts.ttlMs ?? 10 * 60_000;
  const emails = new TtlCache<string | undefined>({ ttlMs, max: 5000 });
  const bySlackEmail = new TtlCache<string | undefined>({ ttlMs, max: 5000 });

  const slackEmail = (slackUserId: string) =>
    emails.get(slackUserId, async () => {
      try {
        const res = await opts.client().users.info({ user: slackUserId });
        return res.user?.profile?.email?.toLowerCase() ?? undefined;
      } catch (error) {
        opts.logger.warn("users.info failed", { slackUserId, error: (error as Error).message });
        return undefined;
      }
    });

  const slackUserForEmail = (email: string) =>
    bySlackEmail.get(email.toLowerCase(), async () => {
      try {
        const res = await opts.client().users.lookupByEmail({ email });
        return res.user?.id ?? undefined;
      } catch {
        return undefined;
      }
    });

  const tallyfyUserById = async (api: TallyfyApi, id: number) => {
    try {
      return await api.users.get(id, tallyfyOpts);
    } catch {
      return undefined;
    }
  };

  return {
    slackEmail,
    async tallyfyUserFor(api, slackUserId) {
      const email = await slackEmail(slackUserId);
      return email ? api.users.findByEmail(email, tallyfyOpts) : undefined;
    },
    async slackUserForTallyfy(api, tallyfyUserId) {
      const user = await tallyfyUserById(api, tallyfyUserId);
      return user?.email ? slackUserForEmail(user.email) : undefined;
    },
    async personFor(api, tallyfyUserId) {
      if (tallyfyUserId == null) return undefined;
      const user = await tallyfyUserById(api, tallyfyUserId);
      if (!user) return undefined;
      const slackUserId = user.email ? await slackUserForEmail(user.email) : undefined;
      return { slackUserId, name: user.full_name };
    },
  };
}
