/**
 * The app surfaces beyond slash commands, played through the driver as Slack would: opening
 * the app's Home tab, typing a message (links in the composer unfurl as you type) and sending
 * it (its links unfurl under it).
 */
import type { Json } from "../sandbox/slack/fake-slack.ts";
import type { ActionContext, Outcome } from "./actions.ts";
import { BadRequest, playUser, visibleChannels } from "./state.ts";

/** The user opens the app's Home tab: app_home_opened. */
export async function openHome(c: ActionContext, body: Json): Promise<Outcome> {
  const user = playUser(c.slack, body.user);
  const res = await c.driver.openHome({ user: user.id });
  return res.status === 200 ? { ok: true } : { ok: false, error: `HTTP ${res.status}` };
}

/** Text typed in the composer (not sent yet): its app links go to the app as link_shared. */
export async function compose(c: ActionContext, body: Json): Promise<Json> {
  const user = playUser(c.slack, body.user);
  const channel = ownChannel(c, user.id, body.channel);
  const text = typeof body.text === "string" ? body.text.slice(0, 4000) : "";
  const { composer } = await c.driver.compose(text, { user: user.id, channel });
  return { ok: true, unfurlId: composer?.unfurlId ?? null };
}

/** A message sent from the composer; its app links unfurl under it. */
export async function say(c: ActionContext, body: Json): Promise<Outcome> {
  const user = playUser(c.slack, body.user);
  const channel = ownChannel(c, user.id, body.channel);
  const text = typeof body.text === "string" ? body.text.trim().slice(0, 4000) : "";
  if (!text) throw new BadRequest("text is required");
  await c.driver.say(text, { user: user.id, channel });
  return { ok: true };
}

function ownChannel(c: ActionContext, userId: string, channel: unknown): string {
  const found = visibleChannels(c.slack, userId).find((ch) => ch.id === channel);
  if (!found) throw new BadRequest(`cannot write in ${String(channel)}`);
  return found.id;
}
