/**
 * The load generator: Slack-signed requests (v0 scheme) sent over keep-alive undici pools,
 * closed loop (N always in flight).
 */
import { Pool } from "undici";
import { signSlackRequest } from "../sandbox/slack/signing.ts";
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

export class Target {
  readonly name: string;
  readonly origin: string;
  readonly secret: string;
  /** The app's process, for its CPU time. */
  readonly pid: number | undefined;
  readonly #pools = new Map<number, Pool>();

  constructor(name: string, origin: string, secret: string, pid?: number) {
    this.name = name;
    this.origin = origin;
    this.secret = secret;
    this.pid = pid;
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
