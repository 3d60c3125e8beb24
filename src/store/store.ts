import { sealToken, tokenAad } from "./crypto.ts";
import { createMemoryLiveState } from "./memory-live-state.ts";
import { createMemorySharedState, type SharedStore } from "./shared-state.ts";

/** One Slack user's own Tallyfy connection (their personal access token). */
export interface Connection {
  teamId: string;
  userId: string;
  token: string;
  orgId: string;
  orgName: string | null;
  tallyfyUserId: number | null;
  tallyfyEmail: string | null;
  tallyfyName: string | null;
  /** "invalid" once Tallyfy rejected the token; the user must reconnect. */
  status: "ok" | "invalid";
  createdAt: Date;
  updatedAt: Date;
}

export type ConnectionInput = Omit<Connection, "createdAt" | "updatedAt" | "status"> & {
  status?: "ok" | "invalid";
};

/** Storage for per-user connections; listeners depend only on this. */
export interface ConnectionStore {
  get(teamId: string, userId: string): Promise<Connection | undefined>;
  /** Insert or replace; keeps createdAt of an existing record, status defaults to "ok". */
  put(c: ConnectionInput): Promise<Connection>;
  /** True when a record was removed. */
  delete(teamId: string, userId: string): Promise<boolean>;
  /**
   * Marks the connection invalid only while it still holds `token`, the one Tallyfy rejected,
   * checked and updated atomically: a late 401 for a replaced token leaves the new connection
   * alone. True when a record was marked (or already was invalid with that token).
   */
  markInvalid(teamId: string, userId: string, token: string): Promise<boolean>;
  count(): Promise<number>;
  close(): Promise<void>;
}

export interface StoreClockOptions {
  /** Clock for createdAt/updatedAt (tests). */
  now?: () => Date;
}

/** Rejects inputs that would make a useless record. Never echoes the token. */
export function assertConnectionInput(c: ConnectionInput): void {
  const missing = (["teamId", "userId", "token", "orgId"] as const).filter(
    (k) => typeof c[k] !== "string" || c[k].trim() === "",
  );
  if (missing.length > 0) {
    throw new TypeError(`Connection is missing ${missing.join(", ")}`);
  }
  if (c.status !== undefined && c.status !== "ok" && c.status !== "invalid") {
    throw new TypeError(`Connection status must be "ok" or "invalid"`);
  }
}

/** The values of a connection upsert, in column order (team_id … status), token sealed. */
export const connectionValues = (sealKey: Buffer, c: ConnectionInput) => [
  c.teamId,
  c.userId,
  sealToken(sealKey, c.token, tokenAad(c.teamId, c.userId)),
  c.orgId,
  c.orgName,
  c.tallyfyUserId,
  c.tallyfyEmail,
  c.tallyfyName,
  c.status ?? "ok",
];

const key = (teamId: string, userId: string) => `${teamId}\u0000${userId}`;

/** In-process store for tests and development; nothing survives a restart. */
export function createMemoryStore(opts: StoreClockOptions = {}): SharedStore {
  const now = opts.now ?? (() => new Date());
  const records = new Map<string, Connection>();
  let closed = false;
  const open = () => {
    if (closed) throw new Error("The connection store is closed");
  };
  const copy = (c: Connection): Connection => ({
    ...c,
    createdAt: new Date(c.createdAt),
    updatedAt: new Date(c.updatedAt),
  });

  const shared = createMemorySharedState(now, open);

  return {
    ...shared,
    ...createMemoryLiveState(now, open),
    async get(teamId, userId) {
      open();
      const found = records.get(key(teamId, userId));
      return found ? copy(found) : undefined;
    },
    async put(c) {
      open();
      assertConnectionInput(c);
      const at = now();
      const existing = records.get(key(c.teamId, c.userId));
      const record: Connection = {
        teamId: c.teamId,
        userId: c.userId,
        token: c.token,
        orgId: c.orgId,
        orgName: c.orgName,
        tallyfyUserId: c.tallyfyUserId,
        tallyfyEmail: c.tallyfyEmail,
        tallyfyName: c.tallyfyName,
        status: c.status ?? "ok",
        createdAt: existing ? existing.createdAt : at,
        updatedAt: at,
      };
      records.set(key(c.teamId, c.userId), record);
      return copy(record);
    },
    async delete(teamId, userId) {
      open();
      return records.delete(key(teamId, userId));
    },
    async markInvalid(teamId, userId, token) {
      open();
      const found = records.get(key(teamId, userId));
      if (!found || found.token !== token) return false;
      records.set(key(teamId, userId), { ...found, status: "invalid", updatedAt: now() });
      return true;
    },
    async count() {
      open();
      return records.size;
    },
    async close() {
      closed = true;
    },
  };
}
