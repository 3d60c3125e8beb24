/** Helpers for tests that connect Slack users to Tallyfy through the real connect modal. */
import { expect } from "vitest";
import type { FakeMessage, FakeView } from "../../sandbox/slack/types.ts";
import { CONNECT } from "../../src/blocks/accounts.ts";
import { VIEW } from "../../src/blocks/ids.ts";
import { eventually, type Harness } from "./harness.ts";

export const OPS = "C0OPS";

/** The connect modal open for `user` (waits for it). */
export function connectView(h: Harness, user: string): Promise<FakeView> {
  return eventually(() => {
    const v = h.slack.openView(user);
    if (!v || v.view.callback_id !== VIEW.connect) throw new Error(`no connect modal for ${user}`);
    return v;
  });
}

/** `/tallyfy connect`, then the modal that opens. */
export async function openConnect(h: Harness, user: string): Promise<FakeView> {
  const before = h.slack.openView(user)?.id;
  await h.driver.command("connect", { user });
  return eventually(async () => {
    const v = await connectView(h, user);
    if (v.id === before) throw new Error("modal not opened yet");
    return v;
  });
}

export function submitToken(h: Harness, viewId: string, token: string) {
  return h.driver.submitView(viewId, { [CONNECT.tokenBlock]: { [CONNECT.tokenAction]: token } });
}

export function submitOrg(h: Harness, viewId: string, orgValue: string) {
  return h.driver.submitView(viewId, { [CONNECT.orgBlock]: { [CONNECT.orgAction]: orgValue } });
}

/** Connect `user` with `token`, whose account is in exactly one organization. */
export async function connectAs(h: Harness, user: string, token: string): Promise<void> {
  const view = await openConnect(h, user);
  const res = await submitToken(h, view.id, token);
  expect(res.viewProblem).toBeUndefined();
  expect(res.body?.response_action).not.toBe("errors");
  await eventually(async () =>
    expect((await h.store.get(h.slack.teamId, user))?.status).toBe("ok"),
  );
}

/** Ephemeral messages `user` sees in `channel`, oldest first. */
export function ephemerals(h: Harness, user: string, channel = OPS): FakeMessage[] {
  return h.slack.messages(channel).filter((m) => m.ephemeralTo === user);
}

/** Waits for a new ephemeral message for `user` matching `pred`. */
export function nextEphemeral(
  h: Harness,
  user: string,
  pred: (m: FakeMessage) => boolean,
  after = 0,
  channel = OPS,
): Promise<FakeMessage> {
  return eventually(() => {
    const found = ephemerals(h, user, channel).slice(after).find(pred);
    if (!found) throw new Error(`no matching ephemeral for ${user}`);
    return found;
  });
}

export const hasAction = (actionId: string) => (m: FakeMessage) =>
  JSON.stringify(m.blocks).includes(`"action_id":"${actionId}"`);

export const mentions = (text: string) => (m: FakeMessage) =>
  JSON.stringify(m.blocks).includes(text) || m.text.includes(text);

/** Bearer tokens the Tallyfy sandbox saw, from request `from` on. */
export function tokensSeen(h: Harness, from = 0): (string | undefined)[] {
  return h.sandbox.requests.slice(from).map((r) => r.token);
}
