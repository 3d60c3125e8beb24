import type { Server } from "node:http";
import { App, HTTPReceiver, SocketModeReceiver, webApi } from "@slack/bolt";
import { createIdentity } from "./accounts/identity.ts";
import type { Config } from "./config.ts";
import { registerFeatures } from "./features/index.ts";
import type { Logger } from "./log.ts";
import { registerSecret } from "./log.ts";
import { watchArrivals } from "./slack/arrivals.ts";
import { authorizeOnce, boltLogger, trackInFlight } from "./slack/bolt.ts";
import { type BotContext, createBotContext } from "./slack/context.ts";
import { createSlackFetch } from "./slack/fetch.ts";
import { createResponseUrls } from "./slack/response-url.ts";
import { createWorkQueue } from "./slack/work-queue.ts";
import type { PendingCommands } from "./store/pending.ts";
import type { ConnectionStore } from "./store/store.ts";
import { BACKGROUND, type CallPolicy, INTERACTIVE, type Tallyfy } from "./tallyfy/api.ts";

export interface BotOptions {
  config: Config;
  logger: Logger;
  tallyfy: Tallyfy;
  store: ConnectionStore;
  pending?: PendingCommands;
  now?: () => Date;
  policies?: { interactive: CallPolicy; background: CallPolicy };
  /** On stop, how long to let requests already being handled finish. Default 8 s. */
  drainMs?: number;
}

export interface Bot {
  app: App;
  /** The bot's dependencies and registries (tests read its queue and registries). */
  context: BotContext;
  /** HTTP mode: listens on `port` (0 = any free port) and returns the bound port. */
  start(port?: number): Promise<{ port: number | undefined }>;
  /** Stops taking requests, then lets those in hand finish (up to `drainMs`). Idempotent. */
  stop(): Promise<void>;
  readonly ready: boolean;
}

/** Post-ack work running at once; the rest waits its turn (see src/slack/work-queue.ts). */
const BACKGROUND_CONCURRENCY = 16;
/** While requests keep arriving, work waits up to this long for them to stop... */
const BACKGROUND_MAX_WAIT_MS = 1000;
/** ...then this many run at once until they do. */
const BACKGROUND_CONCURRENCY_WHILE_ACKING = 2;
/**
 * Node closes an idle keep-alive connection after 5 s; load balancers keep theirs open longer
 * (AWS ALB 60 s), and a request sent on a connection the bot is closing fails with a 502.
 */
const KEEP_ALIVE_MS = 65_000;

export function createBot(opts: BotOptions): Bot {
  const { config, logger } = opts;
  registerSecret(config.slack.botToken);
  registerSecret(config.slack.signingSecret);
  registerSecret(config.slack.appToken);
  registerSecret(config.tallyfy.shared?.token);

  let ready = false;
  let stopping: Promise<void> | undefined;
  const health = {
    path: "/healthz",
    method: ["GET"],
    handler: (
      _req: unknown,
      res: { writeHead: (s: number, h: object) => void; end: (b: string) => void },
    ) => {
      res.writeHead(ready ? 200 : 503, { "Content-Type": "application/json" });
      res.end(JSON.stringify({ ok: ready }));
    },
  };
  const bLogger = boltLogger(logger);
  const receiver = config.slack.appToken
    ? new SocketModeReceiver({
        appToken: config.slack.appToken,
        logger: bLogger,
        customRoutes: [health as never],
        installerOptions: { port: config.slack.port },
      })
    : new HTTPReceiver({
        signingSecret: config.slack.signingSecret,
        endpoints: "/slack/events",
        customRoutes: [health as never],
        logger: bLogger,
        processBeforeResponse: false,
      });

  const slackFetch = createSlackFetch();
  const clientOptions = {
    ...(config.slack.apiUrl ? { slackApiUrl: config.slack.apiUrl } : {}),
    fetch: slackFetch.fetch,
  };
  // Our own client with the bot token: app.client (identity lookups, replies outside a
  // listener) and the one auth.test. Start-up never waits for Slack; the token is checked on
  // first use.
  const client = new webApi.WebClient(config.slack.botToken, { ...clientOptions, logger: bLogger });
  const app = new App({
    receiver,
    logger: bLogger,
    clientOptions,
    authorize: authorizeOnce(client, config.slack.botToken),
    // Bolt's conversation store is a global middleware on every request; nothing here reads it.
    convoStore: false,
  });
  app.client = client;

  const policies = opts.policies ?? { interactive: INTERACTIVE, background: BACKGROUND };
  const bot = createBotContext({
    config,
    logger,
    tallyfy: opts.tallyfy,
    store: opts.store,
    ...(opts.pending ? { pending: opts.pending } : {}),
    identity: createIdentity({ client: () => app.client, logger, policy: policies.background }),
    now: opts.now ?? (() => new Date()),
    policies,
    background: createWorkQueue({
      limit: BACKGROUND_CONCURRENCY,
      busy: () => arrivals.busy(),
      maxWaitMs: BACKGROUND_MAX_WAIT_MS,
      busyLimit: BACKGROUND_CONCURRENCY_WHILE_ACKING,
    }),
    responseUrls: createResponseUrls(slackFetch.fetch, { slackApiUrl: config.slack.apiUrl }),
  });
  const arrivals = watchArrivals(() => bot.background.kick());

  // Global middleware, in the order it runs, before any listener. Request guards go here.
  const inFlight = trackInFlight(app);

  registerFeatures(app, bot);

  app.error(async (error) => {
    logger.error("unhandled error in a listener", { error });
  });

  return {
    app,
    context: bot,
    get ready() {
      return ready;
    },
    async start(port = config.slack.port) {
      if (config.slack.appToken) {
        await app.start();
        ready = true;
        return { port: config.slack.port };
      }
      const server = (await app.start(port)) as Server;
      server.keepAliveTimeout = KEEP_ALIVE_MS;
      arrivals.watch(server);
      ready = true;
      const address = server.address();
      return { port: typeof address === "object" && address ? address.port : port };
    },
    stop() {
      ready = false;
      stopping ??= (async () => {
        await app.stop();
        const deadline = Date.now() + (opts.drainMs ?? 8_000);
        // Listeners still running (modal openers) may queue more work: wait for them first.
        const listenersDone = await inFlight.idle(deadline - Date.now());
        const queueDone = await bot.background.idle(Math.max(0, deadline - Date.now()));
        if (!listenersDone || !queueDone) {
          logger.warn("stopped with requests still being handled", {
            count: inFlight.count + bot.background.pending,
          });
        }
        await slackFetch.close();
      })();
      return stopping;
    },
  };
}
