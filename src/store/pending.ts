import { randomBytes } from "node:crypto";
import { ExpiringMap } from "./expiring-map.ts";

/** What a user tried to do before connecting, replayed once they have connected. */
export interface PendingCommand {
  text: string;
  channelId: string;
  responseUrl?: string;
}

export interface PendingCommands {
  /** Remembers the user's latest command (replacing an earlier one); returns its id. */
  set(teamId: string, userId: string, cmd: PendingCommand): string;
  /**
   * Removes and returns the user's pending command, unless it expired. With `id`, only the
   * command with that id (e.g. from the connect button) is taken; a newer one is left alone.
   */
  take(teamId: string, userId: string, id?: string): PendingCommand | undefined;
  /** Unexpired entries. */
  readonly size: number;
}

export interface PendingCommandsOptions {
  ttlMs?: number;
  max?: number;
  /** Clock in ms (tests). */
  now?: () => number;
}

interface Entry {
  id: string;
  cmd: PendingCommand;
}

export function createPendingCommands(opts: PendingCommandsOptions = {}): PendingCommands {
  const entries = new ExpiringMap<string, Entry>({
    ttlMs: opts.ttlMs ?? 10 * 60_000,
    max: opts.max ?? 1000,
    ...(opts.now ? { now: opts.now } : {}),
  });
  const key = (teamId: string, userId: string) => `${teamId}\u0000${userId}`;

  return {
    set(teamId, userId, cmd) {
      const id = randomBytes(9).toString("base64url");
      const copy: PendingCommand = { text: cmd.text, channelId: cmd.channelId };
      if (cmd.responseUrl !== undefined) copy.responseUrl = cmd.responseUrl;
      entries.set(key(teamId, userId), { id, cmd: copy });
      return id;
    },
    take(teamId, userId, id) {
      const k = key(teamId, userId);
      const entry = entries.get(k);
      if (!entry || (id !== undefined && id !== entry.id)) return undefined;
      entries.delete(k);
      return entry.cmd;
    },
    get size() {
      return entries.size;
    },
  };
}
