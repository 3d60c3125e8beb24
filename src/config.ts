import { z } from "zod";

const LOG_LEVELS = ["debug", "info", "warn", "error"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

const blankToUndefined = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);
const optionalString = z.preprocess(blankToUndefined, z.string().optional());
const url = (name: string) =>
  z.url({
    protocol: /^https?$/,
    error: `${name} must be an http(s) URL, e.g. https://example.com`,
  });
const bool = (name: string) =>
  z.preprocess(
    blankToUndefined,
    z
      .enum(["true", "false", "1", "0", "yes", "no"], {
        error: `${name} must be true or false`,
      })
      .transform((v) => v === "true" || v === "1" || v === "yes")
      .optional(),
  );

const wholeNumber = (name: string, min: number, max: number, fallback: number) => {
  const error = `${name} must be a whole number from ${min} to ${max}`;
  return z.preprocess(
    blankToUndefined,
    z.coerce
      .number({ error })
      .int({ error })
      .min(min, { error })
      .max(max, { error })
      .default(fallback),
  );
};

const envSchema = z
  .object({
    SLACK_BOT_TOKEN: z.preprocess(
      blankToUndefined,
      z
        .string({ error: "SLACK_BOT_TOKEN is required (the xoxb- token from OAuth & Permissions)" })
        .startsWith("xoxb-", { error: "SLACK_BOT_TOKEN must start with xoxb-" }),
    ),
    SLACK_SIGNING_SECRET: z.preprocess(
      blankToUndefined,
      z.string({
        error: "SLACK_SIGNING_SECRET is required (Basic Information > App Credentials)",
      }),
    ),
    SLACK_APP_TOKEN: z.preprocess(
      blankToUndefined,
      z
        .string()
        .startsWith("xapp-", {
          error:
            "SLACK_APP_TOKEN must start with xapp- (an app-level token with connections:write)",
        })
        .optional(),
    ),
    PORT: z.preprocess(
      blankToUndefined,
      z.coerce
        .number({ error: "PORT must be a whole number from 0 to 65535" })
        .int({ error: "PORT must be a whole number from 0 to 65535" })
        .min(0, { error: "PORT must be a whole number from 0 to 65535" })
        .max(65535, { error: "PORT must be a whole number from 0 to 65535" })
        .default(3000),
    ),
    SLACK_API_URL: z.preprocess(blankToUndefined, url("SLACK_API_URL").optional()),
    TALLYFY_API_URL: z.preprocess(
      blankToUndefined,
      url("TALLYFY_API_URL").default("https://go.tallyfy.com/api"),
    ),
    TALLYFY_WEB_URL: z.preprocess(
      blankToUndefined,
      url("TALLYFY_WEB_URL").default("https://go.tallyfy.com"),
    ),
    TALLYFY_RUN_URL_PATTERN: z.preprocess(
      blankToUndefined,
      z
        .string()
        .refine((v) => v.includes("{run_id}"), {
          error: "TALLYFY_RUN_URL_PATTERN must contain {run_id}",
        })
        .default("{web}/{org}/processes/{run_id}"),
    ),
    TALLYFY_ACCESS_TOKEN: optionalString,
    TALLYFY_ORG_ID: optionalString,
    TALLYFY_ALLOW_SHARED: bool("TALLYFY_ALLOW_SHARED"),
    DATA_DIR: z.preprocess(blankToUndefined, z.string().default("./data")),
    TOKEN_ENCRYPTION_KEY: z.preprocess(
      blankToUndefined,
      z
        .string()
        .refine((v) => decodeKey(v) !== undefined, {
          error:
            "TOKEN_ENCRYPTION_KEY must be 32 bytes encoded as base64 (generate one with: openssl rand -base64 32)",
        })
        .optional(),
    ),
    DATABASE_URL: z.preprocess(
      blankToUndefined,
      z
        .url({
          protocol: /^postgres(ql)?$/,
          error:
            "DATABASE_URL must be a postgres:// URL, e.g. postgres://user:password@host:5432/tallyfy",
        })
        .optional(),
    ),
    PUBLIC_URL: z.preprocess(blankToUndefined, url("PUBLIC_URL").optional()),
    CARD_RETENTION_DAYS: wholeNumber("CARD_RETENTION_DAYS", 1, 365, 30),
    RECONCILE_REQUESTS_PER_MINUTE: wholeNumber("RECONCILE_REQUESTS_PER_MINUTE", 0, 600, 10),
    WEBHOOK_ADMINS: z.preprocess(
      blankToUndefined,
      z
        .string()
        .regex(/^\s*[UW][A-Z0-9]+(\s*,\s*[UW][A-Z0-9]+)*\s*$/, {
          error:
            "WEBHOOK_ADMINS must be Slack user ids separated by commas, e.g. U012AB3CD,U045EF6GH",
        })
        .optional(),
    ),
    DATABASE_POOL_SIZE: wholeNumber("DATABASE_POOL_SIZE", 1, 100, 10),
    DATABASE_STATEMENT_TIMEOUT_MS: wholeNumber("DATABASE_STATEMENT_TIMEOUT_MS", 100, 600_000, 5000),
    LOG_LEVEL: z.preprocess(
      (v) => (typeof v === "string" ? blankToUndefined(v.toLowerCase()) : v),
      z
        .enum(LOG_LEVELS, { error: `LOG_LEVEL must be one of ${LOG_LEVELS.join(", ")}` })
        .default("info"),
    ),
    NODE_ENV: optionalString,
  })
  .superRefine((env, ctx) => {
    if (Boolean(env.TALLYFY_ACCESS_TOKEN) !== Boolean(env.TALLYFY_ORG_ID)) {
      ctx.addIssue({
        code: "custom",
        path: [env.TALLYFY_ACCESS_TOKEN ? "TALLYFY_ORG_ID" : "TALLYFY_ACCESS_TOKEN"],
        message:
          "TALLYFY_ACCESS_TOKEN and TALLYFY_ORG_ID go together: set both for a workspace-wide connection, or neither",
      });
    }
  });

export interface Config {
  slack: {
    botToken: string;
    signingSecret: string;
    appToken: string | undefined;
    apiUrl: string | undefined;
    port: number;
  };
  tallyfy: {
    apiUrl: string;
    webUrl: string;
    runUrlPattern: string;
    shared: { token: string; orgId: string } | undefined;
    allowShared: boolean;
  };
  dataDir: string;
  /** 32-byte key for tokens at rest; undefined when not configured. */
  encryptionKey: Buffer | undefined;
  /** Postgres (DATABASE_URL) for several instances; unset: SQLite in dataDir, one instance. */
  database: { url: string | undefined; poolSize: number; statementTimeoutMs: number };
  /** Live cards (issue 15): webhooks, the reconcile loop, retention. */
  live: {
    /** Where Tallyfy reaches the bot (PUBLIC_URL), for the webhook URL; undefined: not set. */
    publicUrl: string | undefined;
    cardRetentionDays: number;
    /** Per Tallyfy organization; 0 turns the reconcile loop off. */
    reconcileRequestsPerMinute: number;
    /** Slack user ids who may run `/tallyfy webhooks` besides workspace admins. */
    webhookAdmins: string[];
  };
  logLevel: LogLevel;
  production: boolean;
}

export class ConfigError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(
      `Configuration problem${problems.length > 1 ? "s" : ""}:\n${problems.map((p) => `  - ${p}`).join("\n")}\nSee .env.example and the Configuration section of README.md.`,
    );
    this.name = "ConfigError";
    this.problems = problems;
  }
}

export function decodeKey(value: string): Buffer | undefined {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(value.trim())) return undefined;
  const key = Buffer.from(value.trim(), "base64");
  return key.length === 32 ? key : undefined;
}

const NEEDS_KEY =
  "TOKEN_ENCRYPTION_KEY is required: with no workspace connection (TALLYFY_ACCESS_TOKEN + TALLYFY_ORG_ID), everyone connects their own Tallyfy account and those tokens are stored encrypted. Generate a key with: openssl rand -base64 32";

export interface LoadConfigOptions {
  /**
   * Also apply the rules for running the bot (not just reading settings): without a workspace
   * connection, people's own tokens must be stored, which needs TOKEN_ENCRYPTION_KEY.
   */
  toRun?: boolean;
}

/** Parse the environment once. Throws ConfigError naming every problem; never echoes values. */
export function loadConfig(
  env: Record<string, string | undefined> = process.env,
  opts: LoadConfigOptions = {},
): Config {
  const parsed = envSchema.safeParse(env);
  const problems = parsed.success
    ? []
    : parsed.error.issues.map((issue) => {
        const name = String(issue.path[0] ?? "environment");
        return issue.message.startsWith(name) || issue.code === "custom"
          ? issue.message
          : `${name}: ${issue.message}`;
      });
  const has = (name: string) => Boolean(env[name]?.trim());
  if (opts.toRun && !has("TOKEN_ENCRYPTION_KEY") && !has("TALLYFY_ACCESS_TOKEN")) {
    problems.push(NEEDS_KEY);
  }
  if (!parsed.success || problems.length > 0) throw new ConfigError([...new Set(problems)]);
  const e = parsed.data;
  const shared =
    e.TALLYFY_ACCESS_TOKEN && e.TALLYFY_ORG_ID
      ? { token: e.TALLYFY_ACCESS_TOKEN, orgId: e.TALLYFY_ORG_ID }
      : undefined;
  return {
    slack: {
      botToken: e.SLACK_BOT_TOKEN,
      signingSecret: e.SLACK_SIGNING_SECRET,
      appToken: e.SLACK_APP_TOKEN,
      apiUrl: e.SLACK_API_URL,
      port: e.PORT,
    },
    tallyfy: {
      apiUrl: e.TALLYFY_API_URL.replace(/\/+$/, ""),
      webUrl: e.TALLYFY_WEB_URL.replace(/\/+$/, ""),
      runUrlPattern: e.TALLYFY_RUN_URL_PATTERN,
      shared,
      allowShared: e.TALLYFY_ALLOW_SHARED ?? shared !== undefined,
    },
    dataDir: e.DATA_DIR,
    encryptionKey: e.TOKEN_ENCRYPTION_KEY ? decodeKey(e.TOKEN_ENCRYPTION_KEY) : undefined,
    database: {
      url: e.DATABASE_URL,
      poolSize: e.DATABASE_POOL_SIZE,
      statementTimeoutMs: e.DATABASE_STATEMENT_TIMEOUT_MS,
    },
    live: {
      publicUrl: e.PUBLIC_URL?.replace(/\/+$/, ""),
      cardRetentionDays: e.CARD_RETENTION_DAYS,
      reconcileRequestsPerMinute: e.RECONCILE_REQUESTS_PER_MINUTE,
      webhookAdmins: (e.WEBHOOK_ADMINS ?? "")
        .split(",")
        .map((id) => id.trim())
        .filter(Boolean),
    },
    logLevel: e.LOG_LEVEL,
    production: e.NODE_ENV === "production",
  };
}
