/**
 * `npm run dev`: the bot, a Slack-like page and the Tallyfy sandbox in one process.
 * Set PORT to change the page's port (default 3000), TALLYFY_ACCESS_TOKEN + TALLYFY_ORG_ID to
 * use real Tallyfy instead of the sandbox, SANDBOX_LATENCY_MS to slow the sandbox down.
 */
import { SEED } from "../sandbox/tallyfy/server.ts";
import { startPlayground } from "./server.ts";

const port = process.env.PORT ? Number(process.env.PORT) : 3000;
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  process.stderr.write("PORT must be a whole number from 0 to 65535\n");
  process.exit(1);
}

try {
  const playground = await startPlayground({
    port,
    host: process.env.HOST || "127.0.0.1",
    sandboxLatencyMs: Number(process.env.SANDBOX_LATENCY_MS) || 0,
  });
  const url = playground.url.replace(/\/\/(127\.0\.0\.1|0\.0\.0\.0):/, "//localhost:");
  const against = playground.sandbox ? "the Tallyfy sandbox" : playground.tallyfyTarget;
  process.stdout.write(`\n  Tallyfy for Slack playground (against ${against}):\n\n    ${url}\n\n`);
  if (playground.sandbox) {
    // Sandbox tokens are fixed seed data, not secrets: paste one into /tallyfy connect.
    const { bob, carol } = SEED.users;
    process.stdout.write(
      `  Everyone uses Alice's workspace connection until they /tallyfy connect their own.\n` +
        `  Sandbox tokens to paste: ${bob.full_name}: ${bob.token}\n` +
        `                           ${carol.full_name}: ${carol.token}\n\n`,
    );
  }

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`\n${signal}: shutting down…\n`);
    const force = setTimeout(() => process.exit(1), 5_000);
    force.unref();
    await playground.close();
    process.exit(0);
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
} catch (error) {
  const e = error as NodeJS.ErrnoException;
  const message =
    e.code === "EADDRINUSE"
      ? `Port ${port} is in use. Try: PORT=${port + 1} npm run dev`
      : (e.message ?? String(error));
  process.stderr.write(`The playground could not start: ${message}\n`);
  process.exit(1);
}
