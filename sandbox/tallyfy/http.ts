/** Tallyfy-shaped errors, JSON answers and pagination for the sandbox. */
import type { IncomingMessage, ServerResponse } from "node:http";

/** Thrown by handlers; the server answers `status` with `body`. */
export class ApiError extends Error {
  readonly status: number;
  readonly body: Record<string, unknown>;
  constructor(status: number, body: Record<string, unknown>) {
    super(String(body.message ?? status));
    this.status = status;
    this.body = body;
  }
}

export const unauthenticated = () =>
  new ApiError(401, { error: true, message: "Unauthenticated." });
export const forbidden = () =>
  new ApiError(403, { error: true, message: "This action is unauthorized." });
export const endpointNotFound = () =>
  new ApiError(404, {
    error: true,
    message: "The requested endpoint does not exist.",
    code: "ENDPOINT_NOT_FOUND",
  });
export const resourceNotFound = (what: string) =>
  new ApiError(404, { error: true, message: `${what} not found.`, code: "RESOURCE_NOT_FOUND" });
/** Laravel-style field validation failure. */
export const invalid = (errors: Record<string, string[]>) =>
  new ApiError(422, { error: true, message: "The given data was invalid.", errors });
/** Kick-off validation failure: Tallyfy answers with a bare message. */
export const invalidMessage = (message: string) => new ApiError(422, { error: true, message });

const DEFAULT_MESSAGES: Record<number, string> = {
  400: "Bad request.",
  401: "Unauthenticated.",
  403: "This action is unauthorized.",
  404: "Resource not found.",
  409: "Conflict.",
  422: "The given data was invalid.",
  429: "Too Many Attempts.",
  500: "Server Error",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout",
};

/** The error body Tallyfy would send for a status, for faults without their own body. */
export function defaultErrorBody(status: number): Record<string, unknown> {
  const body: Record<string, unknown> = {
    error: true,
    message: DEFAULT_MESSAGES[status] ?? "Error.",
  };
  if (status === 404) body.code = "RESOURCE_NOT_FOUND";
  return body;
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

export interface ListQuery {
  page?: string | undefined;
  per_page?: string | undefined;
}

export const MAX_PER_PAGE = 100;

/**
 * One page plus Tallyfy's pagination meta. `links` is [] on the last page (as the live
 * service sends it) and an object with `next` (and `previous` after page 1) otherwise.
 */
export function paginate<T>(items: T[], query: ListQuery, selfUrl: URL) {
  const perPage = clampInt(query.per_page, 10, 1, MAX_PER_PAGE);
  const currentPage = clampInt(query.page, 1, 1, Number.MAX_SAFE_INTEGER);
  const totalPages = Math.max(1, Math.ceil(items.length / perPage));
  const data = items.slice((currentPage - 1) * perPage, currentPage * perPage);
  const pageUrl = (page: number) => {
    const u = new URL(selfUrl);
    u.searchParams.set("page", String(page));
    return u.toString();
  };
  const links: Record<string, string> = {};
  if (currentPage > 1) links.previous = pageUrl(Math.min(currentPage - 1, totalPages));
  if (currentPage < totalPages) links.next = pageUrl(currentPage + 1);
  return {
    data,
    meta: {
      pagination: {
        total: items.length,
        count: data.length,
        per_page: perPage,
        current_page: currentPage,
        total_pages: totalPages,
        links: currentPage >= totalPages ? [] : links,
      },
    },
  };
}

function clampInt(raw: string | undefined, fallback: number, min: number, max: number): number {
  const n = raw === undefined || raw === "" ? Number.NaN : Number(raw);
  if (!Number.isInteger(n) || n < min) return fallback;
  return Math.min(n, max);
}
