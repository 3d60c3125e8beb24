/**
 * The playground: the Tallyfy sandbox (or real Tallyfy), the fake Slack with a Slack-like web
 * page on top, and the real bot in HTTP mode, wired together in one process.
 */
import { randomBytes } from "node:crypto";
import { SlackDriver } from "../sandbox/slack/driver.ts";
import { type FakeSlack, startFakeSlack, TEAM } from "../sandbox/slack/fake-slack.ts";
import { startTallyfySandbox, type TallyfySandbox } from "../sandbox/tallyfy/server.ts";
import { type Bot, createBot } from "../src/app.ts";
import { loadConfig } from "../src/config.ts";
import { createLogger, type Logger } from "../src/log.ts";
import { createMemoryStore, openSqliteStore } from "../src/store/index.ts";
import type { SharedStore } from "../src/store/shared-state.ts";
import { createTallyfy } from "../src/tallyfy/index.ts";
import { createPageHandler, type PageContext } from "./http.ts";
import { messageShortcuts } from "./shortcuts.ts";

export interface PlaygroundOptions {
  /** Port for the page (and the fake Slack Web API behind it); 0 picks a free one. */
  port?: number;
  host?: string;
  /** Environment to read TALLYFY_*, TOKEN_ENCRYPTION_KEY, DATA_DIR, LOG_LEVEL from. */
  env?: Record<string, string | undefined>;
  logger?: Logger;
  /** Delay each sandbox answer, to see "working…" states. */
  sandboxLatencyMs?: number;
}

export interface Playground {
  /** Open this in a browser. */
  url: string;
  slack: FakeSlack;
  driver: SlackDriver;
  bot: Bot;
  /** Undefined when talking to real Tallyfy. */
  sandbox: TallyfySandbox | undefined;
  /** "sandbox" or the real Tallyfy API URL. */
  tallyfyTarget: string;
  close(): Promise<void>;
}

/** Start everything; `close()` stops it all again. */
export async function startPlayground(opts: PlaygroundOptions = {}): Promise<Playground> {
  const env = opts.env ?? process.env;
  const logger =
    opts.logger ??
    createLogger({ level: logLevel(env.LOG_LEVEL), json: false, bindings: { from: "bot" } });
  const stops: (() => Promise<void>)[] = [];
  const close = async () => {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
    stops.length = 0;
  };

  try {
    const real = Boolean(env.TALLYFY_ACCESS_TOKEN?.trim());
    const sandbox = real
      ? undefined
      : await startTallyfySandbox({ latencyMs: opts.sandboxLatencyMs ?? 0 });
    if (sandbox) stops.push(() => sandbox.close());

    // The page handler needs the driver, which needs the bot, which needs the fake's URL.
    const ctx: { page?: PageContext } = {};
    const pageHandler = createPageHandler(() => ctx.page);
    const slack = await startFakeSlack({
      port: opts.port ?? 3000,
      host: opts.host ?? "127.0.0.1",
      onUnhandled: pageHandler.handle,
    });
    stops.push(() => slack.close());
    stops.push(async () => pageHandler.closeStreams());

    const signingSecret = randomBytes(24).toString("hex");
    const config = loadConfig({
      SLACK_BOT_TOKEN: slack.botToken,
      SLACK_SIGNING_SECRET: signingSecret,
      SLACK_API_URL: slack.apiUrl,
      TALLYFY_API_URL: sandbox ? sandbox.url : env.TALLYFY_API_URL,
      TALLYFY_WEB_URL: sandbox ? sandbox.webUrl : env.TALLYFY_WEB_URL,
      TALLYFY_ACCESS_TOKEN: sandbox ? sandbox.token : env.TALLYFY_ACCESS_TOKEN,
      TALLYFY_ORG_ID: sandbox ? sandbox.orgId : env.TALLYFY_ORG_ID,
      TALLYFY_RUN_URL_PATTERN: env.TALLYFY_RUN_URL_PATTERN,
      TALLYFY_ALLOW_SHARED: env.TALLYFY_ALLOW_SHARED,
      TOKEN_ENCRYPTION_KEY: env.TOKEN_ENCRYPTION_KEY || randomBytes(32).toString("base64"),
      DATA_DIR: env.DATA_DIR,
      LOG_LEVEL: env.LOG_LEVEL,
      PORT: "0",
    });
    const tallyfy = createTallyfy({ apiUrl: config.tallyfy.apiUrl, logger });
    stops.push(() => tallyfy.close());
    // In memory unless DATA_DIR is set explicitly: a playground starts fresh every time.
    const store: SharedStore = env.DATA_DIR?.trim()
      ? await openSqliteStore({ dataDir: config.dataDir, key: config.encryptionKey! })
      : createMemoryStore();
    stops.push(() => store.close());
    const bot = createBot({ config, logger, tallyfy, store });
    const { port: botPort } = await bot.start(0);
    stops.push(async () => void (await bot.stop()));
    if (sandbox) await wireWebhooks(bot, sandbox, botPort);

    const driver = new SlackDriver({
      botUrl: `http://127.0.0.1:${botPort}/slack/events`,
      signingSecret,
      slack,
      // The manifest's unfurl_domains: the Tallyfy web app's host.
      unfurlDomains: [new URL(config.tallyfy.webUrl).hostname],
    });
    ctx.page = { slack, driver, shortcuts: await messageShortcuts(), sandbox };
    return {
      url: slack.url,
      slack,
      driver,
      bot,
      sandbox,
      tallyfyTarget: sandbox ? "sandbox" : config.tallyfy.apiUrl,
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

/**
 * The sandbox sends its webhooks to the bot, as Tallyfy would once an admin pasted the URL from
 * `/tallyfy webhooks` into every template: completing a task through the sandbox's API redraws
 * the cards in the channel and DMs the next assignee, live on the page.
 */
async function wireWebhooks(bot: Bot, sandbox: TallyfySandbox, botPort: number | undefined) {
  const secret = randomBytes(32).toString("base64url");
  await bot.context.live.putWebhookSecret({
    orgId: sandbox.orgId,
    secret,
    teamId: TEAM.id,
    userId: null,
  });
  sandbox.webhooks.urls.push(`http://127.0.0.1:${botPort}/tallyfy/webhooks/${secret}`);
}

function logLevel(value: string | undefined): "debug" | "info" | "warn" | "error" {
  const v = value?.toLowerCase();
  return v === "debug" || v === "warn" || v === "error" ? v : "info";
}
