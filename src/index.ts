import { createBot } from "./app.ts";
import { ConfigError, loadConfig } from "./config.ts";
import { createLogger, redact } from "./log.ts";
import { createMemoryStore, openSqliteStore } from "./store/index.ts";
import type { ConnectionStore } from "./store/store.ts";
import { createTallyfy } from "./tallyfy/index.ts";

async function main(): Promise<void> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
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
  });

  if (!config.encryptionKey && !config.tallyfy.shared) {
    logger.error(
      "TOKEN_ENCRYPTION_KEY is required: with no workspace connection (TALLYFY_ACCESS_TOKEN + TALLYFY_ORG_ID), everyone connects their own Tallyfy account and those tokens are stored encrypted. Generate a key with: openssl rand -base64 32",
    );
    process.exit(1);
  }

  let store: ConnectionStore;
  try {
    store = config.encryptionKey
      ? await openSqliteStore({ dataDir: config.dataDir, key: config.encryptionKey })
      : createMemoryStore();
  } catch (error) {
    logger.error((error as Error).message);
    process.exit(1);
  }

  const tallyfy = createTallyfy({ apiUrl: config.tallyfy.apiUrl, logger });
  const bot = createBot({ config, logger, tallyfy, store });
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
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    try {
      await bot.stop();
      await tallyfy.close();
      await store.close();
    } finally {
      process.exit(0);
    }
  };
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));
}

main().catch((error: unknown) => {
  process.stderr.write(
    `Tallyfy for Slack failed to start: ${redact((error as Error)?.message ?? String(error))}\n`,
  );
  process.exit(1);
});
