/**
 * What the page's user does, played through the driver exactly as Slack would send it to the
 * bot: slash commands, clicks and selections, modal submissions, closes, external selects.
 */
import type { DriverResult, SlackDriver, Target } from "../sandbox/slack/driver.ts";
import type { FakeSlack, Json } from "../sandbox/slack/fake-slack.ts";
import { findElement, isStateful, toStateValue } from "../sandbox/slack/state.ts";
import type { MessageShortcut } from "./shortcuts.ts";
import { BadRequest, playUser, visibleChannels } from "./state.ts";

export interface ActionContext {
  slack: FakeSlack;
  driver: SlackDriver;
  /** The app's message shortcuts (manifest.yml). */
  shortcuts: MessageShortcut[];
}

/** How the bot's answer went, for the page to show a Slack-style error when it failed. */
export interface Outcome {
  ok: boolean;
  /** What Slack would tell the user when the app failed to answer in time or properly. */
  error?: string | undefined;
}

/** `/tallyfy …` typed in the composer. */
export async function runCommand(c: ActionContext, body: Json): Promise<Outcome> {
  const user = playUser(c.slack, body.user);
  const channel = str(body.channel, "channel");
  if (!visibleChannels(c.slack, user.id).some((ch) => ch.id === channel))
    throw new BadRequest(`${user.name} cannot see ${channel}`);
  const match = /^\/(\S+)\s*([\s\S]*)$/.exec(str(body.text, "text").trim());
  if (!match) throw new BadRequest("not a slash command");
  if (match[1] !== "tallyfy") return { ok: false, error: `/${match[1]} is not a valid command.` };
  const res = await c.driver.command(match[2] ?? "", { user: user.id, channel });
  if (res.ackProblem) return { ok: false, error: `/tallyfy failed: ${res.ackProblem}` };
  return outcome(res, "/tallyfy");
}

/** A message shortcut picked from a message's "More actions" menu. */
export async function runShortcut(c: ActionContext, body: Json): Promise<Outcome> {
  const user = playUser(c.slack, body.user);
  const channel = str(body.channel, "channel");
  if (!visibleChannels(c.slack, user.id).some((ch) => ch.id === channel))
    throw new BadRequest(`${user.name} cannot see ${channel}`);
  const callbackId = str(body.callbackId, "callbackId");
  if (!c.shortcuts.some((s) => s.callbackId === callbackId))
    throw new BadRequest(`the app has no message shortcut ${callbackId}`);
  const res = await c.driver.messageShortcut({ channel, ts: str(body.ts, "ts") }, callbackId, {
    user: user.id,
  });
  return outcome(res, "the app");
}

/** A button, select, overflow, date picker… in a message or a modal. */
export async function interact(c: ActionContext, body: Json): Promise<Outcome> {
  const user = playUser(c.slack, body.user);
  const target = targetOf(body);
  const actionId = str(body.actionId, "actionId");
  // Message blocks may have no block_id (the fake keeps them as the bot sent them).
  const blockId = typeof body.blockId === "string" ? body.blockId : undefined;
  if ("viewId" in target) applyValues(c, target.viewId, user.id, body.values);
  const res =
    body.kind === "button"
      ? await c.driver.clickButton(target, actionId, {
          user: user.id,
          blockId,
          value: typeof body.value === "string" ? body.value : undefined,
        })
      : await c.driver.selectOption(target, actionId, objectOrNull(body.selection), {
          user: user.id,
          blockId,
        });
  return res ? outcome(res, "the app") : { ok: true };
}

/** The modal's submit button, with everything typed into it. */
export async function submitView(c: ActionContext, body: Json): Promise<Outcome> {
  const user = playUser(c.slack, body.user);
  const viewId = str(body.viewId, "viewId");
  ownView(c, viewId, user.id);
  const values = typeof body.values === "object" && body.values ? (body.values as Json) : {};
  const res = await c.driver.submitView(viewId, values, { user: user.id });
  if (res.viewProblem)
    return { ok: false, error: `The app's answer was refused: ${res.viewProblem}` };
  return outcome(res, "the app");
}

/** Close (or X, or back on a pushed view). */
export async function closeView(c: ActionContext, body: Json): Promise<Outcome> {
  const user = playUser(c.slack, body.user);
  const viewId = str(body.viewId, "viewId");
  ownView(c, viewId, user.id);
  const res = await c.driver.closeView(viewId, { user: user.id });
  return res ? outcome(res, "the app") : { ok: true };
}

/** Typing into an external select: the bot's options (block_suggestion). */
export async function suggest(c: ActionContext, body: Json): Promise<Json> {
  const user = playUser(c.slack, body.user);
  const target = targetOf(body);
  if ("viewId" in target) applyValues(c, target.viewId, user.id, body.values);
  const value = typeof body.value === "string" ? body.value : "";
  const res = await c.driver.suggest(
    target,
    str(body.actionId, "actionId"),
    str(body.blockId, "blockId"),
    value,
    { user: user.id },
  );
  if (!res) return { ok: true, tooShort: true, options: [] };
  if (res.status !== 200 || res.late || res.problem)
    return { ok: false, error: res.problem ?? "The app did not answer.", options: [] };
  return { ok: true, options: res.options ?? [], optionGroups: res.optionGroups };
}

/**
 * What the user has typed so far goes into the view's state before any interaction, as it does
 * in Slack (block_actions and block_suggestion payloads carry the view's current state).
 */
function applyValues(c: ActionContext, viewId: string, userId: string, values: unknown): void {
  const fv = ownView(c, viewId, userId);
  if (typeof values !== "object" || values === null) return;
  const blocks = fv.view.blocks as Json[];
  fv.view.state ??= { values: {} };
  const state = fv.view.state.values as Json;
  for (const [blockId, byAction] of Object.entries(values as Json)) {
    for (const [actionId, value] of Object.entries(byAction as Json)) {
      const found = tryFind(blocks, actionId, blockId);
      // Gone since the page drew it (a views.update crossed the click): nothing to keep.
      if (!found || !isStateful(found.element)) continue;
      state[blockId] ??= {};
      state[blockId][actionId] = toStateValue(found.element, objectOrNull(value));
    }
  }
}

function tryFind(blocks: Json[], actionId: string, blockId: string) {
  try {
    return findElement(blocks, actionId, { blockId });
  } catch {
    return undefined;
  }
}

function ownView(c: ActionContext, viewId: string, userId: string) {
  const fv = c.slack.views.get(viewId);
  if (!fv?.open || fv.userId !== userId) throw new BadRequest(`view ${viewId} is not open`);
  return fv;
}

function targetOf(body: Json): Target {
  if (typeof body.viewId === "string") return { viewId: body.viewId };
  if (typeof body.unfurl === "string")
    return { channel: str(body.channel, "channel"), ts: str(body.ts, "ts"), unfurl: body.unfurl };
  return { channel: str(body.channel, "channel"), ts: str(body.ts, "ts") };
}

function outcome(res: DriverResult, who: string): Outcome {
  if (res.late)
    return { ok: false, error: `${who} did not respond in time (${Math.round(res.ms)} ms).` };
  if (res.status !== 200) return { ok: false, error: `${who} answered with HTTP ${res.status}.` };
  return { ok: true };
}

function str(v: unknown, name: string): string {
  if (typeof v !== "string" || v === "") throw new BadRequest(`${name} is required`);
  return v;
}

function objectOrNull(v: unknown): Json | null {
  if (v === null || v === undefined) return null;
  if (typeof v !== "object" || Array.isArray(v)) throw new BadRequest("a value must be an object");
  return v as Json;
}
