/** What a person hears when the bot restarts before their queued work has ended. */
import type { RespondFn } from "@slack/bolt";
import { renderNotice } from "../blocks/notices.ts";
import { reply } from "./reply.ts";
import type { Unfinished } from "./work-queue.ts";

const NOTHING_CHANGED =
  "I was restarting and didn't get to this, so nothing was changed. Please run it again in a moment.";

const TEXT: Record<Unfinished, string> = {
  not_started: NOTHING_CHANGED,
  read: NOTHING_CHANGED,
  write:
    "I was restarting while this was being sent to Tallyfy, so it may have been applied. Check the process (Refresh on its card, or `/tallyfy show`) before trying again.",
};

export function stoppedNotice(why: Unfinished) {
  return renderNotice("warning", TEXT[why]);
}

/** The work queue's `stopped` for work that answers through `respond` (its response_url). */
export const tellStopped =
  (respond: RespondFn) =>
  (why: Unfinished): Promise<void> =>
    reply({ respond }, stoppedNotice(why));
