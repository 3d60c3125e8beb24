/** One typed error family for everything that can go wrong talking to Tallyfy. */

export type TallyfyErrorKind =
  | "authentication"
  | "forbidden"
  | "not_found"
  | "validation"
  | "conflict"
  | "bad_request"
  | "rate_limited"
  | "server"
  | "timeout"
  | "network"
  | "unexpected_response"
  | "invalid_id"
  /** A task action Tallyfy refused for a reason of the task's own (see task-errors.ts). */
  | "task_refused";

export interface TallyfyErrorDetails {
  status?: number | undefined;
  /** Tallyfy's own message, when it sent one. */
  tallyfyMessage?: string | undefined;
  code?: string | undefined;
  requestId?: string | undefined;
  method?: string | undefined;
  /** Path without query string or host; never contains a token. */
  path?: string | undefined;
  /** Whether the request may have changed something on Tallyfy's side. */
  mayHaveApplied?: boolean | undefined;
  /** tokenFingerprint() of the token the request used (never the token): whose call failed. */
  tokenFingerprint?: string | undefined;
  cause?: unknown;
}

export class TallyfyError extends Error {
  readonly kind: TallyfyErrorKind;
  readonly status: number | undefined;
  readonly tallyfyMessage: string | undefined;
  readonly code: string | undefined;
  readonly requestId: string | undefined;
  readonly method: string | undefined;
  readonly path: string | undefined;
  readonly mayHaveApplied: boolean;
  readonly tokenFingerprint: string | undefined;

  constructor(kind: TallyfyErrorKind, message: string, details: TallyfyErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = new.target.name;
    this.kind = kind;
    this.status = details.status;
    this.tallyfyMessage = details.tallyfyMessage;
    this.code = details.code;
    this.requestId = details.requestId;
    this.method = details.method;
    this.path = details.path;
    this.mayHaveApplied = details.mayHaveApplied ?? false;
    this.tokenFingerprint = details.tokenFingerprint;
  }

  /** A short sentence fit to show a person in Slack. */
  get human(): string {
    return this.message;
  }
}

export class TallyfyAuthError extends TallyfyError {
  constructor(d: TallyfyErrorDetails = {}) {
    super(
      "authentication",
      "Tallyfy didn't accept the access token. It may have expired or been revoked when you logged out of Tallyfy.",
      d,
    );
  }
}
export class TallyfyForbiddenError extends TallyfyError {
  constructor(d: TallyfyErrorDetails = {}) {
    super("forbidden", "Your Tallyfy account doesn't have permission to do that.", d);
  }
}
export class TallyfyNotFoundError extends TallyfyError {
  constructor(d: TallyfyErrorDetails = {}) {
    super("not_found", "Tallyfy couldn't find that. Check the id or your access.", d);
  }
}
export class TallyfyValidationError extends TallyfyError {
  /** Field errors keyed by Tallyfy's field name. */
  readonly fieldErrors: Record<string, string[]>;
  constructor(d: TallyfyErrorDetails & { fieldErrors?: Record<string, string[]> } = {}) {
    const first = Object.values(d.fieldErrors ?? {})[0]?.[0];
    super("validation", d.tallyfyMessage ?? first ?? "Tallyfy rejected the values sent.", d);
    this.fieldErrors = d.fieldErrors ?? {};
  }
}
export class TallyfyConflictError extends TallyfyError {
  constructor(d: TallyfyErrorDetails = {}) {
    super(
      "conflict",
      d.tallyfyMessage
        ? `Tallyfy refused: ${d.tallyfyMessage}`
        : `Tallyfy refused because of a conflict${d.code ? ` (${d.code})` : ""}.`,
      d,
    );
  }
}
export class TallyfyBadRequestError extends TallyfyError {
  constructor(d: TallyfyErrorDetails = {}) {
    super(
      "bad_request",
      d.tallyfyMessage ?? "Tallyfy couldn't do that in the process's current state.",
      d,
    );
  }
}
export class TallyfyRateLimitError extends TallyfyError {
  readonly retryAfterSeconds: number;
  constructor(retryAfterSeconds: number, d: TallyfyErrorDetails = {}) {
    const s = Math.max(1, Math.ceil(retryAfterSeconds));
    super("rate_limited", `Tallyfy is busy right now. Try again in ${s} s.`, d);
    this.retryAfterSeconds = s;
  }
}
export class TallyfyServerError extends TallyfyError {
  constructor(d: TallyfyErrorDetails = {}) {
    super(
      "server",
      d.mayHaveApplied
        ? "Tallyfy had a problem on its side and may or may not have made the change. Refresh to check before trying again."
        : "Tallyfy had a problem on its side; nothing was changed. Try again in a moment.",
      d,
    );
  }
}
export class TallyfyTimeoutError extends TallyfyError {
  constructor(d: TallyfyErrorDetails = {}) {
    super(
      "timeout",
      d.mayHaveApplied
        ? "Tallyfy didn't answer in time, so I can't tell whether the change was made. Refresh to check before trying again."
        : "Tallyfy didn't answer in time; nothing was changed. Try again in a moment.",
      d,
    );
  }
}
export class TallyfyNetworkError extends TallyfyError {
  constructor(d: TallyfyErrorDetails = {}) {
    super(
      "network",
      d.mayHaveApplied
        ? "The connection to Tallyfy broke, so I can't tell whether the change was made. Refresh to check."
        : "I couldn't reach Tallyfy; nothing was changed. Try again in a moment.",
      d,
    );
  }
}
export class TallyfyUnexpectedResponseError extends TallyfyError {
  constructor(what: string, d: TallyfyErrorDetails = {}) {
    super("unexpected_response", `Tallyfy sent a response I couldn't read (${what}).`, d);
  }
}

/** What an invalid id was meant to name; "segment" for a path part that is no id at all. */
export type IdKind = "run" | "template" | "task" | "field" | "organization" | "segment";

const WHAT: Record<IdKind, string> = {
  run: "process",
  template: "template",
  task: "task",
  field: "kick-off field",
  organization: "organization",
  segment: "Tallyfy",
};

/**
 * An id that cannot name anything in Tallyfy (wrong shape, empty, `.` or `..`), refused before
 * any request is sent. The bad value itself is kept out of the message and the details.
 */
export class TallyfyInvalidIdError extends TallyfyError {
  readonly idKind: IdKind;
  constructor(idKind: IdKind, d: TallyfyErrorDetails = {}) {
    super(
      "invalid_id",
      idKind === "run"
        ? "That process link doesn't look right: it doesn't hold a valid process id."
        : `That ${WHAT[idKind]} id doesn't look right.`,
      d,
    );
    this.idKind = idKind;
  }
}

export function isTallyfyError(e: unknown): e is TallyfyError {
  return e instanceof TallyfyError;
}
