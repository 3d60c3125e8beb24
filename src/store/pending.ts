import { randomBytes } from "node:crypto";
import { z } from "zod";
import type { SharedState } from "./shared-state.ts";

/** What a user tried to do before connecting, replayed once they have connected. */
export interface PendingCommand {
  text: string;
  channelId: string;
  responseUrl?: string;
}

/**
 * Commands people ran before connecting, kept in the shared store (sealed with the key where
 * it persists) so whichever instance completes the connect replays it, exactly once.
 */
export interface PendingCommands {
  /** Remembers the user's latest command (replacing an earlier one); returns its id. */
  set(teamId: string, userId: string, cmd: PendingCommand): Promise<string>;
  /**
   * Removes and returns the user's pending command, unless it expired; of concurrent takers on
   * any instance only one gets it. With `id`, only the command with that id (e.g. from the
   * connect button) is taken; a newer one is left alone.
   */
  take(teamId: string, userId: string, id?: string): Promise<PendingCommand | undefined>;
  /** Forgets the user's pending command (on disconnect), so no later connect replays it. */
  drop(teamId: string, userId: string): Promise<void>;
}

export interface PendingCommandsOptions {
  ttlMs?: number;
  /** Clock in ms (tests); must match the store's clock. */
  now?: () => number;
}

const KIND = "command";

const storedSchema = z.object({
  id: z.string(),
  expiresAt: z.number(),
  cmd: z.object({
    text: z.string(),
    channelId: z.string(),
    responseUrl: z.string().optional(),
  }),
});
type Stored = z.infer<typeof storedSchema>;

/** The shared record's id: one pending command per Slack team and user. */
export const pendingCommandId = (teamId: string, userId: string) => `${teamId}:${userId}`;

export function createPendingCommands(
  shared: SharedState,
  opts: PendingCommandsOptions = {},
): PendingCommands {
  const ttlMs = opts.ttlMs ?? 10 * 60_000;
  const now = opts.now ?? Date.now;

  const takeStored = async (teamId: string, userId: string): Promise<Stored | undefined> => {
    const raw = await shared.takePending(KIND, pendingCommandId(teamId, userId));
    if (raw === undefined) return undefined;
    const parsed = storedSchema.safeParse(safeJson(raw));
    return parsed.success ? parsed.data : undefined;
  };

  return {
    async set(teamId, userId, cmd) {
      const id = randomBytes(9).toString("base64url");
      const copy: PendingCommand = { text: cmd.text, channelId: cmd.channelId };
      if (cmd.responseUrl !== undefined) copy.responseUrl = cmd.responseUrl;
      const stored: Stored = { id, expiresAt: now() + ttlMs, cmd: copy };
      await shared.putPending(
        KIND,
        pendingCommandId(teamId, userId),
        JSON.stringify(stored),
        ttlMs,
      );
      return id;
    },
    async take(teamId, userId, id) {
      const stored = await takeStored(teamId, userId);
      if (!stored) return undefined;
      if (id !== undefined && id !== stored.id) {
        // Someone else's prompt: put the newer command back for the rest of its time.
        const left = stored.expiresAt - now();
        if (left > 0) {
          await shared.putPending(
            KIND,
            pendingCommandId(teamId, userId),
            JSON.stringify(stored),
            Math.ceil(left),
          );
        }
        return undefined;
      }
      return stored.cmd;
    },
    async drop(teamId, userId) {
      await shared.takePending(KIND, pendingCommandId(teamId, userId));
    },
  };
}

function safeJson(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return undefined;
  }
}
