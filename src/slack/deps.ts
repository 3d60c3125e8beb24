import type { Identity } from "../accounts/identity.ts";
import type { Config } from "../config.ts";
import type { Logger, Secrets } from "../log.ts";
import type { PendingCommands } from "../store/pending.ts";
import type { ConnectionStore } from "../store/store.ts";
import type { CallPolicy, Tallyfy } from "../tallyfy/api.ts";
import type { WorkQueue } from "./work-queue.ts";

/** Everything listeners need, injected so tests can pass fakes. */
export interface Deps {
  config: Config;
  logger: Logger;
  /** Tokens to keep out of logs and Slack; a connection's goes when the connection does. */
  secrets: Secrets;
  tallyfy: Tallyfy;
  store: ConnectionStore;
  pending: PendingCommands;
  identity: Identity;
  now: () => Date;
  /** Budgets for Tallyfy calls inside the ack window and after it. */
  policies: { interactive: CallPolicy; background: CallPolicy };
  /** Post-ack work (Tallyfy reads and card posts), a few at a time. */
  background: WorkQueue;
}
