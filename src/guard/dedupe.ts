import type { AnyMiddlewareArgs, Middleware } from "@slack/bolt";
import type { Logger } from "../log.ts";
import type { ReplayGuard } from "./replay.ts";

/** Slack retries an event about 1 min and 5 min after the first delivery; keep ids longer. */
export const EVENT_ID_TTL_MS = 10 * 60_000;
/** A Socket Mode envelope is delivered again only while unacknowledged: minutes at most. */
export const ENVELOPE_ID_TTL_MS = 10 * 60_000;

/**
 * Global middleware: an Events API event already handled (Slack retries come with a fresh
 * timestamp, so their signatures differ) and a Socket Mode envelope already handled
 * (`context.envelopeId`, from the receiver's customPropertiesExtractor) stop here.
 */
export function dedupe(opts: {
  replay: ReplayGuard;
  logger: Logger;
}): Middleware<AnyMiddlewareArgs> {
  return async (args) => {
    const body = args.body as { type?: unknown; event_id?: unknown };
    const envelopeId = args.context.envelopeId;
    if (
      typeof envelopeId === "string" &&
      (await opts.replay.seen(`env:${envelopeId}`, ENVELOPE_ID_TTL_MS))
    ) {
      opts.logger.info("dropped a Socket Mode envelope already handled", { envelopeId });
      if ("ack" in args && typeof args.ack === "function")
        await (args.ack as () => Promise<void>)();
      return;
    }
    if (
      body.type === "event_callback" &&
      typeof body.event_id === "string" &&
      (await opts.replay.seen(`event:${body.event_id}`, EVENT_ID_TTL_MS))
    ) {
      opts.logger.info("dropped an event already handled", {
        eventId: body.event_id,
        retryNum: args.context.retryNum,
      });
      return;
    }
    await args.next();
  };
}
