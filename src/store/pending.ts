import { randomBytes } from "node:crypto";

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
  expiresAt: number;
}

export function createPendingCommands(opts: PendingCommandsOptions = {}): PendingCommands {
  const ttlMs = opts.ttlMs ?? 10 * 60_000;
  const max = Math.max(1, opts.max ?? 1000);
  const now = opts.now ?? Date.now;
  // Map order is insertion order, and set() re-inserts, so the first entry is the oldest.
  const entries = new Map<string, Entry>();
  const key = (teamId: string, userId: string) => `${teamId}\u0000${userId}`;

  const purgeExpired = () => {
    const t = now();
    for (const [k, e] of entries) if (e.expiresAt <= t) entries.delete(k);
  };

  return {
    set(teamId, userId, cmd) {
      const k = key(teamId, userId);
      entries.delete(k);
      purgeExpired();
      while (entries.size >= max) {
        const oldest = entries.keys().next().value;
        if (oldest === undefined) break;
        entries.delete(oldest);
      }
      const id = randomBytes(9).toString("base64url");
      const copy: PendingCommand = { text: cmd.text, channelId: cmd.channelId };
      if (cmd.responseUrl !== undefined) copy.responseUrl = cmd.responseUrl;
      entries.set(k, { id, cmd: copy, expiresAt: now() + ttlMs });
      return id;
    },
    take(teamId, userId, id) {
      const k = key(teamId, userId);
      const entry = entries.get(k);
      if (!entry) return undefined;
      if (entry.expiresAt <= now()) {
        entries.delete(k);
        return undefined;
      }
      if (id !== undefined && id !== entry.id) return undefined;
      entries.delete(k);
      return entry.cmd;
    },
    get size() {
      purgeExpired();
      return entries.size;
    },
  };
}
