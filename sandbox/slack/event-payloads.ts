/**
 * Events API envelopes and shortcut payloads as Slack sends them: `link_shared` (for a posted
 * message or a composer), `app_home_opened`, global shortcuts and message shortcuts.
 */
import { randomBytes } from "node:crypto";
import { actionTs, basePayload, type PayloadContext, VERIFICATION_TOKEN } from "./payloads.ts";
import { BOT } from "./seed.ts";
import type { FakeView, Json } from "./types.ts";

/** "Ev0A1B2C3D4E": Slack's event ids. */
export function newEventId(): string {
  return `Ev${randomBytes(6).toString("hex").toUpperCase()}`;
}

/** The event_callback envelope around `event`. */
export function eventEnvelope(ctx: PayloadContext, event: Json, eventId: string): Json {
  return {
    token: VERIFICATION_TOKEN,
    team_id: ctx.teamId,
    context_team_id: ctx.teamId,
    context_enterprise_id: null,
    api_app_id: ctx.appId,
    event,
    type: "event_callback",
    event_id: eventId,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [
      {
        enterprise_id: null,
        team_id: ctx.teamId,
        user_id: BOT.userId,
        is_bot: true,
        is_enterprise_install: false,
      },
    ],
    is_ext_shared_channel: false,
  };
}

/** Every http(s) URL in a message's text, once each, in order (Slack wraps them as <url|…>). */
export function linksIn(text: string): string[] {
  const urls = (text.match(/https?:\/\/[^\s<>|]+/g) ?? []).map((u) => u.replace(/[.,;:!?)]+$/, ""));
  return [...new Set(urls)];
}

/** Hosts an app registered in `unfurl_domains` match themselves and their subdomains. */
export function onDomains(url: string, domains: readonly string[]): boolean {
  let host: string;
  try {
    host = new URL(url).hostname.toLowerCase();
  } catch {
    return false;
  }
  return domains.some((d) => host === d || host.endsWith(`.${d}`));
}

export interface LinkShare {
  user: string;
  /** A channel id, or "COMPOSER" for links typed in the composer. */
  channel: string;
  messageTs: string;
  urls: string[];
  unfurlId: string;
  source: "conversations_history" | "composer";
  threadTs?: string | undefined;
  isBotUserMember: boolean;
}

export function linkSharedEvent(s: LinkShare): Json {
  return {
    type: "link_shared",
    channel: s.channel,
    is_bot_user_member: s.isBotUserMember,
    user: s.user,
    message_ts: s.messageTs,
    unfurl_id: s.unfurlId,
    ...(s.threadTs ? { thread_ts: s.threadTs } : {}),
    source: s.source,
    links: s.urls.map((url) => ({ domain: new URL(url).hostname, url })),
    event_ts: actionTs(),
  };
}

/** app_home_opened: `view` is the published Home (absent on a first visit). */
export function homeOpenedEvent(
  userId: string,
  dmId: string,
  tab: string,
  home: FakeView | undefined,
): Json {
  return {
    type: "app_home_opened",
    user: userId,
    channel: dmId,
    tab,
    ...(home ? { view: home.view } : {}),
    event_ts: actionTs(),
  };
}

export function globalShortcutPayload(ctx: PayloadContext, callbackId: string, trigger: string) {
  return {
    ...basePayload("shortcut", ctx),
    callback_id: callbackId,
    trigger_id: trigger,
    action_ts: actionTs(),
  };
}
