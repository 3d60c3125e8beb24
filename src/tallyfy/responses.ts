/**
 * Turning what came back (or didn't) into a value or a TallyfyError, plus the outcome that
 * retry.ts decides a retry on.
 */
import type { Dispatcher } from "undici";
import type { z } from "zod";
import type { Secrets } from "../log.ts";
import { tokenFingerprint } from "./cache.ts";
import {
  TallyfyAuthError,
  TallyfyBadRequestError,
  TallyfyConflictError,
  type TallyfyError,
  type TallyfyErrorDetails,
  TallyfyForbiddenError,
  TallyfyNetworkError,
  TallyfyNotFoundError,
  TallyfyRateLimitError,
  TallyfyServerError,
  TallyfyTimeoutError,
  TallyfyUnexpectedResponseError,
  TallyfyValidationError,
} from "./errors.ts";
import { formatPath } from "./lenient.ts";
import { type AttemptOutcome, parseRetryAfterMs } from "./retry.ts";
import { errorBodySchema } from "./schemas.ts";

export interface RequestContext {
  method: string;
  path: string;
  /** Only so it can be scrubbed from anything Tallyfy echoes back. */
  token: string;
  /** Every other secret the bot knows, scrubbed as well. */
  secrets: Secrets;
}

export interface ResponseFailure {
  error: TallyfyError;
  /** The status, or how the attempt failed without one; see retryableStatus. */
  outcome: AttemptOutcome;
  /** A 429's Retry-After in ms (null when absent or unreadable); undefined for anything else. */
  retryAfterMs?: number | null | undefined;
  /** Low-level error code (ECONNRESET…), for the debug log. */
  code?: string | undefined;
}

export interface ResponseBody {
  text: string;
  json: unknown;
  isJson: boolean;
}

export function bodyOf(text: string): ResponseBody {
  if (!text.trim()) return { text, json: undefined, isJson: false };
  try {
    return { text, json: JSON.parse(text), isJson: true };
  } catch {
    return { text, json: undefined, isJson: false };
  }
}

type Parsed<T> = { ok: true; value: T } | { ok: false; failure: ResponseFailure };

/** A 2xx body checked against the caller's schema. */
export function parseSuccess<S extends z.ZodType>(
  schema: S,
  status: number,
  headers: Dispatcher.ResponseData["headers"],
  body: ResponseBody,
  ctx: RequestContext,
): Parsed<z.output<S>> {
  const details = {
    ...baseDetails(status, headers, ctx),
    // The server accepted a change it then described in a way we can't read.
    mayHaveApplied: ctx.method !== "GET",
  };
  if (!body.isJson && status !== 204) {
    const failure = unexpected("the response wasn't JSON", status, details);
    return { ok: false, failure };
  }
  const result = schema.safeParse(body.json);
  if (result.success) return { ok: true, value: result.data };
  const issue = result.error.issues[0];
  const where = issue ? formatPath(issue.path) : "";
  const what = issue ? `${where || "body"}: ${issue.message}` : "unreadable body";
  return { ok: false, failure: unexpected(what, status, { ...details, cause: result.error }) };
}

export function errorFromResponse(
  status: number,
  headers: Dispatcher.ResponseData["headers"],
  body: ResponseBody,
  ctx: RequestContext,
): ResponseFailure {
  const info = errorInfo(body.json, (text) => ctx.secrets.scrub(text, ctx.token));
  const d: TallyfyErrorDetails = {
    ...baseDetails(status, headers, ctx),
    tallyfyMessage: info.message,
    code: info.code,
    tokenFingerprint: tokenFingerprint(ctx.token),
  };
  if (status === 429) {
    const retryAfterMs = parseRetryAfterMs(headers["retry-after"]);
    const error = new TallyfyRateLimitError((retryAfterMs ?? 1000) / 1000, d);
    return { error, outcome: status, retryAfterMs };
  }
  if (status >= 500) {
    const error = new TallyfyServerError({ ...d, mayHaveApplied: ctx.method !== "GET" });
    return { error, outcome: status };
  }
  return { error: clientError(status, d, info.fieldErrors), outcome: status };
}

function clientError(
  status: number,
  d: TallyfyErrorDetails,
  fieldErrors: Record<string, string[]> | undefined,
): TallyfyError {
  switch (status) {
    case 400:
      return new TallyfyBadRequestError(d);
    case 401:
      return new TallyfyAuthError(d);
    case 403:
      return new TallyfyForbiddenError(d);
    case 404:
    case 410:
      return new TallyfyNotFoundError(d);
    case 409:
      return new TallyfyConflictError(d);
    case 422:
      return new TallyfyValidationError({ ...d, fieldErrors: fieldErrors ?? {} });
  }
  if (status >= 400) return new TallyfyBadRequestError(d);
  return new TallyfyUnexpectedResponseError(`HTTP status ${status}`, d);
}

/** Connection failures that happen before a byte of the request reaches the server. */
const NOT_SENT_CODES = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "UND_ERR_CONNECT_TIMEOUT",
]);
const TIMEOUT_CODES = new Set(["UND_ERR_HEADERS_TIMEOUT", "UND_ERR_BODY_TIMEOUT", "ETIMEDOUT"]);

export function networkError(
  cause: unknown,
  timedOut: boolean,
  ctx: RequestContext,
): ResponseFailure {
  const code = errorCode(cause);
  const isGet = ctx.method === "GET";
  const d = { method: ctx.method, path: ctx.path, cause: scrubCause(cause, ctx) };
  if (code && NOT_SENT_CODES.has(code)) {
    const error = new TallyfyNetworkError({ ...d, mayHaveApplied: false });
    return { error, outcome: "not_sent", code };
  }
  if (timedOut || (code && TIMEOUT_CODES.has(code))) {
    const error = new TallyfyTimeoutError({ ...d, mayHaveApplied: !isGet });
    return { error, outcome: "timeout", code };
  }
  const error = new TallyfyNetworkError({ ...d, mayHaveApplied: !isGet });
  return { error, outcome: "broken", code };
}

function unexpected(what: string, status: number, d: TallyfyErrorDetails): ResponseFailure {
  return { error: new TallyfyUnexpectedResponseError(what, d), outcome: status };
}

function baseDetails(
  status: number,
  headers: Dispatcher.ResponseData["headers"],
  ctx: RequestContext,
): TallyfyErrorDetails {
  const rid = headers["x-request-id"];
  return {
    status,
    requestId: Array.isArray(rid) ? rid[0] : rid,
    method: ctx.method,
    path: ctx.path,
  };
}

interface ErrorInfo {
  message: string | undefined;
  code: string | undefined;
  fieldErrors: Record<string, string[]> | undefined;
}

/** Reads every error body shape Tallyfy uses; anything unreadable yields nothing. */
function errorInfo(json: unknown, scrub: (text: string) => string): ErrorInfo {
  const parsed = errorBodySchema.safeParse(json);
  if (!parsed.success) return { message: undefined, code: undefined, fieldErrors: undefined };
  const b = parsed.data;
  const nested = typeof b.error === "object" && b.error !== null ? b.error : undefined;
  const message =
    b.message ?? nested?.message ?? (typeof b.error === "string" ? b.error : undefined);
  let fieldErrors: Record<string, string[]> | undefined;
  if (b.errors) {
    fieldErrors = {};
    for (const [field, msgs] of Object.entries(b.errors)) {
      fieldErrors[field] = (Array.isArray(msgs) ? msgs : [msgs]).map(scrub);
    }
  }
  return {
    message: message ? scrub(message) : undefined,
    code: b.code ?? nested?.code ?? undefined,
    fieldErrors,
  };
}

function errorCode(cause: unknown): string | undefined {
  let current: unknown = cause;
  for (let depth = 0; depth < 4 && current && typeof current === "object"; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && code !== "UND_ERR_SOCKET") return code;
    if (typeof code === "string") {
      const inner = (current as { cause?: unknown }).cause;
      return errorCode(inner) ?? code;
    }
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** Low-level errors are kept as `cause` for debugging; make sure none mentions a secret. */
function scrubCause(cause: unknown, ctx: RequestContext): unknown {
  if (!(cause instanceof Error)) return cause;
  const message = ctx.secrets.scrub(cause.message, ctx.token);
  return message === cause.message ? cause : new Error(message);
}
