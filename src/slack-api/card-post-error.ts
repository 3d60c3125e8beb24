/** What Slack said about a failed Web API call, in words fit for a person (no secrets). */
export function slackProblem(error: unknown): string {
  const e = error as {
    code?: unknown;
    data?: { error?: unknown };
    statusCode?: unknown;
    retryAfter?: unknown;
  };
  // Slack's codes are snake_case words; anything else is not shown as-is (this is mrkdwn).
  if (typeof e?.data?.error === "string") {
    return /^[a-z0-9_.]{1,60}$/.test(e.data.error) ? `\`${e.data.error}\`` : "an error";
  }
  if (e?.code === "slack_webapi_rate_limited_error") {
    return typeof e.retryAfter === "number"
      ? `too many messages, try again in ${e.retryAfter} s`
      : "too many messages";
  }
  if (typeof e?.statusCode === "number") return `HTTP ${e.statusCode}`;
  if (e?.code === "slack_webapi_request_error") return "no answer";
  return "an unexpected error";
}

/** Posting a card to a channel failed for good (after the client's bounded retries). */
export class CardPostError extends Error {
  /** Slack's error code when it gave one, so callers reading `data.error` still can. */
  readonly data: { error?: string } | undefined;
  readonly problem: string;
  constructor(cause: unknown) {
    const problem = slackProblem(cause);
    super(`could not post the card: ${problem}`, { cause });
    this.name = "CardPostError";
    this.problem = problem;
    const code = (cause as { data?: { error?: unknown } })?.data?.error;
    this.data = typeof code === "string" ? { error: code } : undefined;
  }
}

const DONE: Record<string, string> = { archive: "archived", activate: "re-activated" };

/** The sentence for a card that could not be posted, after `what` (show, view, archive…). */
export function cardPostFailureText(error: CardPostError, what: string): string {
  const failed = `I couldn't post the card in this channel (Slack said ${error.problem})`;
  const done = DONE[what];
  return done ? `The process was ${done}, but ${failed}.` : `${failed}; nothing else changed.`;
}
