import type { FakeChannel, FakeUser } from "./types.ts";

/** The seeded workspace "Acme". Tallyfy fakes seed accounts for alice, bob and carol only. */
export const TEAM = { id: "T0ACME", domain: "acme", name: "Acme" } as const;
export const BOT = {
  userId: "U0TALLYBOT",
  botId: "B0TALLY",
  appId: "A0TALLYFY",
  name: "tallyfy",
  token: "xoxb-fake-acme-tallyfy",
} as const;

export const ALICE: FakeUser = {
  id: "U0ALICE",
  name: "alice",
  realName: "Alice Anders",
  email: "alice@acme.test",
  tz: "America/New_York",
};
export const BOB: FakeUser = {
  id: "U0BOB",
  name: "bob",
  realName: "Bob Brown",
  email: "bob@acme.test",
  tz: "Europe/London",
};
export const CAROL: FakeUser = {
  id: "U0CAROL",
  name: "carol",
  realName: "Carol Chen",
  email: "carol@acme.test",
  tz: "Asia/Kolkata",
};
/** In Slack, but has no Tallyfy account. */
export const DAVE: FakeUser = {
  id: "U0DAVE",
  name: "dave",
  realName: "Dave Diaz",
  email: "dave@acme.test",
  tz: "Australia/Sydney",
};
export const BOT_USER: FakeUser = {
  id: BOT.userId,
  name: BOT.name,
  realName: "Tallyfy",
  tz: "UTC",
  isBot: true,
};

export const SEED_USERS: readonly FakeUser[] = [ALICE, BOB, CAROL, DAVE, BOT_USER];

const HUMANS = [ALICE.id, BOB.id, CAROL.id, DAVE.id];

/** #ops: the bot is a member. */
export const OPS: FakeChannel = {
  id: "C0OPS",
  name: "ops",
  botMember: true,
  members: [ALICE.id, BOB.id, CAROL.id],
};
/** #general: public, the bot is NOT a member (posting needs conversations.join). */
export const GENERAL: FakeChannel = {
  id: "C0GENERAL",
  name: "general",
  botMember: false,
  members: HUMANS,
};
/** A private channel the bot is not in: it can neither post nor join. */
export const LEADERSHIP: FakeChannel = {
  id: "C0LEADERS",
  name: "leadership",
  isPrivate: true,
  botMember: false,
  members: [ALICE.id, BOB.id],
};
/** Alice's DM with the app. */
export const ALICE_DM: FakeChannel = {
  id: "D0ALICE",
  name: ALICE.id,
  isIm: true,
  imUser: ALICE.id,
  botMember: true,
  members: [ALICE.id],
};

export const SEED_CHANNELS: readonly FakeChannel[] = [OPS, GENERAL, LEADERSHIP, ALICE_DM];
