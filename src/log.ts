import type { LogLevel } from "./config.ts";

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** Patterns that look like secrets, whoever registered them. */
const SECRET_PATTERNS: RegExp[] = [
  /xox[abposr]-[A-Za-z0-9-]+/g,
  /xapp-[A-Za-z0-9-]+/g,
  /(Bearer\s+)[A-Za-z0-9._~+/=-]+/gi,
  /("?(?:token|access_token|authorization|password|secret)"?\s*[:=]\s*"?)[^"\s,}]+/gi,
];

const registered = new Set<string>();

/** Register a secret value (a Tallyfy token, the signing secret) so it never reaches a log line. */
export function registerSecret(value: string | undefined): void {
  if (value && value.length >= 6) registered.add(value);
}

export function redact(text: string): string {
  let out = text;
  for (const secret of registered) out = out.split(secret).join("[redacted]");
  for (const pattern of SECRET_PATTERNS) {
    out = out.replace(pattern, (_m, prefix?: string) =>
      typeof prefix === "string" ? `${prefix}[redacted]` : "[redacted]",
    );
  }
  return out;
}

export interface Logger {
  debug(msg: string, ctx?: Record<string, unknown>): void;
  info(msg: string, ctx?: Record<string, unknown>): void;
  warn(msg: string, ctx?: Record<string, unknown>): void;
  error(msg: string, ctx?: Record<string, unknown>): void;
  child(bindings: Record<string, unknown>): Logger;
}

export interface LoggerOptions {
  level: LogLevel;
  json: boolean;
  write?: (line: string) => void;
  bindings?: Record<string, unknown>;
}

function errorFields(error: Error): Record<string, unknown> {
  const out: Record<string, unknown> = { name: error.name, message: error.message };
  for (const [k, v] of Object.entries(error)) out[k] = v;
  if (error.cause !== undefined) out.cause = error.cause;
  if (error.stack) out.stack = error.stack;
  return out;
}

/**
 * JSON for a log line that cannot throw: errors at any depth keep their message and stack,
 * repeated or circular objects (sockets, requests) are cut, bigints become strings.
 */
export function safeJson(value: unknown): string {
  const seen = new WeakSet<object>();
  return JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v === "bigint") return v.toString();
    const out = v instanceof Error ? errorFields(v) : v;
    if (out !== null && typeof out === "object") {
      if (seen.has(out)) return "[circular]";
      seen.add(out);
    }
    return out;
  });
}

export function createLogger(options: LoggerOptions): Logger {
  const write = options.write ?? ((line: string) => process.stderr.write(`${line}\n`));
  const bindings = options.bindings ?? {};
  const emit = (level: LogLevel, msg: string, ctx?: Record<string, unknown>) => {
    if (ORDER[level] < ORDER[options.level]) return;
    const fields: Record<string, unknown> = { ...bindings, ...ctx };
    if (options.json) {
      write(redact(safeJson({ time: new Date().toISOString(), level, msg, ...fields })));
    } else {
      const extra = Object.keys(fields).length ? ` ${safeJson(fields)}` : "";
      write(
        redact(`${new Date().toISOString().slice(11, 23)} ${level.toUpperCase()} ${msg}${extra}`),
      );
    }
  };
  return {
    debug: (m, c) => emit("debug", m, c),
    info: (m, c) => emit("info", m, c),
    warn: (m, c) => emit("warn", m, c),
    error: (m, c) => emit("error", m, c),
    child: (b) => createLogger({ ...options, write, bindings: { ...bindings, ...b } }),
  };
}

/** A logger that drops everything; for tests that do not look at logs. */
export const silentLogger: Logger = createLogger({ level: "error", json: true, write: () => {} });
