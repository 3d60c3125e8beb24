/**
 * The naive reference bot: what a competent developer writes first. The same Bolt and receiver
 * as the bot (HTTPReceiver on /slack/events, processBeforeResponse off, signature checks on);
 * `/tallyfy show <id>` acks, reads the run from Tallyfy with undici, and posts a plain card with
 * chat.postMessage. Nothing else: no queue, no cache, no pacing, no retries.
 *
 *   PORT=0 SLACK_SIGNING_SECRET=… SLACK_BOT_TOKEN=… SLACK_API_URL=… \
 *   TALLYFY_API_URL=… TALLYFY_ACCESS_TOKEN=… TALLYFY_ORG_ID=… node bench/naive.ts
 *
 * Prints {"port":N} once listening; exits when stdin closes or on SIGTERM.
 */
import type { Server } from "node:http";
import { App, HTTPReceiver, LogLevel } from "@slack/bolt";
import { request } from "undici";

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) {
    process.stderr.write(`naive: ${name} is required\n`);
    process.exit(2);
  }
  return value;
};
const signingSecret = env("SLACK_SIGNING_SECRET");
const tallyfyUrl = env("TALLYFY_API_URL");
const tallyfyToken = env("TALLYFY_ACCESS_TOKEN");
const orgId = env("TALLYFY_ORG_ID");

const receiver = new HTTPReceiver({
  signingSecret,
  endpoints: "/slack/events",
  processBeforeResponse: false,
});
const app = new App({
  token: env("SLACK_BOT_TOKEN"),
  receiver,
  logLevel: LogLevel.WARN,
  clientOptions: { slackApiUrl: env("SLACK_API_URL") },
});

interface Run {
  id: string;
  name: string;
  status: string;
}

app.command("/tallyfy", async ({ ack, command, client, respond }) => {
  await ack();
  const [verb, id] = command.text.trim().split(/\s+/);
  if (verb !== "show" || !id) return;
  try {
    const res = await request(`${tallyfyUrl}/organizations/${orgId}/runs/${id}`, {
      headers: {
        authorization: `Bearer ${tallyfyToken}`,
        accept: "application/json",
        // Tallyfy answers 404 to API calls without it (REFERENCE.md).
        "x-tallyfy-client": "APIClient",
      },
    });
    const body = (await res.body.json()) as { data: Run };
    if (res.statusCode !== 200) throw new Error(`Tallyfy answered ${res.statusCode}`);
    const run = body.data;
    await client.chat.postMessage({
      channel: command.channel_id,
      text: `${run.name}: ${run.status}`,
      blocks: [
        { type: "section", text: { type: "mrkdwn", text: `*${run.name}*\nStatus: ${run.status}` } },
      ],
    });
  } catch (error) {
    await respond({ response_type: "ephemeral", text: `:x: ${(error as Error).message}` });
  }
});

const server = (await app.start(Number(process.env.PORT ?? 0))) as Server;
const address = server.address();
process.stdout.write(
  `${JSON.stringify({ port: typeof address === "object" && address ? address.port : 0 })}\n`,
);

const stop = () => {
  void app.stop().finally(() => process.exit(0));
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
process.stdin.on("end", stop);
process.stdin.resume();
