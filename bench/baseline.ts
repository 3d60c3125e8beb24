/**
 * The baseline: a bare Bolt app with the same Bolt version and the same receiver setup as the
 * bot (HTTPReceiver on /slack/events, processBeforeResponse off, signature checks on), whose
 * `/tallyfy` handler only acks. Its template search answers an empty list, also at once.
 * Configured the way Bolt's docs show (token verification on: one auth.test at start-up).
 *
 *   PORT=0 SLACK_SIGNING_SECRET=… SLACK_BOT_TOKEN=xoxb-… SLACK_API_URL=… node bench/baseline.ts
 *
 * Prints {"port":N} once listening; exits when stdin closes or on SIGTERM.
 */
import type { Server } from "node:http";
import { App, HTTPReceiver, LogLevel } from "@slack/bolt";

const signingSecret = process.env.SLACK_SIGNING_SECRET;
if (!signingSecret) {
  process.stderr.write("baseline: SLACK_SIGNING_SECRET is required\n");
  process.exit(2);
}

const receiver = new HTTPReceiver({
  signingSecret,
  endpoints: "/slack/events",
  processBeforeResponse: false,
});
const app = new App({
  token: process.env.SLACK_BOT_TOKEN,
  receiver,
  logLevel: LogLevel.WARN,
  ...(process.env.SLACK_API_URL
    ? { clientOptions: { slackApiUrl: process.env.SLACK_API_URL } }
    : {}),
});

app.command("/tallyfy", async ({ ack }) => {
  await ack();
});
app.options("launch_template", async ({ ack }) => {
  await ack({ options: [] });
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
