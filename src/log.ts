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

function serialise(value: unknown): unknown {
  if (value instanceof Error) {
    const out: Record<string, unknown> = { name: value.name, message: value.message };
    for (const [k, v] of Object.entries(value)) out[k] = v;
    if (value.stack) out.stack = value.stack;
    return out;
  }
  return value;
}

export function createLogger(options: LoggerOptions): Logger {
  const write = options.write ?? ((line: string) => process.stderr.write(`${line}\n`));
  const bindings = options.bindings ?? {};
  const emit = (level: LogLevel, msg: string, ctx?: Record<string, unknown>) => {
    if (ORDER[level] < ORDER[options.level]) return;
    const fields: Record<string, unknown> = { ...bindings };
    for (const [k, v] of Object.entries(ctx ?? {})) fields[k] = serialise(v);
    if (options.json) {
      write(redact(JSON.stringify({ time: new Date().toISOString(), level, msg, ...fields })));
    } else {
      const extra = Object.keys(fields).length ? ` ${JSON.stringify(fields)}` : "";
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
