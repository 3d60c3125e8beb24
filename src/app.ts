import type { Server } from "node:http";
import {
  App,
  type Logger as BoltLogger,
  HTTPReceiver,
  LogLevel,
  SocketModeReceiver,
} from "@slack/bolt";
import { createIdentity } from "./accounts/identity.ts";
import type { Config } from "./config.ts";
import type { Logger } from "./log.ts";
import { registerSecret } from "./log.ts";
import { register as registerAccounts } from "./slack/accounts.ts";
import { register as registerActions } from "./slack/actions.ts";
import { register as registerCommands } from "./slack/commands.ts";
import type { Deps } from "./slack/deps.ts";
import { createModalOpeners } from "./slack/modals.ts";
import { register as registerOptions } from "./slack/options.ts";
import { register as registerViews } from "./slack/views.ts";
import { createPendingCommands, type PendingCommands } from "./store/pending.ts";
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
}

export interface Bot {
  app: App;
  deps: Deps;
  /** HTTP mode: listens on `port` (0 = any free port) and returns the bound port. */
  start(port?: number): Promise<{ port: number | undefined }>;
  stop(): Promise<void>;
  readonly ready: boolean;
}

/** Bolt's logger interface, routed through ours (so redaction applies to Bolt's lines too). */
function boltLogger(logger: Logger): BoltLogger {
  let level = LogLevel.INFO;
  let name = "bolt";
  const line = (msg: unknown[]) =>
    msg.map((m) => (typeof m === "string" ? m : JSON.stringify(m))).join(" ");
  return {
    debug: (...m) => logger.debug(line(m), { from: name }),
    info: (...m) => logger.info(line(m), { from: name }),
    warn: (...m) => logger.warn(line(m), { from: name }),
    error: (...m) => logger.error(line(m), { from: name }),
    setLevel: (l) => {
      level = l;
    },
    getLevel: () => level,
    setName: (n) => {
      name = n;
    },
  };
}

export function createBot(opts: BotOptions): Bot {
  const { config, logger } = opts;
  registerSecret(config.slack.botToken);
  registerSecret(config.slack.signingSecret);
  registerSecret(config.slack.appToken);
  registerSecret(config.tallyfy.shared?.token);

  let ready = false;
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

  const app = new App({
    token: config.slack.botToken,
    receiver,
    logger: bLogger,
    clientOptions: config.slack.apiUrl ? { slackApiUrl: config.slack.apiUrl } : {},
    // auth.test would make start-up depend on Slack being reachable; the token is checked on first use.
    tokenVerificationEnabled: false,
  });

  const deps: Deps = {
    config,
    logger,
    tallyfy: opts.tallyfy,
    store: opts.store,
    pending: opts.pending ?? createPendingCommands(),
    identity: createIdentity({ client: () => app.client, logger }),
    now: opts.now ?? (() => new Date()),
    policies: opts.policies ?? { interactive: INTERACTIVE, background: BACKGROUND },
  };
  const modals = createModalOpeners(deps);
  registerCommands(app, deps, modals);
  registerActions(app, deps, modals);
  registerViews(app, deps, modals);
  registerOptions(app, deps);
  registerAccounts(app, deps, modals);

  app.error(async (error) => {
    logger.error("unhandled error in a listener", { error });
  });

  return {
    app,
    deps,
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
      ready = true;
      const address = server.address();
      return { port: typeof address === "object" && address ? address.port : port };
    },
    async stop() {
      ready = false;
      await app.stop();
    },
  };
}
