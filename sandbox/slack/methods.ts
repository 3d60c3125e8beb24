import { checkMessage, formatProblem } from "./block-kit.ts";
import { BOT, TEAM } from "./seed.ts";
import { jsonArg, publishHome, unfurl } from "./surfaces.ts";
import type { FakeChannel, FakeMessage, FakeUser, Json } from "./types.ts";
import { SlackApiError, type Workspace } from "./workspace.ts";

type Handler = (ws: Workspace, args: Json) => Json;

/** The Web API methods the fake implements; each returns the success body (without ok). */
export const METHODS: Record<string, Handler> = {
  "auth.test": () => ({
    url: `https://${TEAM.domain}.slack.com/`,
    team: TEAM.name,
    user: BOT.name,
    team_id: TEAM.id,
    user_id: BOT.userId,
    bot_id: BOT.botId,
    is_enterprise_install: false,
  }),

  "chat.postMessage": (ws, args) => {
    const channel = postableChannel(ws, args.channel);
    const { text, blocks } = messageContent(args, true);
    const msg = ws.addMessage({
      channel: channel.id,
      user: BOT.userId,
      bot: true,
      text: text ?? "",
      blocks: blocks ?? [],
      threadTs: str(args.thread_ts),
    });
    return { channel: channel.id, ts: msg.ts, message: messageJson(msg) };
  },

  "chat.update": (ws, args) => {
    const channel = ws.resolveChannel(args.channel);
    if (!channel) throw new SlackApiError("channel_not_found");
    const msg = ws.message(channel.id, str(args.ts) ?? "");
    if (!msg || msg.ephemeralTo) throw new SlackApiError("message_not_found");
    if (!msg.bot) throw new SlackApiError("cant_update_message");
    const { text, blocks } = messageContent(args, true);
    // Slack keeps the previous blocks when chat.update leaves them out.
    ws.replaceMessage(msg, text ?? "", blocks);
    return { channel: channel.id, ts: msg.ts, text: msg.text, message: messageJson(msg) };
  },

  "chat.postEphemeral": (ws, args) => {
    const channel = postableChannel(ws, args.channel);
    const user = ws.user(str(args.user) ?? "");
    if (!user) throw new SlackApiError("user_not_found");
    if (!channel.members.includes(user.id)) throw new SlackApiError("user_not_in_channel");
    const { text, blocks } = messageContent(args, true);
    const msg = ws.addMessage({
      channel: channel.id,
      user: BOT.userId,
      bot: true,
      text: text ?? "",
      blocks: blocks ?? [],
      ephemeralTo: user.id,
      threadTs: str(args.thread_ts),
    });
    return { message_ts: msg.ts };
  },

  "chat.delete": (ws, args) => {
    const channel = ws.resolveChannel(args.channel);
    if (!channel) throw new SlackApiError("channel_not_found");
    const msg = ws.message(channel.id, str(args.ts) ?? "");
    if (!msg || msg.ephemeralTo) throw new SlackApiError("message_not_found");
    if (!msg.bot) throw new SlackApiError("cant_delete_message");
    ws.deleteMessage(channel.id, msg.ts);
    return { channel: channel.id, ts: msg.ts };
  },

  "chat.getPermalink": (ws, args) => {
    const channel = ws.resolveChannel(args.channel);
    if (!channel) throw new SlackApiError("channel_not_found");
    const ts = str(args.message_ts) ?? "";
    if (!ws.message(channel.id, ts)) throw new SlackApiError("message_not_found");
    return {
      channel: channel.id,
      permalink: `https://${TEAM.domain}.slack.com/archives/${channel.id}/p${ts.replace(".", "")}`,
    };
  },

  "views.open": (ws, args) => {
    const view = ws.checkView(jsonArg(args.view));
    const userId = ws.useTrigger(args.trigger_id);
    return { view: ws.createRootView(userId, view).view };
  },

  "views.push": (ws, args) => {
    const view = ws.checkView(jsonArg(args.view));
    const userId = ws.useTrigger(args.trigger_id);
    return { view: ws.pushView(userId, view).view };
  },

  "views.publish": publishHome,

  "chat.unfurl": unfurl,

  "views.update": (ws, args) => {
    const fv = ws.findView(args.view_id, args.external_id);
    if (!fv.open) throw new SlackApiError("not_found");
    const hash = str(args.hash);
    if (hash !== undefined && hash !== "" && hash !== fv.hash)
      throw new SlackApiError("hash_conflict");
    const view = ws.checkView(jsonArg(args.view), fv.id);
    return { view: ws.updateView(fv, view).view };
  },

  "users.info": (ws, args) => {
    const user = ws.user(str(args.user) ?? "");
    if (!user) throw new SlackApiError("user_not_found");
    return { user: userJson(user) };
  },

  "users.lookupByEmail": (ws, args) => {
    const email = (str(args.email) ?? "").toLowerCase();
    const user = ws.users.find((u) => !u.deleted && u.email?.toLowerCase() === email);
    if (!email || !user) throw new SlackApiError("users_not_found");
    return { user: userJson(user) };
  },

  "conversations.info": (ws, args) => ({ channel: channelJson(visibleChannel(ws, args.channel)) }),

  "conversations.join": (ws, args) => {
    const channel = ws.resolveChannel(args.channel);
    if (!channel || (channel.isPrivate && !channel.botMember))
      throw new SlackApiError("channel_not_found");
    if (channel.isIm || channel.isPrivate)
      throw new SlackApiError("method_not_supported_for_channel_type");
    const warning = channel.botMember ? { warning: "already_in_channel" } : {};
    if (!channel.botMember) {
      channel.botMember = true;
      ws.emit({ kind: "channel_joined", channel: channel.id });
    }
    return { channel: channelJson(channel), ...warning };
  },

  "conversations.list": (ws, args) => {
    const types = new Set((str(args.types) ?? "public_channel").split(",").map((t) => t.trim()));
    const visible = ws.channels.filter((c) => {
      if (c.isIm) return types.has("im");
      if (c.isPrivate) return types.has("private_channel") && c.botMember;
      return types.has("public_channel");
    });
    const { page, next } = paginate(visible, args);
    return { channels: page.map(channelJson), response_metadata: { next_cursor: next } };
  },

  "conversations.members": (ws, args) => {
    const channel = visibleChannel(ws, args.channel);
    const members = channel.botMember ? [...channel.members, BOT.userId] : [...channel.members];
    const { page, next } = paginate(members, args);
    return { members: page, response_metadata: { next_cursor: next } };
  },

  "conversations.open": (ws, args) => {
    const ids = (str(args.users) ?? "").split(",").filter(Boolean);
    if (ids.length !== 1)
      throw new SlackApiError(ids.length === 0 ? "users_list_not_supplied" : "not_supported");
    const user = ws.user(ids[0] ?? "");
    if (!user || user.isBot) throw new SlackApiError("user_not_found");
    return { channel: { id: ws.imWith(user.id).id } };
  },
};

/** A channel the bot may post in: chat:write without chat:write.public needs membership. */
function postableChannel(ws: Workspace, ref: unknown): FakeChannel {
  if (ref === undefined || ref === "") throw new SlackApiError("channel_not_found");
  const channel = ws.resolveChannel(ref);
  if (!channel) throw new SlackApiError("channel_not_found");
  if (channel.isIm) return channel;
  if (!channel.botMember)
    throw new SlackApiError(channel.isPrivate ? "channel_not_found" : "not_in_channel");
  return channel;
}

/** Private channels the bot is not in do not exist for it. */
function visibleChannel(ws: Workspace, ref: unknown): FakeChannel {
  const channel = ws.resolveChannel(ref);
  if (!channel || (channel.isPrivate && !channel.botMember))
    throw new SlackApiError("channel_not_found");
  return channel;
}

function messageContent(
  args: Json,
  requireContent: boolean,
): { text: string | undefined; blocks: Json[] | undefined } {
  if (typeof args.blocks === "string") throw new SlackApiError("invalid_blocks_format");
  const blocks = args.blocks as Json[] | undefined;
  const text = args.text === undefined ? undefined : String(args.text);
  if (requireContent && !text && (blocks === undefined || blocks.length === 0) && !args.attachments)
    throw new SlackApiError("no_text");
  const { problems } = checkMessage({ text, blocks, attachments: args.attachments });
  const first = problems[0];
  if (first)
    throw new SlackApiError(first.error, {
      response_metadata: { messages: problems.map(formatProblem) },
    });
  return { text, blocks };
}

function paginate<T>(items: T[], args: Json): { page: T[]; next: string } {
  const limit = Math.min(Math.max(Number(args.limit) || 100, 1), 1000);
  const cursor = str(args.cursor);
  const start = cursor
    ? Number(Buffer.from(cursor, "base64").toString().replace("offset:", ""))
    : 0;
  if (!Number.isInteger(start) || start < 0) throw new SlackApiError("invalid_cursor");
  const end = start + limit;
  const next = end < items.length ? Buffer.from(`offset:${end}`).toString("base64") : "";
  return { page: items.slice(start, end), next };
}

function str(v: unknown): string | undefined {
  return typeof v === "string" ? v : typeof v === "number" ? String(v) : undefined;
}

export function messageJson(m: FakeMessage): Json {
  return {
    type: "message",
    text: m.text,
    user: m.user,
    ...(m.bot
      ? {
          bot_id: BOT.botId,
          app_id: BOT.appId,
          bot_profile: { id: BOT.botId, app_id: BOT.appId, name: "Tallyfy", team_id: TEAM.id },
        }
      : {}),
    blocks: m.blocks,
    team: TEAM.id,
    ts: m.ts,
    ...(m.threadTs ? { thread_ts: m.threadTs } : {}),
    ...(m.updatedAt ? { edited: { user: m.user, ts: m.ts } } : {}),
  };
}

function userJson(u: FakeUser): Json {
  return {
    id: u.id,
    team_id: TEAM.id,
    name: u.name,
    deleted: u.deleted ?? false,
    real_name: u.realName,
    tz: u.tz,
    tz_label: tzName(u.tz),
    tz_offset: tzOffsetSeconds(u.tz),
    is_admin: false,
    is_owner: false,
    is_bot: u.isBot ?? false,
    is_app_user: false,
    profile: {
      real_name: u.realName,
      display_name: u.name,
      ...(u.email ? { email: u.email } : {}),
      image_48: `https://avatars.example.test/${u.id}_48.png`,
      team: TEAM.id,
      ...(u.isBot ? { bot_id: BOT.botId } : {}),
    },
  };
}

function channelJson(c: FakeChannel): Json {
  const base = { id: c.id, created: 1_600_000_000, is_archived: false, is_org_shared: false };
  if (c.isIm) return { ...base, is_im: true, user: c.imUser, is_user_deleted: false };
  return {
    ...base,
    name: c.name,
    name_normalized: c.name,
    is_channel: true,
    is_group: false,
    is_im: false,
    is_mpim: false,
    is_private: c.isPrivate ?? false,
    is_general: c.name === "general",
    is_member: c.botMember,
    is_shared: false,
    is_ext_shared: false,
    num_members: c.members.length + (c.botMember ? 1 : 0),
  };
}

function tzName(tz: string): string {
  const parts = new Intl.DateTimeFormat("en-US", { timeZone: tz, timeZoneName: "long" });
  return parts.formatToParts(new Date()).find((p) => p.type === "timeZoneName")?.value ?? tz;
}

function tzOffsetSeconds(tz: string): number {
  const f = new Intl.DateTimeFormat("en-US", { timeZone: tz, timeZoneName: "longOffset" });
  const name = f.formatToParts(new Date()).find((p) => p.type === "timeZoneName")?.value ?? "";
  const m = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
  if (!m) return 0;
  const secs = Number(m[2]) * 3600 + Number(m[3]) * 60;
  return m[1] === "-" ? -secs : secs;
}
