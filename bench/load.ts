/**
 * The load generator: Slack-signed requests (v0 scheme) sent over keep-alive undici pools,
 * closed loop (N always in flight) or open loop (a fixed rate, latency counted from the
 * scheduled send time so a slow server cannot hide its queue).
 */
import { Pool } from "undici";
import { signSlackRequest } from "../sandbox/slack/signing.ts";
import type { Json } from "./protocol.ts";
import type { Sample } from "./stats.ts";

export interface SignedRequest {
  body: string;
  headers: Record<string, string>;
}

export interface SlackWho {
  teamId: string;
  teamDomain: string;
  appId: string;
  user: { id: string; name: string };
  channel: { id: string; name: string };
}

export const ALICE_IN_OPS: Omit<SlackWho, "teamId" | "teamDomain"> = {
  appId: "A0TALLYFY",
  user: { id: "U0ALICE", name: "alice" },
  channel: { id: "C0OPS", name: "ops" },
};

/** Sign a body now; Bolt accepts the signature for five minutes. */
export function sign(secret: string, body: string): SignedRequest {
  const timestamp = Math.floor(Date.now() / 1000);
  return {
    body,
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      "x-slack-request-timestamp": String(timestamp),
      "x-slack-signature": signSlackRequest(secret, timestamp, body),
      "user-agent": "Slackbot 1.0 (+https://api.slack.com/robots)",
    },
  };
}

/** A `/tallyfy <text>` slash command as Slack posts it. */
export function commandBody(
  who: SlackWho,
  text: string,
  responseUrl: string,
  triggerId: string,
): string {
  return new URLSearchParams({
    token: "fakeVerificationToken0000",
    team_id: who.teamId,
    team_domain: who.teamDomain,
    channel_id: who.channel.id,
    channel_name: who.channel.name,
    user_id: who.user.id,
    user_name: who.user.name,
    command: "/tallyfy",
    text,
    api_app_id: who.appId,
    is_enterprise_install: "false",
    response_url: responseUrl,
    trigger_id: triggerId,
  }).toString();
}

/** A block_suggestion for an external select in an open view. */
export function suggestionBody(
  who: SlackWho,
  view: { id: string; view: Json },
  actionId: string,
  blockId: string,
  value: string,
): string {
  const payload = {
    type: "block_suggestion",
    user: { id: who.user.id, username: who.user.name, name: who.user.name, team_id: who.teamId },
    api_app_id: who.appId,
    token: "fakeVerificationToken0000",
    team: { id: who.teamId, domain: who.teamDomain },
    enterprise: null,
    is_enterprise_install: false,
    container: { type: "view", view_id: view.id },
    view: view.view,
    action_id: actionId,
    block_id: blockId,
    value,
  };
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

export class Target {
  readonly name: string;
  readonly origin: string;
  readonly secret: string;
  readonly #pools = new Map<number, Pool>();

  constructor(name: string, origin: string, secret: string) {
    this.name = name;
    this.origin = origin;
    this.secret = secret;
  }

  /** One pool per connection count, so a phase never starts on another phase's sockets. */
  pool(connections: number): Pool {
    let pool = this.#pools.get(connections);
    if (!pool) {
      pool = new Pool(this.origin, { connections, pipelining: 1, keepAliveTimeout: 10_000 });
      this.#pools.set(connections, pool);
    }
    return pool;
  }

  /** Send one signed request; `from` is when it was meant to go (open loop). */
  async send(pool: Pool, req: SignedRequest, from = performance.now()): Promise<Sample> {
    try {
      const res = await pool.request({
        path: "/slack/events",
        method: "POST",
        headers: req.headers,
        body: req.body,
        headersTimeout: 30_000,
        bodyTimeout: 30_000,
      });
      await res.body.text();
      return { ms: performance.now() - from, status: res.statusCode };
    } catch (e) {
      return { ms: performance.now() - from, status: 0, error: (e as Error).name };
    }
  }

  async close(): Promise<void> {
    await Promise.all([...this.#pools.values()].map((p) => p.close()));
    this.#pools.clear();
  }
}

/** `concurrency` workers, each sending its next request as soon as the last one is answered. */
export async function closedLoop(
  target: Target,
  requests: SignedRequest[],
  concurrency: number,
): Promise<Sample[]> {
  const pool = target.pool(concurrency);
  const samples: Sample[] = new Array(requests.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < requests.length; i = next++) {
      samples[i] = await target.send(pool, requests[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, requests.length) }, worker));
  return samples;
}

/** Requests at a fixed rate, whatever the answers; latency from each scheduled send time. */
export async function openLoop(
  target: Target,
  requests: SignedRequest[],
  perSecond: number,
  maxConnections = 512,
): Promise<Sample[]> {
  const pool = target.pool(maxConnections);
  const interval = 1000 / perSecond;
  const inFlight: Promise<Sample>[] = [];
  const start = performance.now();
  let i = 0;
  await new Promise<void>((resolve) => {
    const tick = () => {
      const now = performance.now();
      while (i < requests.length && start + i * interval <= now) {
        inFlight.push(target.send(pool, requests[i]!, start + i * interval));
        i++;
      }
      if (i < requests.length) setTimeout(tick, 1);
      else resolve();
    };
    tick();
  });
  return Promise.all(inFlight);
}
