/**
 * Run the Tallyfy sandbox on its own:
 *   node sandbox/tallyfy/main.ts [--port 4010] [--latency 0] [--host 127.0.0.1]
 */
import { parseArgs } from "node:util";
import { SEED } from "./seed.ts";
import { startTallyfySandbox } from "./server.ts";

const { values } = parseArgs({
  options: {
    port: { type: "string", default: "4010" },
    latency: { type: "string", default: "0" },
    host: { type: "string", default: "127.0.0.1" },
  },
});

function number(flag: string, raw: string | undefined): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) {
    console.error(`--${flag} must be a whole number, got "${raw}"`);
    process.exit(2);
  }
  return n;
}

const sandbox = await startTallyfySandbox({
  port: number("port", values.port),
  latencyMs: number("latency", values.latency),
  host: values.host,
});

console.log(`Tallyfy sandbox listening
  TALLYFY_API_URL=${sandbox.url}
  TALLYFY_WEB_URL=${sandbox.webUrl}
  TALLYFY_ORG_ID=${sandbox.orgId}
  TALLYFY_ACCESS_TOKEN=${sandbox.token}   (${SEED.users.admin.email}, admin)
Other users: ${Object.values(SEED.users)
  .filter((u) => u.id !== SEED.users.admin.id)
  .map((u) => u.email)
  .join(", ")}
Ctrl-C to stop.`);

let stopping = false;
async function stop(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal}: stopping the Tallyfy sandbox.`);
  await sandbox.close();
  process.exit(0);
}
process.on("SIGINT", () => void stop("SIGINT"));
process.on("SIGTERM", () => void stop("SIGTERM"));
