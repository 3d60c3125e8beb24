/**
 * End-to-end harness: the real bot (Bolt's HTTP receiver on a free port), the fake Slack Web
 * API it talks to through SLACK_API_URL, the Tallyfy sandbox it talks to through
 * TALLYFY_API_URL, and a driver that sends Slack-signed requests to the bot.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SlackDriver } from "../../sandbox/slack/driver.ts";
import { type FakeSlack, startFakeSlack } from "../../sandbox/slack/fake-slack.ts";
import {
  type RateLimit,
  startTallyfySandbox,
  type TallyfySandbox,
} from "../../sandbox/tallyfy/server.ts";
import { type Bot, createBot } from "../../src/app.ts";
import { loadConfig } from "../../src/config.ts";
import { createLogger } from "../../src/log.ts";
import { createMemoryStore, openSqliteStore } from "../../src/store/index.ts";
import type { SharedStore } from "../../src/store/shared-state.ts";
import { type CallPolicy, INTERACTIVE } from "../../src/tallyfy/api.ts";
import { type CreateTallyfyOptions, createTallyfy } from "../../src/tallyfy/index.ts";

export const BOT_TOKEN = "xoxb-test-bot-token-0123456789";
export const SIGNING_SECRET = "test-signing-secret-abcdef";
/** Shorter than production so failure tests finish quickly; same retry rules. */
export const TEST_BACKGROUND: CallPolicy = {
  attemptTimeoutMs: 3_000,
  budgetMs: 4_000,
  maxRetries: 2,
};
export const ENCRYPTION_KEY = Buffer.alloc(32, 42).toString("base64");

export interface Harness {
  sandbox: TallyfySandbox;
  slack: FakeSlack;
  driver: SlackDriver;
  bot: Bot;
  store: SharedStore;
  logs: string[];
  port: number;
  close(): Promise<void>;
}

export interface HarnessOptions {
  /** Extra or overriding environment; `shared: false` drops the workspace connection. */
  env?: Record<string, string | undefined>;
  shared?: boolean;
  /** Persist connections in SQLite under this dir instead of memory. */
  dataDir?: string;
  now?: () => Date;
  sandboxLatencyMs?: number;
  /** Turns on the sandbox's per-organization rate limit. */
  sandboxRateLimit?: RateLimit;
  /** The bot's post-ack call policy (TEST_BACKGROUND when absent). */
  background?: CallPolicy;
  /** Tallyfy client options: pacing, and when the "pacing us" note is due. */
  tallyfy?: Pick<CreateTallyfyOptions, "pacing" | "pacingNoticeMs">;
  /** The bot's drain budget on stop (createBot's default when absent). */
  drainMs?: number;
  /** 0: the reconcile loop runs only when the test calls tick(), never on a real timer. */
  reconcileIntervalMs?: number;
}

export async function startHarness(opts: HarnessOptions = {}): Promise<Harness> {
  const sandbox = await startTallyfySandbox({
    latencyMs: opts.sandboxLatencyMs ?? 0,
    ...(opts.sandboxRateLimit ? { rateLimit: opts.sandboxRateLimit } : {}),
  });
  const slack = await startFakeSlack({ botToken: BOT_TOKEN });
  const logs: string[] = [];
  const logger = createLogger({ level: "debug", json: true, write: (l) => logs.push(l) });
  const shared = opts.shared ?? true;
  const config = loadConfig({
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: slack.apiUrl,
    TALLYFY_API_URL: sandbox.url,
    TALLYFY_WEB_URL: sandbox.webUrl,
    TALLYFY_ACCESS_TOKEN: shared ? sandbox.token : undefined,
    TALLYFY_ORG_ID: shared ? sandbox.orgId : undefined,
    TOKEN_ENCRYPTION_KEY: ENCRYPTION_KEY,
    PORT: "0",
    // The reconcile loop re-reads runs with live cards in the background: off unless a test is
    // about it, so its reads never take a fault a test set up for the request it makes.
    RECONCILE_REQUESTS_PER_MINUTE: "0",
    ...opts.env,
  });
  const tallyfy = createTallyfy({ apiUrl: config.tallyfy.apiUrl, logger, ...opts.tallyfy });
  const tmp = opts.dataDir ? undefined : mkdtempSync(join(tmpdir(), "tallyfy-slack-"));
  // The store keeps the bot's clock, as in production (a card's activity time, a claim's age).
  const clock = opts.now ? { now: opts.now } : {};
  const store = opts.dataDir
    ? await openSqliteStore({ dataDir: opts.dataDir, key: config.encryptionKey!, ...clock })
    : createMemoryStore(clock);
  const bot = createBot({
    config,
    logger,
    tallyfy,
    store,
    policies: { interactive: INTERACTIVE, background: opts.background ?? TEST_BACKGROUND },
    ...(opts.now ? { now: opts.now } : {}),
    ...(opts.drainMs !== undefined ? { drainMs: opts.drainMs } : {}),
    ...(opts.reconcileIntervalMs !== undefined
      ? { reconcileIntervalMs: opts.reconcileIntervalMs }
      : {}),
  });
  // A reset sandbox (or one whose injected faults, 429s included, are cleared) stops limiting
  // the bot; the bot's pacer forgets the Retry-After it was told, or later tests would wait it out.
  const resetSandbox = sandbox.reset.bind(sandbox);
  const clearFaults = sandbox.clearFaults.bind(sandbox);
  sandbox.reset = () => {
    resetSandbox();
    tallyfy.resetPacing();
  };
  sandbox.clearFaults = () => {
    clearFaults();
    tallyfy.resetPacing();
  };
  const { port } = await bot.start(0);
  const driver = new SlackDriver({
    botUrl: `http://127.0.0.1:${port}/slack/events`,
    signingSecret: SIGNING_SECRET,
    slack,
  });
  return {
    sandbox,
    slack,
    driver,
    bot,
    store,
    logs,
    port: port!,
    async close() {
      await bot.stop();
      await tallyfy.close();
      await store.close();
      await slack.close();
      await sandbox.close();
      if (tmp) rmSync(tmp, { recursive: true, force: true });
    },
  };
}

/** Wait until `check` stops throwing (for work the bot does after its ack). */
export async function eventually<T>(check: () => T | Promise<T>, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      return await check();
    } catch (error) {
      last = error;
      await new Promise((r) => setTimeout(r, 20));
    }
  }
  throw last;
}
