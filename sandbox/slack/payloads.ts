import { messageJson } from "./methods.ts";
import type { FakeChannel, FakeMessage, FakeSlack, FakeUser, FakeView, Json } from "./types.ts";

/** The parts of an interaction payload that say who and where. */
export interface PayloadContext {
  slack: FakeSlack;
  teamId: string;
  appId: string;
  user: FakeUser;
  /** The user's own team when it differs from `teamId` (a Slack Connect guest). */
  userTeamId?: string | undefined;
}

/** Deprecated verification token: Slack still sends one; Bolt ignores it. */
export const VERIFICATION_TOKEN = "fakeVerificationToken0000";

export function teamJson(ctx: PayloadContext): Json {
  return { id: ctx.teamId, domain: ctx.slack.teamDomain };
}

export function userJson(ctx: PayloadContext): Json {
  return {
    id: ctx.user.id,
    username: ctx.user.name,
    name: ctx.user.name,
    team_id: ctx.userTeamId ?? ctx.teamId,
  };
}

export function channelName(c: FakeChannel): string {
  if (c.isIm) return "directmessage";
  return c.isPrivate ? "privategroup" : c.name;
}

/** Slack's action_ts / message ts style: seconds with six decimals. */
export function actionTs(): string {
  return (Date.now() / 1000).toFixed(6);
}

/** Fields every interaction payload carries. */
export function basePayload(type: string, ctx: PayloadContext): Json {
  return {
    type,
    user: userJson(ctx),
    api_app_id: ctx.appId,
    token: VERIFICATION_TOKEN,
    team: teamJson(ctx),
    enterprise: null,
    is_enterprise_install: false,
  };
}

/** Where a message interaction happened: container, channel, message (not for ephemerals). */
export function messageSurface(ctx: PayloadContext, msg: FakeMessage): Json {
  const channel = ctx.slack.channel(msg.channel);
  const ephemeral = msg.ephemeralTo !== undefined;
  return {
    container: {
      type: "message",
      message_ts: msg.ts,
      channel_id: msg.channel,
      is_ephemeral: ephemeral,
    },
    channel: { id: msg.channel, name: channel ? channelName(channel) : msg.channel },
    // Slack leaves the message out of payloads from ephemeral messages.
    ...(ephemeral ? {} : { message: messageJson(msg) }),
    state: { values: msg.state.values },
    response_url: ctx.slack.newResponseUrl({
      channelId: msg.channel,
      userId: ctx.user.id,
      messageTs: msg.ts,
    }),
  };
}

export function viewSurface(fv: FakeView): Json {
  return { container: { type: "view", view_id: fv.id }, view: fv.view };
}
