import type { LogLevel } from "./config.ts";

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** Patterns that look like secrets, whoever registered them. */
const SECRET_PATTERNS: RegExp[] = [
  /xox[abposr]-[A-Za-z0-9-]+/g,
  /xapp-[A-Za-z0-9-]+/g,
  /(Bearer\s+)[A-Za-z0-9._~+/=-]+/gi,
  /("?(?:token|access_token|authorization|password|secret)"?\s*[:=]\s*"?)[^"\s,}]+/gi,
];

const MIN_SECRET_LENGTH = 6;

/**
 * The secrets one bot must never show: in a log line or in Slack. Config secrets are pinned;
 * connection tokens are registered while in use and forgotten when the connection goes. At
 * most `max` unpinned tokens are kept (the least recently registered goes first), so a
 * long-running bot's registry stays bounded. Scrubbing also removes anything shaped like a
 * Slack token, a bearer header or a `token=…` pair, registered or not.
 */
export class Secrets {
  readonly #pinned = new Set<string>();
  /** Insertion order is recency: registering again moves a token to the end. */
  readonly #tokens = new Set<string>();
  readonly #max: number;
  #pattern: RegExp | null | undefined;

  constructor(opts: { max?: number } = {}) {
    this.#max = opts.max ?? 10_000;
  }

  register(value: string | undefined, opts: { pin?: boolean } = {}): void {
    if (!value || value.length < MIN_SECRET_LENGTH) return;
    if (opts.pin) {
      this.#pinned.add(value);
      this.#tokens.delete(value);
    } else if (!this.#pinned.has(value)) {
      if (this.#tokens.delete(value)) {
        this.#tokens.add(value);
        return;
      }
      this.#tokens.add(value);
      for (const oldest of this.#tokens) {
        if (this.#tokens.size <= this.#max) break;
        this.#tokens.delete(oldest);
      }
    }
    this.#pattern = undefined;
  }

  /** Drops a token whose connection is gone; pinned secrets stay. */
  forget(value: string | undefined): void {
    if (value && this.#tokens.delete(value)) this.#pattern = undefined;
  }

  /** How many secrets are registered, pinned ones included. */
  get size(): number {
    return this.#pinned.size + this.#tokens.size;
  }

  /** `text` with every registered secret (and `also`) and every secret-shaped string removed. */
  scrub(text: string, ...also: (string | undefined)[]): string {
    let out = text;
    for (const extra of also) {
      if (extra && extra.length >= MIN_SECRET_LENGTH) out = out.split(extra).join("[redacted]");
    }
    const registered = this.#registeredPattern();
    if (registered) out = out.replace(registered, "[redacted]");
    return redactPatterns(out);
  }

  /** One alternation of every secret, longest first so none is left half shown. */
  #registeredPattern(): RegExp | null {
    if (this.#pattern !== undefined) return this.#pattern;
    const all = [...this.#pinned, ...this.#tokens].sort((a, b) => b.length - a.length);
    this.#pattern = all.length
      ? new RegExp(all.map((v) => v.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|"), "g")
      : null;
    return this.#pattern;
  }
}

/** Removes what looks like a secret; with `secrets`, every registered one as well. */
export function redact(text: string, secrets?: Secrets): string {
  return secrets ? secrets.scrub(text) : redactPatterns(text);
}

function redactPatterns(text: string): string {
  let out = text;
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
  /** Whether lines at `level` are written (absent: assume they are). */
  enabled?(level: LogLevel): boolean;
  /** What this logger (and its children) redacts; the bot registers its secrets here. */
  readonly secrets: Secrets;
}

export interface LoggerOptions {
  level: LogLevel;
  json: boolean;
  write?: (line: string) => void;
  bindings?: Record<string, unknown>;
  /** Default: a new, empty registry. */
  secrets?: Secrets;
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
  const secrets = options.secrets ?? new Secrets();
  const emit = (level: LogLevel, msg: string, ctx?: Record<string, unknown>) => {
    if (ORDER[level] < ORDER[options.level]) return;
    const fields: Record<string, unknown> = { ...bindings, ...ctx };
    if (options.json) {
      write(secrets.scrub(safeJson({ time: new Date().toISOString(), level, msg, ...fields })));
    } else {
      const extra = Object.keys(fields).length ? ` ${safeJson(fields)}` : "";
      write(
        secrets.scrub(
          `${new Date().toISOString().slice(11, 23)} ${level.toUpperCase()} ${msg}${extra}`,
        ),
      );
    }
  };
  return {
    debug: (m, c) => emit("debug", m, c),
    info: (m, c) => emit("info", m, c),
    warn: (m, c) => emit("warn", m, c),
    error: (m, c) => emit("error", m, c),
    child: (b) => createLogger({ ...options, write, secrets, bindings: { ...bindings, ...b } }),
    enabled: (level) => ORDER[level] >= ORDER[options.level],
    secrets,
  };
}

const drop = () => {};

/**
 * A logger that drops everything; for tests that do not look at logs. Each read of `secrets`
 * gives a new registry, so nothing is shared through this module-level value.
 */
export const silentLogger: Logger = {
  debug: drop,
  info: drop,
  warn: drop,
  error: drop,
  child: () => silentLogger,
  enabled: () => false,
  get secrets() {
    return new Secrets();
  },
};
