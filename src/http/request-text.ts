/**
 * One HTTP request whose answer is read whole, as text, straight from undici's dispatcher.
 * `undici.request` wraps every answer in a Readable stream (and an async resource) that these
 * callers only ever read to the end: in issue 18's micro-benchmark that cost ~15 µs of CPU a
 * request over this (~52 against ~37 µs, client and server together), on every Tallyfy read
 * and every card post. Errors are undici's own (codes, timeouts), as `request` gives them.
 */
import type { IncomingHttpHeaders } from "node:http";
import type { Dispatcher } from "undici";

export interface TextRequest {
  origin: string;
  /** Path and query string. */
  path: string;
  method: Dispatcher.HttpMethod;
  headers: Record<string, string>;
  body?: string | Buffer | null | undefined;
  signal?: AbortSignal | undefined;
  headersTimeout?: number;
  bodyTimeout?: number;
}

export interface TextResponse {
  statusCode: number;
  headers: IncomingHttpHeaders;
  text: string;
}

export interface BytesResponse {
  statusCode: number;
  headers: IncomingHttpHeaders;
  /** The body as it came, a byte order mark included. */
  bytes: Buffer;
}

export function requestText(dispatcher: Dispatcher, req: TextRequest): Promise<TextResponse> {
  return requestWhole(dispatcher, req, asText);
}

/** The same request with the answer left in bytes, for a caller that reads only part of it. */
export function requestBytes(dispatcher: Dispatcher, req: TextRequest): Promise<BytesResponse> {
  return requestWhole(dispatcher, req, asBytes);
}

/** A body as text, as undici's body.text() reads it (the Encoding standard's UTF-8): no BOM. */
export function textOf(bytes: Buffer): string {
  const text = bytes.toString("utf8");
  return text.startsWith("\uFEFF") ? text.slice(1) : text;
}

function asText(statusCode: number, headers: IncomingHttpHeaders, bytes: Buffer): TextResponse {
  return { statusCode, headers, text: textOf(bytes) };
}

function asBytes(statusCode: number, headers: IncomingHttpHeaders, bytes: Buffer): BytesResponse {
  return { statusCode, headers, bytes };
}

function requestWhole<T>(
  dispatcher: Dispatcher,
  req: TextRequest,
  answer: (statusCode: number, headers: IncomingHttpHeaders, bytes: Buffer) => T,
): Promise<T> {
  const { signal } = req;
  if (signal?.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    let controller: Dispatcher.DispatchController | undefined;
    let abortReason: unknown;
    let statusCode = 0;
    let headers: IncomingHttpHeaders = {};
    const chunks: Buffer[] = [];
    const onAbort = () => {
      abortReason = signal?.reason;
      controller?.abort(abortReason as Error);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
    const settle = () => signal?.removeEventListener("abort", onAbort);
    dispatcher.dispatch(
      {
        origin: req.origin,
        path: req.path,
        method: req.method,
        headers: req.headers,
        body: req.body ?? null,
        ...(req.headersTimeout !== undefined ? { headersTimeout: req.headersTimeout } : {}),
        ...(req.bodyTimeout !== undefined ? { bodyTimeout: req.bodyTimeout } : {}),
      },
      {
        onRequestStart(c) {
          controller = c;
          if (abortReason !== undefined) c.abort(abortReason as Error);
        },
        onResponseStart(_c, status, responseHeaders) {
          // 1xx answers come before the real one.
          if (status < 200) return;
          statusCode = status;
          headers = responseHeaders;
        },
        onResponseData(_c, chunk) {
          chunks.push(chunk);
        },
        onResponseEnd() {
          settle();
          resolve(
            answer(statusCode, headers, chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)),
          );
        },
        onResponseError(_c, error) {
          settle();
          reject(error);
        },
      },
    );
  });
}
