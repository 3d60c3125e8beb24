/**
 * What the container image runs, without a container engine: the build output and a
 * production-only `npm ci --omit=dev` in a clean folder, started with the Dockerfile's own CMD
 * and probed with its own HEALTHCHECK command.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { copyFileSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dockerStages, execForm } from "../support/dockerfile.ts";
import { createTestSchema, DATABASE_URL } from "../support/postgres.ts";

const root = new URL("../..", import.meta.url).pathname;
const final = dockerStages(join(root, "Dockerfile")).at(-1)!;
const cmd = execForm(final.find((i) => i.op === "CMD")!.args);
const healthArgs = final.find((i) => i.op === "HEALTHCHECK")!.args;
const healthcheck = execForm(healthArgs.slice(healthArgs.indexOf("CMD")));
/** The image's `node` is Node 24; so is the one running the tests. */
const withNode = (argv: string[]) =>
  argv[0] === "node" ? [process.execPath, ...argv.slice(1)] : argv;

/** Without the npm_* variables of the `npm test` that runs us, as in a fresh shell. */
function cleanEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v !== undefined && !k.startsWith("npm_") && !k.startsWith("VITEST")) env[k] = v;
  }
  return env;
}

function run(argv: string[], cwd: string): void {
  const [bin, ...args] = argv;
  const done = spawnSync(bin!, args, { cwd, env: cleanEnv(), encoding: "utf8" });
  if (done.status !== 0) {
    throw new Error(`${argv.join(" ")} failed (${done.status}):\n${done.stdout}\n${done.stderr}`);
  }
}

interface Started {
  child: ChildProcess;
  port: number;
  logs: () => string;
  exited: Promise<number | null>;
}

async function start(dir: string, env: Record<string, string>): Promise<Started> {
  const [bin, ...args] = withNode(cmd);
  const child = spawn(bin!, args, {
    cwd: dir,
    // Only what the test sets: nothing of this process's configuration (e.g. DATABASE_URL).
    env: {
      PATH: process.env.PATH ?? "",
      NODE_ENV: "production",
      PORT: "0",
      DATA_DIR: join(dir, "data"),
      SLACK_BOT_TOKEN: "xoxb-production-install-test",
      SLACK_SIGNING_SECRET: "production-install-secret",
      TOKEN_ENCRYPTION_KEY: randomBytes(32).toString("base64"),
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout?.on("data", (b) => (out += b));
  child.stderr?.on("data", (b) => (out += b));
  const exited = new Promise<number | null>((r) => child.on("exit", (code) => r(code)));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`bot did not start:\n${out}`)), 60_000);
    const poll = setInterval(() => {
      const m = /listening on port (\d+)/.exec(out);
      if (m || child.exitCode !== null) {
        clearTimeout(timer);
        clearInterval(poll);
        if (m) resolve(Number(m[1]));
        else reject(new Error(`bot exited at start:\n${out}`));
      }
    }, 50);
  });
  return { child, port, logs: () => out, exited };
}

function probe(port: number): number | null {
  const [bin, ...args] = withNode(healthcheck);
  const env = { PATH: process.env.PATH ?? "", PORT: String(port) };
  return spawnSync(bin!, args, { env, timeout: 10_000 }).status;
}

describe("the production install", () => {
  let dir: string;
  const cleanups: (() => Promise<void>)[] = [];
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "tallyfy-prod-"));
    // The build stage's `npm run build`, with its output in the clean folder.
    const tsc = join(root, "node_modules/typescript/bin/tsc");
    run(
      [
        process.execPath,
        tsc,
        "-p",
        join(root, "tsconfig.build.json"),
        "--outDir",
        join(dir, "dist"),
      ],
      root,
    );
    // The final stage: the manifest and lock file, production dependencies only.
    for (const f of ["package.json", "package-lock.json"])
      copyFileSync(join(root, f), join(dir, f));
    const npm = process.env.npm_execpath ? [process.execPath, process.env.npm_execpath] : ["npm"];
    run([...npm, "ci", "--omit=dev", "--no-fund", "--no-audit"], dir);
  }, 300_000);
  afterAll(async () => {
    for (const cleanup of cleanups) await cleanup();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("holds the runtime dependencies and none of the dev ones", () => {
    for (const dep of ["@slack/bolt", "pg", "undici", "zod"]) {
      expect(existsSync(join(dir, "node_modules", dep)), dep).toBe(true);
    }
    for (const dev of ["vitest", "typescript", "@biomejs/biome", "node"]) {
      expect(existsSync(join(dir, "node_modules", dev)), dev).toBe(false);
    }
  });

  it("starts with the image's command on SQLite, passes its health check, stops on SIGTERM", async () => {
    const bot = await start(dir, {});
    try {
      const res = await fetch(`http://127.0.0.1:${bot.port}/healthz`);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ ok: true });
      expect(probe(bot.port)).toBe(0);
      expect(bot.logs()).toMatch(/store: SQLite at .*connections\.sqlite; serves one instance/);
    } finally {
      bot.child.kill("SIGTERM");
    }
    expect(await bot.exited).toBe(0);
    expect(probe(bot.port)).toBe(1);
  }, 120_000);

  describe.skipIf(!DATABASE_URL)("with DATABASE_URL", () => {
    it("starts on Postgres, loading the driver from the production install", async () => {
      const schema = await createTestSchema();
      cleanups.push(() => schema.drop());
      const bot = await start(dir, { DATABASE_URL: schema.url });
      try {
        expect((await fetch(`http://127.0.0.1:${bot.port}/healthz`)).status).toBe(200);
        expect(probe(bot.port)).toBe(0);
        expect(bot.logs()).toMatch(/store: PostgreSQL at postgres(ql)?:\/\/[^ ]*@127\.0\.0\.1/);
        const password = new URL(schema.url).password;
        if (password) expect(bot.logs()).not.toContain(password);
      } finally {
        bot.child.kill("SIGTERM");
      }
      expect(await bot.exited).toBe(0);
    }, 120_000);
  });
});
