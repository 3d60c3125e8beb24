/** Shared helpers for the tasks end-to-end tests (not a test file). */

import type { FakeMessage, Json } from "../../sandbox/slack/types.ts";
import type { RecordedRequest } from "../../sandbox/tallyfy/server.ts";
import { eventually, type Harness } from "../support/harness.ts";

export const OPS = "C0OPS";
export const ALICE = "U0ALICE";
export const BOB = "U0BOB";

export const text = (x: unknown) => JSON.stringify(x);

/** The newest ephemeral message `user` sees in `channel`, once `pred` holds for it. */
export function ephemeral(
  h: Harness,
  pred: (m: FakeMessage) => boolean = () => true,
  user = ALICE,
  channel = OPS,
): Promise<FakeMessage> {
  return eventually(() => {
    const m = h.slack
      .messages(channel)
      .filter((x) => x.ephemeralTo === user)
      .at(-1);
    if (!m || !pred(m)) throw new Error("no such ephemeral message yet");
    return m;
  });
}

/** Every button and overflow in a message's blocks. */
export function elements(blocks: Json[]): Json[] {
  const out: Json[] = [];
  for (const b of blocks) {
    if (b.accessory) out.push(b.accessory);
    for (const e of b.elements ?? []) if (e.type === "button" || e.type === "overflow") out.push(e);
  }
  return out;
}

/** The buttons of one task's row (its actions block). */
export function rowButtons(blocks: Json[], taskId: string): Json[] {
  const row = blocks.find((b) => b.block_id === `task_${taskId}_actions`);
  return (row?.elements ?? []) as Json[];
}

/** Tallyfy requests other than the cached user-list reads, as "METHOD /path". */
export function tallyfyCalls(h: Harness, since = 0): string[] {
  return h.sandbox.requests
    .slice(since)
    .filter((r: RecordedRequest) => !/\/users$/.test(r.path))
    .map((r) => `${r.method} ${r.path.replace(`/organizations/${h.sandbox.orgId}`, "")}`);
}

export const posts = (h: Harness, suffix: string) =>
  h.sandbox.requests.filter((r) => r.method === "POST" && r.path.endsWith(suffix));

/** Waits until the bot has gone quiet (no new Tallyfy request or Slack call for a moment). */
export async function settled(h: Harness, quietMs = 150): Promise<void> {
  let last = -1;
  await eventually(async () => {
    const n = h.sandbox.requests.length + h.slack.calls.length + h.slack.responses.length;
    if (n !== last) {
      last = n;
      await new Promise((r) => setTimeout(r, quietMs));
      throw new Error("still busy");
    }
  }, 8_000);
}
