import type { ServerResponse } from "node:http";

/**
 * Whether Slack requests are arriving: some are not answered yet, or the last came less than
 * `quietMs` ago. Only requests verified as Slack's are tracked (a half-sent body from anyone
 * else must not hold the bot "busy"). Post-ack work yields to them (on two cores a burst of card posts would
 * otherwise delay every ack behind it). `onQuiet` runs once the requests have stopped.
 */
export function watchArrivals(onQuiet: () => void, quietMs = 5) {
  let unanswered = 0;
  let last = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const busy = () => unanswered > 0 || performance.now() - last < quietMs;
  // Once the last request is answered, wait out the quiet time (longer if more came meanwhile).
  const settle = () => {
    timer = undefined;
    if (unanswered > 0) return; // its answer calls settle again
    const left = last + quietMs - performance.now();
    if (left > 0) timer = setTimeout(settle, left);
    else onQuiet();
  };
  const answered = () => {
    unanswered--;
    last = performance.now();
    if (unanswered === 0 && !timer) timer = setTimeout(settle, quietMs);
  };
  return {
    busy,
    /** A verified Slack request, unanswered until `res` closes. */
    track(res: ServerResponse) {
      unanswered++;
      res.once("close", answered);
    },
  };
}
