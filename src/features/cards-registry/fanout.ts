/**
 * Slack writes for live cards (redraws, DMs, subscription posts) on their own WebClient and
 * budget: at most one update per message per second and about 50 a minute per workspace
 * (chat.update is Tier 3). A 429 pauses this fan-out only; the client rejects rate-limited
 * calls instead of pausing its queue, so a person's views.open never waits behind a redraw.
 */

import type { Logger } from "../../log.ts";
import { slackErrorCode } from "../../slack/slack-errors.ts";
import type { WebClient } from "../../slack/web-client.ts";
import { jsonArg } from "../../slack-api/json-arg.ts";

export interface SlackMessage {
  text: string;
  blocks: readonly unknown[];
}

export type UpdateResult = "updated" | "gone" | "failed";

export interface Fanout {
  /** Redraws a message in place; several calls for one message while it waits: the last wins. */
  update(teamId: string, channel: string, ts: string, msg: SlackMessage): Promise<UpdateResult>;
  /** Refreshes an unfurl (chat.unfurl again on the same message). */
  unfurl(
    teamId: string,
    channel: string,
    ts: string,
    url: string,
    msg: SlackMessage,
  ): Promise<UpdateResult>;
  /** Posts a new message (a DM to a user id, or a card in a channel). */
  post(
    teamId: string,
    channel: string,
    msg: SlackMessage,
  ): Promise<{ channel: string; ts: string }>;
  /** chat.update calls made, for measurements. */
  readonly updates: number;
}

export interface FanoutOptions {
  client: WebClient;
  logger: Logger;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  perMessageMs?: number;
  perWorkspacePerMinute?: number;
}

/** Slack's answers that mean the card no longer exists where it was recorded. */
const GONE = new Set([
  "message_not_found",
  "channel_not_found",
  "is_archived",
  "cant_update_message",
]);
const MAX_PAUSE_MS = 60_000;

export function createFanout(opts: FanoutOptions): Fanout {
  const now = opts.now ?? Date.now;
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const perMessageMs = opts.perMessageMs ?? 1_000;
  const perMinute = opts.perWorkspacePerMinute ?? 50;
  const lastWrite = new Map<string, number>();
  const sentAt = new Map<string, number[]>();
  const pausedUntil = new Map<string, number>();
  const queued = new Map<string, { msg: SlackMessage; done: Promise<UpdateResult> }>();
  let updates = 0;

  /** Waits until the workspace has room (and its 429 pause is over), then takes a slot. */
  const slot = async (teamId: string) => {
    for (;;) {
      const at = now();
      const list = (sentAt.get(teamId) ?? []).filter((t) => t > at - 60_000);
      sentAt.set(teamId, list);
      const pause = (pausedUntil.get(teamId) ?? 0) - at;
      const full = list.length >= perMinute ? (list[0] ?? at) + 60_000 - at : 0;
      const wait = Math.max(pause, full);
      if (wait <= 0) {
        list.push(at);
        return;
      }
      await sleep(Math.min(wait, MAX_PAUSE_MS));
    }
  };

  const spacing = async (key: string) => {
    const since = now() - (lastWrite.get(key) ?? Number.NEGATIVE_INFINITY);
    if (since < perMessageMs) await sleep(perMessageMs - since);
  };

  const forgetOld = () => {
    const at = now();
    for (const [k, t] of lastWrite) if (t < at - perMessageMs) lastWrite.delete(k);
  };

  /** One Slack call within the budget; a 429 pauses the workspace and the call is tried again once. */
  const call = async <T>(teamId: string, send: () => Promise<T>): Promise<T> => {
    for (let attempt = 0; ; attempt++) {
      await slot(teamId);
      try {
        return await send();
      } catch (error) {
        const retryAfter = (error as { retryAfter?: unknown }).retryAfter;
        if (attempt > 0 || typeof retryAfter !== "number") throw error;
        pausedUntil.set(teamId, now() + Math.min(retryAfter * 1000, MAX_PAUSE_MS));
        opts.logger.warn("Slack rate-limited the live-card updates; pausing them", {
          teamId,
          retryAfterSec: retryAfter,
        });
      }
    }
  };

  const write = async (
    teamId: string,
    key: string,
    what: string,
    send: () => Promise<unknown>,
  ): Promise<UpdateResult> => {
    lastWrite.set(key, now());
    try {
      await call(teamId, send);
      return "updated";
    } catch (error) {
      const code = slackErrorCode(error);
      if (code && GONE.has(code)) return "gone";
      opts.logger.warn(`${what} failed`, { key, error: code ?? (error as Error).message });
      return "failed";
    } finally {
      lastWrite.set(key, now());
      forgetOld();
    }
  };

  const paced = (
    teamId: string,
    key: string,
    msg: SlackMessage,
    what: string,
    send: (m: SlackMessage) => Promise<unknown>,
  ): Promise<UpdateResult> => {
    const waiting = queued.get(key);
    if (waiting) {
      waiting.msg = msg;
      return waiting.done;
    }
    const entry = { msg, done: Promise.resolve<UpdateResult>("failed") };
    entry.done = (async () => {
      await spacing(key);
      queued.delete(key);
      return write(teamId, key, what, () => send(entry.msg));
    })();
    queued.set(key, entry);
    return entry.done;
  };

  return {
    update(teamId, channel, ts, msg) {
      return paced(teamId, `${channel}:${ts}`, msg, "chat.update", (m) => {
        updates++;
        return opts.client.chat.update({
          channel,
          ts,
          text: m.text,
          blocks: jsonArg(m.blocks),
        });
      });
    },
    unfurl(teamId, channel, ts, url, msg) {
      return paced(teamId, `${channel}:${ts}:${url}`, msg, "chat.unfurl", (m) =>
        opts.client.chat.unfurl({
          channel,
          ts,
          unfurls: { [url]: { blocks: m.blocks } } as never,
        }),
      );
    },
    async post(teamId, channel, msg) {
      const res = await call(teamId, () =>
        opts.client.chat.postMessage({
          channel,
          text: msg.text,
          blocks: jsonArg(msg.blocks),
          unfurl_links: false,
        }),
      );
      return { channel: res.channel ?? channel, ts: res.ts ?? "" };
    },
    get updates() {
      return updates;
    },
  };
}
