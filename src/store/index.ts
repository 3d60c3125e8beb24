import { resolve } from "node:path";
import type { Config } from "../config.ts";
import type { Logger } from "../log.ts";
import { openConnectionStore } from "./open.ts";
import type { SharedStore } from "./shared-state.ts";
import { DEFAULT_DB_FILE } from "./sqlite-store.ts";

export { openToken, sealToken, TokenDecryptError, tokenAad } from "./crypto.ts";
export type {
  CardInput,
  CardKind,
  CardRecord,
  LiveRun,
  LiveState,
  Subscription,
  SubscriptionInput,
  WebhookSecret,
  WebhookSecretInput,
} from "./live-state.ts";
export { createMemoryLiveState } from "./memory-live-state.ts";
export { MIGRATIONS, type Migration, migrate, schemaVersion } from "./migrations.ts";
export {
  type OpenConnectionStoreOptions,
  openConnectionStore,
  StoreKeyMissingError,
} from "./open.ts";
export {
  createPendingCommands,
  type PendingCommand,
  type PendingCommands,
  type PendingCommandsOptions,
} from "./pending.ts";
export {
  createMemorySharedState,
  type SharedState,
  type SharedStore,
} from "./shared-state.ts";
export {
  DEFAULT_DB_FILE,
  openSqliteStore,
  type SqliteStoreOptions,
  StoreKeyError,
  StoreNotWritableError,
} from "./sqlite-store.ts";
export {
  type Connection,
  type ConnectionInput,
  type ConnectionStore,
  createMemoryStore,
  type StoreClockOptions,
} from "./store.ts";

const NEEDS_KEY_FOR_POSTGRES =
  "DATABASE_URL needs TOKEN_ENCRYPTION_KEY: the Postgres store keeps tokens and pending work sealed with it. Generate one with: openssl rand -base64 32, and give every instance the same key.";

/**
 * Opens the store the configuration asks for and logs which one (never the URL's password):
 * Postgres with DATABASE_URL (several instances), else SQLite in DATA_DIR with a key (one
 * instance), else memory (a workspace connection only; nothing survives a restart).
 */
export async function openStore(config: Config, logger: Logger): Promise<SharedStore> {
  const { url, poolSize, statementTimeoutMs } = config.database;
  if (url) {
    logger.secrets.register(passwordOf(url), { pin: true });
    if (!config.encryptionKey) throw new Error(NEEDS_KEY_FOR_POSTGRES);
    // Loaded only when used, so a one-instance bot never loads the Postgres driver.
    const { describeDatabaseUrl, openPostgresStore } = await import("./postgres-store.ts");
    const store = await openPostgresStore({
      connectionString: url,
      key: config.encryptionKey,
      poolSize,
      statementTimeoutMs,
      onIdleError: (error) => logger.warn("an idle Postgres connection failed", { error }),
    });
    logger.info(`store: PostgreSQL at ${describeDatabaseUrl(url)}, shared by every instance`, {
      store: "postgres",
      poolSize,
      statementTimeoutMs,
    });
    return store;
  }
  // Without a key this refuses a DATA_DIR holding saved connections (see open.ts).
  const store = await openConnectionStore({ dataDir: config.dataDir, key: config.encryptionKey });
  if (config.encryptionKey) {
    const path = resolve(config.dataDir, DEFAULT_DB_FILE);
    logger.info(`store: SQLite at ${path}; serves one instance (set DATABASE_URL for several)`, {
      store: "sqlite",
    });
    return store;
  }
  logger.info("store: memory (no TOKEN_ENCRYPTION_KEY); serves one instance, kept until exit", {
    store: "memory",
  });
  return store;
}

function passwordOf(url: string): string | undefined {
  try {
    return decodeURIComponent(new URL(url).password) || undefined;
  } catch {
    return undefined;
  }
}
