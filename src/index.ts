import { createBot } from "./app.ts";
import { ConfigError, loadConfig } from "./config.ts";
import { createLogger, redact, Secrets } from "./log.ts";
import { openStore, type SharedStore } from "./store/index.ts";
import { createTallyfy } from "./tallyfy/index.ts";

async function main(secrets: Secrets): Promise<void> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig(process.env, { toRun: true });
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const logger = createLogger({
    level: config.logLevel,
    json: config.production || !process.stderr.isTTY,
    secrets,
  });

  // A stray rejection must not take every user's bot down with it; log it and carry on.
  process.on("unhandledRejection", (reason) => {
    logger.error("unhandled promise rejection", { error: reason });
  });
  process.on("uncaughtException", (error) => {
    logger.error("uncaught exception; exiting", { error });
    process.exit(1);
  });

  let store: SharedStore;
  try {
    store = await openStore(config, logger);
  } catch (error) {
    logger.error((error as Error).message);
    process.exit(1);
  }

  const tallyfy = createTallyfy({ apiUrl: config.tallyfy.apiUrl, logger, secrets });
  const bot = createBot({ config, logger, tallyfy, store, secrets });
  const { port } = await bot.start();
  logger.info(
    config.slack.appToken
      ? "Tallyfy for Slack is running in Socket Mode"
      : `Tallyfy for Slack is listening on port ${port} (POST /slack/events, GET /healthz)`,
    {
      perUserConnections: Boolean(config.encryptionKey),
      sharedConnection: Boolean(config.tallyfy.shared),
    },
  );

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info(`${signal} received; shutting down`);
    // Past the drain (8 s) and the notes to work it could not finish (1.5 s).
    const force = setTimeout(() => process.exit(1), 12_000);
    force.unref();
    let code = 0;
    try {
      const { clean } = await bot.stop();
      if (!clean) code = 1;
      await tallyfy.close();
      await store.close();
      logger.info("stopped");
    } catch (error) {
      logger.error("shutdown failed", { error });
      code = 1;
    }
    process.exit(code);
  };
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));
}

// One registry of what must never be shown: the logger, the Tallyfy client and the bot share it.
function run(): void {
  const secrets = new Secrets();
  main(secrets).catch((error: unknown) => {
    const message = redact((error as Error)?.message ?? String(error), secrets);
    process.stderr.write(`Tallyfy for Slack failed to start: ${message}\n`);
    process.exit(1);
  });
}

run();
