import type { Server } from "node:http";
import { App, HTTPReceiver, SocketModeReceiver, webApi } from "@slack/bolt";
import { createIdentity } from "./accounts/identity.ts";
import type { Config } from "./config.ts";
import { createLiveEngine, type LiveEngine } from "./features/cards-registry/engine.ts";
import { registerFeatures } from "./features/index.ts";
import { createHttpGuard } from "./guard/http-guard.ts";
import { guardMiddleware } from "./guard/index.ts";
import { createStoreReplayGuard, type ReplayGuard } from "./guard/replay.ts";
import { finishClosing, SERVER_OPTIONS, within } from "./guard/server-limits.ts";
import type { Logger, Secrets } from "./log.ts";
import { boltLogger, trackInFlight } from "./slack/bolt.ts";
import { type BotContext, createBotContext, newInstanceId } from "./slack/context.ts";
import { createSlackFetch } from "./slack/fetch.ts";
import { listenerIndex } from "./slack/listeners.ts";
import { createResponseUrls } from "./slack/response-url.ts";
import { createWorkQueue } from "./slack/work-queue.ts";
import { createCardChat } from "./slack-api/card-chat.ts";
import { fanoutClientOptions, slackClientOptions } from "./slack-api/clients.ts";
import { installationFrom } from "./slack-api/installation.ts";
import type { PendingCommands } from "./store/pending.ts";
import type { SharedStore } from "./store/shared-state.ts";
import { BACKGROUND, type CallPolicy, INTERACTIVE, type Tallyfy } from "./tallyfy/api.ts";

export interface BotOptions {
  config: Config;
  logger: Logger;
  tallyfy: Tallyfy;
  /** Connections and shared state: instances sharing it share pending work, claims, replays. */
  store: SharedStore;
  /** Owner of this instance's claims, given back on stop. Default: host, pid and a random part. */
  instanceId?: string;
  pending?: PendingCommands;
  now?: () => Date;
  policies?: { interactive: CallPolicy; background: CallPolicy };
  /** On stop, how long to let requests already being handled finish. Default 8 s. */
  drainMs?: number;
  /** What must never reach a log or Slack. Default: the logger's registry. */
  secrets?: Secrets;
  /** Remembers signatures and event ids to refuse replays. Default: in the shared store. */
  replay?: ReplayGuard;
  /** How long one run's Tallyfy webhooks are gathered before acting. Default 1 s. */
  webhookWindowMs?: number;
  /** How often the reconcile loop runs a round. Default 2 s; 0: only when a test calls tick(). */
  reconcileIntervalMs?: number;
}

export interface Bot {
  app: App;
  /** The bot's dependencies and registries (tests read its queue and registries). */
  context: BotContext;
  /** HTTP mode: listens on `port` (0 = any free port) and returns the bound port. */
  start(port?: number): Promise<{ port: number | undefined }>;
  /**
   * Stops taking requests; queued work not yet started (or still waiting for Tallyfy's budget,
   * nothing sent) is told to run it again; the rest may
   * finish within `drainMs`, then what is still running is told how far it got, and every
   * connection left is closed. `clean`: all finished or was told nothing was changed. Idempotent.
   */
  stop(): Promise<{ clean: boolean }>;
  readonly ready: boolean;
  /** Live cards: webhooks, the fan-out and the reconcile loop. */
  live: LiveEngine;
}

/**
 * Most post-ack work running at once. A memory bound (a few KB each), not a pace: what paces
 * the work is each organization's Tallyfy budget (src/tallyfy/pacing.ts), which lets a burst
 * go out as fast as Tallyfy takes it. Beyond it work waits in the queue, in order.
 */
export const BACKGROUND_SAFETY_CAP = 1_000;
/**
 * Node closes an idle keep-alive connection after 5 s; load balancers keep theirs open longer
 * (AWS ALB 60 s), and a request sent on a connection the bot is closing fails with a 502.
 */
const KEEP_ALIVE_MS = 65_000;

export function createBot(opts: BotOptions): Bot {
  const { config, logger } = opts;
  const secrets = opts.secrets ?? logger.secrets;
  for (const secret of [
    config.slack.botToken,
    config.slack.signingSecret,
    config.slack.appToken,
    config.tallyfy.shared?.token,
  ]) {
    secrets.register(secret, { pin: true });
  }

  let ready = false;
  let stopping: Promise<{ clean: boolean }> | undefined;
  let server: Server | undefined;
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
  // Tallyfy's webhooks; the engine behind the route is made with the bot's context below.
  const webhooks = {
    path: "/tallyfy/webhooks/:secret",
    method: ["POST"],
    handler: (req: never, res: never) => engine.route.handler(req, res),
  };
  const bLogger = boltLogger(logger);
  const replay = opts.replay ?? createStoreReplayGuard(opts.store, { logger });
  const instanceId = opts.instanceId ?? newInstanceId();
  const httpGuard = createHttpGuard({
    signingSecret: config.slack.signingSecret,
    endpoints: ["/slack/events"],
    replay,
    logger,
  });
  const receiver = config.slack.appToken
    ? new SocketModeReceiver({
        appToken: config.slack.appToken,
        logger: bLogger,
        customRoutes: [health as never, webhooks as never],
        installerOptions: { port: config.slack.port },
        customPropertiesExtractor: (args) => ({ envelopeId: args.envelope_id }),
      })
    : new HTTPReceiver({
        signingSecret: config.slack.signingSecret,
        endpoints: "/slack/events",
        customRoutes: [health as never, webhooks as never],
        logger: bLogger,
        processBeforeResponse: false,
        // The request guard (src/guard/http-guard.ts) has verified the signature of every
        // request to /slack/events before Bolt sees it; checking it twice cost an HMAC each.
        signatureVerification: false,
      });
  if (receiver instanceof HTTPReceiver) {
    receiver.requestListener = httpGuard.wrap(receiver.requestListener);
  }

  const slackFetch = createSlackFetch();
  const clientOptions = slackClientOptions({
    apiUrl: config.slack.apiUrl,
    fetch: slackFetch.fetch,
  });
  // Our own client with the bot token: app.client (identity lookups, replies outside a
  // listener) and the one auth.test. Start-up never waits for Slack; the token is checked on
  // first use.
  const client = new webApi.WebClient(config.slack.botToken, { ...clientOptions, logger: bLogger });
  const installation = installationFrom(client, config.slack.botToken);
  const app = new App({
    receiver,
    logger: bLogger,
    clientOptions,
    authorize: installation.authorize,
    // Bolt's conversation store is a global middleware on every request; nothing here reads it.
    convoStore: false,
  });
  app.client = client;

  const policies = opts.policies ?? { interactive: INTERACTIVE, background: BACKGROUND };
  const now = opts.now ?? (() => new Date());
  const live = opts.store;
  const bot = createBotContext({
    config,
    logger,
    secrets,
    tallyfy: opts.tallyfy,
    store: opts.store,
    instanceId,
    ...(opts.pending ? { pending: opts.pending } : {}),
    identity: createIdentity({ client: () => app.client, logger, policy: policies.background }),
    now,
    policies,
    background: createWorkQueue(BACKGROUND_SAFETY_CAP),
    responseUrls: createResponseUrls(slackFetch.fetch, { slackApiUrl: config.slack.apiUrl }),
    cardChat: createCardChat({
      apiUrl: config.slack.apiUrl,
      token: config.slack.botToken,
      dispatcher: slackFetch.dispatcher,
    }),
    live,
    cards: {
      record: (card) => engine.cards.record(card),
      launched: (launch) => engine.cards.launched(launch),
    },
  });
  const engine = createLiveEngine({
    bot,
    client: new webApi.WebClient(config.slack.botToken, {
      ...fanoutClientOptions({ apiUrl: config.slack.apiUrl, fetch: slackFetch.fetch }),
      logger: bLogger,
    }),
    store: opts.store,
    teamId: async () => (await installation.get()).teamId,
    logger,
    ...(opts.webhookWindowMs !== undefined ? { webhookWindowMs: opts.webhookWindowMs } : {}),
    ...(opts.reconcileIntervalMs !== undefined
      ? { reconcileIntervalMs: opts.reconcileIntervalMs }
      : {}),
  });
  // Tallyfy calls made by queued work report to it, so stop() can let go of work still waiting.
  opts.tallyfy.useWorkScope(() => bot.background.scope());

  // Global middleware, in the order it runs, before any listener: who may use the bot and
  // replays first, then the in-flight count that shutdown waits on.
  guardMiddleware(app, { installation: installation.get, replay, logger });
  const inFlight = trackInFlight(app);

  const listeners = listenerIndex();
  registerFeatures(listeners, bot);
  listeners.mount(app);

  app.error(async (error) => {
    logger.error("unhandled error in a listener", { error });
  });

  return {
    app,
    context: bot,
    get ready() {
      return ready;
    },
    live: engine,
    async start(port = config.slack.port) {
      engine.start();
      if (config.slack.appToken) {
        await app.start();
        ready = true;
        return { port: config.slack.port };
      }
      server = (await app.start(port, SERVER_OPTIONS)) as Server;
      server.keepAliveTimeout = KEEP_ALIVE_MS;
      ready = true;
      const address = server.address();
      return { port: typeof address === "object" && address ? address.port : port };
    },
    stop() {
      ready = false;
      stopping ??= (async () => {
        const deadline = Date.now() + (opts.drainMs ?? 8_000);
        // Stop listening; requests whose body is still arriving are not Slack's: close them.
        const closed = app.stop().catch((error: unknown) => {
          logger.warn("stopping the receiver failed", { error: (error as Error).message });
        });
        httpGuard.dropUnverified();
        // Work not started yet, or waiting for Tallyfy's budget with nothing sent, is told at once
        // to run it again; so is any queued from now on.
        bot.background.close();
        // Listeners still running (modal openers) are let finish too.
        const listenersDone = await inFlight.idle(deadline - Date.now());
        const drained = await bot.background.drain(Math.max(0, deadline - Date.now()));
        if (!listenersDone || !drained.clean) {
          logger.warn("stopped with requests unfinished", {
            listeners: inFlight.count,
            notStarted: drained.notStarted,
            cutOff: drained.cutOff,
            undelivered: drained.undelivered,
          });
        } else if (drained.notStarted > 0) {
          logger.info("stopped; queued work was told to run it again", {
            notStarted: drained.notStarted,
          });
        }
        const closedInTime = server
          ? await finishClosing(server, closed, deadline)
          : await within(closed, Math.max(1_000, deadline - Date.now()));
        if (!closedInTime) logger.warn("closed connections still open at the stop deadline");
        await releaseClaims(bot, logger);
        await engine.stop();
        await slackFetch.close();
        return { clean: listenersDone && drained.clean };
      })();
      return stopping;
    },
  };
}

/**
 * Gives back the submissions this instance still holds, so another instance can take them up
 * (finished ones stay done: their outcome is recorded apart from the claim).
 */
async function releaseClaims(bot: BotContext, logger: Logger): Promise<void> {
  try {
    const released = await bot.claims.releaseAll();
    logger.info("released this instance's claims", { instanceId: bot.instanceId, released });
  } catch (error) {
    logger.warn("could not release this instance's claims; they lapse on their own", { error });
  }
}
