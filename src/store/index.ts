export { openToken, sealToken, TokenDecryptError, tokenAad } from "./crypto.ts";
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
