import type { Authorize, webApi } from "@slack/bolt";
import { z } from "zod";

/** The workspace (and Enterprise Grid org, if any) the bot token belongs to. */
export interface Installation {
  teamId: string;
  enterpriseId?: string | undefined;
  botId?: string | undefined;
  botUserId?: string | undefined;
}

const authTestSchema = z.looseObject({
  team_id: z.string().min(1),
  enterprise_id: z.string().nullish(),
  user_id: z.string().optional(),
  bot_id: z.string().optional(),
});

export interface InstallationSource {
  /** Bolt's authorize: the bot token and identity, from one auth.test. */
  authorize: Authorize<boolean>;
  /** The installation, from the same auth.test (asked on first use). */
  get(): Promise<Installation>;
}

/**
 * The bot's identity from one auth.test, asked on first use and then kept (a failure is asked
 * again next time). Bolt's own `token` + `tokenVerificationEnabled: false` asks auth.test on
 * every incoming request, before any listener can ack.
 */
export function installationFrom(client: webApi.WebClient, botToken: string): InstallationSource {
  let installation: Promise<Installation> | undefined;
  const get = () => {
    installation ??= client.auth
      .test()
      .then((r) => {
        const a = authTestSchema.parse(r);
        return {
          teamId: a.team_id,
          enterpriseId: a.enterprise_id ?? undefined,
          botId: a.bot_id,
          botUserId: a.user_id,
        };
      })
      .catch((error: unknown) => {
        installation = undefined;
        throw error;
      });
    return installation;
  };
  return {
    get,
    authorize: async () => {
      const { botId, botUserId } = await get();
      return { botToken, botId, botUserId };
    },
  };
}
