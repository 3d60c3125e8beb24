/** What the page shows for one user: sidebar, the channel's messages, the open modal. */
import type { FakeChannel, FakeSlack, FakeUser, Json } from "../sandbox/slack/fake-slack.ts";
import { ALICE, BOB, CAROL, DAVE, TEAM } from "../sandbox/slack/seed.ts";

/** The people the page lets you be. Dave has no Tallyfy account in the sandbox. */
export const PLAY_USERS: readonly FakeUser[] = [ALICE, BOB, CAROL, DAVE];

export interface PageChannel {
  id: string;
  name: string;
  isPrivate: boolean;
  isIm: boolean;
  /** Whether the current user is in it (the sidebar lists these). */
  member: boolean;
  botMember: boolean;
}

export interface PageMessage {
  ts: string;
  user: string | undefined;
  bot: boolean;
  text: string;
  blocks: Json[];
  ephemeral: boolean;
  edited: boolean;
  threadTs: string | undefined;
  /** App unfurls under the message, by URL. */
  unfurls: Record<string, Json>;
}

/** What the app attached to links still in the composer (only its writer sees it). */
export interface PageComposer {
  unfurlId: string;
  unfurls: Record<string, Json>;
  authPrompt: { text?: string | undefined; blocks?: Json[] | undefined } | null;
}

export interface PageView {
  id: string;
  hash: string;
  view: Json;
  errors: Record<string, string>;
  /** 1 for a root view, 2+ when pushed (the page shows a back arrow). */
  depth: number;
}

export interface PageState {
  team: string;
  botUserId: string;
  me: string;
  channel: string;
  users: { id: string; name: string; realName: string; isBot: boolean }[];
  /** Play users the page offers in its switcher. */
  players: string[];
  channels: PageChannel[];
  messages: PageMessage[];
  view: PageView | null;
  /** The app's Home tab as last published for this user. */
  home: { id: string; view: Json } | null;
  composer: PageComposer | null;
}

export function playUser(slack: FakeSlack, id: unknown): FakeUser {
  const user = typeof id === "string" ? slack.user(id) : undefined;
  if (!user || user.isBot) throw new BadRequest(`unknown user ${String(id)}`);
  return user;
}

/** A channel the user can see: public ones, private ones they are in, their DM with the bot. */
export function visibleChannels(slack: FakeSlack, userId: string): FakeChannel[] {
  slack.channel(userId); // makes sure the user's DM with the app exists
  return slack.channels.filter((c) =>
    c.isIm ? c.imUser === userId : !c.isPrivate || c.members.includes(userId),
  );
}

export function pageState(
  slack: FakeSlack,
  userId: string,
  channelId: unknown,
  composerId?: string | null,
): PageState {
  const channels = visibleChannels(slack, userId);
  const first = channels.find((c) => !c.isIm && c.members.includes(userId)) ?? channels[0];
  const channel = channels.find((c) => c.id === channelId) ?? first;
  if (!channel) throw new BadRequest("no channel to show");
  const messages = slack
    .messages(channel.id)
    .filter((m) => !m.ephemeralTo || m.ephemeralTo === userId)
    .map(
      (m): PageMessage => ({
        ts: m.ts,
        user: m.user,
        bot: Boolean(m.bot),
        text: m.text,
        blocks: m.blocks,
        ephemeral: m.ephemeralTo !== undefined,
        edited: m.updatedAt !== undefined,
        threadTs: m.threadTs,
        unfurls: m.unfurls ?? {},
      }),
    );
  const home = slack.homeView(userId);
  const composer = composerId ? slack.composer(composerId) : undefined;
  const open = slack.openView(userId);
  return {
    team: TEAM.name,
    botUserId: slack.botUserId,
    me: userId,
    channel: channel.id,
    users: slack.users
      .filter((u) => !u.deleted)
      .map((u) => ({ id: u.id, name: u.name, realName: u.realName, isBot: Boolean(u.isBot) })),
    players: PLAY_USERS.map((u) => u.id),
    channels: channels.map((c) => ({
      id: c.id,
      name: c.isIm ? "Tallyfy" : c.name,
      isPrivate: Boolean(c.isPrivate),
      isIm: Boolean(c.isIm),
      member: c.isIm || c.members.includes(userId),
      botMember: c.botMember,
    })),
    messages,
    view: open?.open
      ? {
          id: open.id,
          hash: open.hash,
          view: open.view,
          errors: open.errors ?? {},
          depth: open.stack.length,
        }
      : null,
    home: home ? { id: home.id, view: home.view } : null,
    composer:
      composer && composer.userId === userId
        ? {
            unfurlId: composer.unfurlId,
            unfurls: composer.unfurls,
            authPrompt: composer.authPrompt ?? null,
          }
        : null,
  };
}

/** A request the page should not have made: answered with 400. */
export class BadRequest extends Error {}
