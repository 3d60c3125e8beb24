/**
 * `npm run bench`: the bot's production build, the Tallyfy sandbox + fake Slack, and a bare
 * Bolt baseline as separate processes on loopback; this process drives the load and writes
 * bench/RESULTS.md. `--quick` runs a smaller version of every measure (for trying it out).
 */
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { stripTypeScriptTypes } from "node:module";
import { availableParallelism, cpus, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { measureAcks, measureMaxRate } from "./acks.ts";
import { measureActions } from "./actions.ts";
import type { BenchContext } from "./context.ts";
import { Control } from "./control.ts";
import { ALICE_IN_OPS, Target } from "./load.ts";
import { measureSuggestions, measureViewsOpen } from "./modals.ts";
import {
  type Child,
  firstJsonLine,
  freePort,
  killAll,
  memoryOf,
  sampleMemory,
  startChild,
  waitHealthy,
} from "./procs.ts";
import type { ServicesInfo } from "./protocol.ts";
import { type BenchResults, type Measured, renderReport } from "./report.ts";
import { productionArgs } from "./start-command.ts";

const ROOT = resolve(import.meta.dirname, "..");
const QUICK = process.argv.includes("--quick");
/** The whole run stays under five minutes; the build before it takes a few seconds. */
const BUDGET_MS = 270_000;
const started = Date.now();
const BOT_NODE_OPTIONS = process.env.BENCH_BOT_NODE_OPTIONS?.trim() ?? "";
/** `npm start`'s command line after `node`: its V8 flags, then dist/src/index.js. */
const BOT_ARGS = productionArgs(ROOT);

const PLAN = QUICK
  ? {
      warmRepeats: 4,
      openLatencies: [0, 500],
      openSamples: 1,
      levels: [
        { concurrency: 1, requests: 30 },
        { concurrency: 200, requests: 400 },
      ],
      warmup: 20,
      botRates: [50, 200, 800],
      baselineRates: [200, 800],
      rateSeconds: 1,
    }
  : {
      warmRepeats: 40,
      openLatencies: [0, 1000, 2500],
      openSamples: 3,
      levels: [
        { concurrency: 1, requests: 300 },
        { concurrency: 50, requests: 2000 },
        { concurrency: 200, requests: 4000 },
      ],
      warmup: 100,
      botRates: [50, 100, 200, 300, 400, 500, 650, 800, 1000, 1250, 1600, 2000, 2500],
      baselineRates: [250, 500, 1000, 2000, 3000, 4000],
      rateSeconds: 3,
    };

const log = (line: string) => process.stderr.write(`${line}\n`);

process.on("exit", killAll);
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    killAll();
    process.exit(130);
  });
}

/** The bot's pid, once started: each measure logs the bot's peak RSS so far. */
let botPid: number | undefined;

async function measured<T>(name: string, fn: () => Promise<T>): Promise<Measured<T>> {
  log(`${name}…`);
  try {
    return { ok: true, value: await fn() };
  } catch (e) {
    log(`  ${name} failed: ${(e as Error).stack ?? e}`);
    return { ok: false, why: (e as Error).message };
  } finally {
    const m = botPid === undefined ? undefined : memoryOf(botPid);
    if (m) log(`  bot RSS ${m.rssMb.toFixed(1)} MB, peak so far ${m.hwmMb.toFixed(1)} MB`);
  }
}

function commit(): string {
  try {
    const sha = execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: ROOT })
      .toString()
      .trim();
    const dirty = execFileSync("git", ["status", "--porcelain", "--", "src"], { cwd: ROOT })
      .toString()
      .trim();
    return dirty ? `${sha} (src/ modified)` : sha;
  } catch {
    return "unknown";
  }
}

async function startProcesses(secret: string, dataDir: string) {
  const baseEnv = { PATH: process.env.PATH ?? "" };
  const services = startChild(
    "services",
    ["bench/services.ts"],
    { ...baseEnv, BENCH_SIGNING_SECRET: secret },
    ROOT,
  );
  const info = await firstJsonLine<ServicesInfo>(services);
  const botPort = await freePort();
  const bot = startChild(
    "bot",
    BOT_ARGS,
    {
      ...baseEnv,
      NODE_ENV: "production",
      PORT: String(botPort),
      SLACK_BOT_TOKEN: info.slack.botToken,
      SLACK_SIGNING_SECRET: secret,
      SLACK_API_URL: info.slack.apiUrl,
      TALLYFY_API_URL: info.tallyfy.url,
      TALLYFY_WEB_URL: info.tallyfy.webUrl,
      TALLYFY_ACCESS_TOKEN: info.tallyfy.token,
      TALLYFY_ORG_ID: info.tallyfy.orgId,
      TOKEN_ENCRYPTION_KEY: randomBytes(32).toString("base64"),
      DATA_DIR: dataDir,
      LOG_LEVEL: "warn",
      // For trying V8 flags without touching the start command; recorded in the report.
      ...(BOT_NODE_OPTIONS ? { NODE_OPTIONS: BOT_NODE_OPTIONS } : {}),
    },
    ROOT,
  );
  // Plain JavaScript like the bot's build: running a .ts file would load Node's type stripper
  // into the baseline (about 16 MB of RSS the bot does not pay).
  const baselineJs = stripTypeScriptTypes(readFileSync(join(ROOT, "bench/baseline.ts"), "utf8"));
  const baseline = startChild(
    "baseline",
    ["--input-type=module", "--eval", baselineJs],
    {
      ...baseEnv,
      PORT: "0",
      SLACK_SIGNING_SECRET: secret,
      SLACK_BOT_TOKEN: info.slack.botToken,
      SLACK_API_URL: info.slack.apiUrl,
    },
    ROOT,
  );
  const { port: basePort } = await firstJsonLine<{ port: number }>(baseline);
  await waitHealthy(`http://127.0.0.1:${botPort}/healthz`, bot);
  return { services, info, bot, botPort, baseline, basePort };
}

async function main(): Promise<void> {
  if (!existsSync(join(ROOT, "dist/src/index.js"))) {
    throw new Error("dist/src/index.js is missing: run `npm run bench` (it builds first)");
  }
  const secret = randomBytes(16).toString("hex");
  const dataDir = mkdtempSync(join(tmpdir(), "tallyfy-bench-"));
  let children: Child[] = [];
  try {
    const p = await startProcesses(secret, dataDir);
    children = [p.bot, p.baseline, p.services];
    botPid = p.bot.pid;
    const control = new Control(p.info.control);
    await control.configure(`http://127.0.0.1:${p.botPort}/slack/events`);
    const botMem = sampleMemory(p.bot.pid);
    const baseMem = sampleMemory(p.baseline.pid);
    const ctx: BenchContext = {
      control,
      bot: new Target("bot", `http://127.0.0.1:${p.botPort}`, secret),
      baseline: new Target("baseline", `http://127.0.0.1:${p.basePort}`, secret),
      botChild: p.bot,
      who: { ...ALICE_IN_OPS, teamId: p.info.slack.teamId, teamDomain: p.info.slack.teamDomain },
      remainingMs: () => BUDGET_MS - (Date.now() - started),
      log,
    };
    log(`bot pid ${p.bot.pid} on :${p.botPort}, baseline pid ${p.baseline.pid} on :${p.basePort}`);

    const actions = await measured("4. Tallyfy requests per action", () => measureActions(ctx));
    const suggestions = await measured("3. template suggestions", () =>
      measureSuggestions(ctx, PLAN.warmRepeats),
    );
    const viewsOpen = await measured("2. command -> views.open", () =>
      measureViewsOpen(ctx, PLAN.openLatencies, PLAN.openSamples),
    );
    const acks = await measured("1. ack latency", () => measureAcks(ctx, PLAN.levels, PLAN.warmup));
    const beforeRate = botMem.peak();
    const rateBot = await measured("6. highest show rate (bot)", () =>
      measureMaxRate(ctx, ctx.bot, PLAN.botRates, PLAN.rateSeconds),
    );
    const rateBaseline = await measured("6. highest show rate (baseline)", () =>
      measureMaxRate(ctx, ctx.baseline, PLAN.baselineRates, Math.min(2, PLAN.rateSeconds)),
    );
    const bot = botMem.peak();
    const base = baseMem.peak();
    botMem.stop();
    baseMem.stop();
    await Promise.all([ctx.bot.close(), ctx.baseline.close()]);

    const results: BenchResults = {
      env: {
        date: new Date().toISOString(),
        node: process.version,
        cpus: availableParallelism(),
        cpuModel: cpus()[0]?.model.trim() ?? "unknown",
        bolt: (
          JSON.parse(readFileSync(join(ROOT, "node_modules/@slack/bolt/package.json"), "utf8")) as {
            version: string;
          }
        ).version,
        commit: commit(),
        botNodeOptions: BOT_NODE_OPTIONS,
        botCommand: `node ${BOT_ARGS.join(" ")}`,
        seconds: (Date.now() - started) / 1000,
      },
      actions,
      suggestions,
      viewsOpen,
      acks,
      rateBot,
      rateBaseline,
      memory: {
        botHwmMb: bot.hwmMb,
        botSampledMb: bot.sampledMaxRssMb,
        botHwmBeforeRateMb: beforeRate.hwmMb,
        baselineHwmMb: base.hwmMb,
      },
      botLog: p.bot.problems,
    };
    const report = renderReport(results);
    process.stdout.write(`\n${report}\n`);
    if (!QUICK) writeFileSync(join(ROOT, "bench/RESULTS.md"), report);
    log(QUICK ? "(--quick: bench/RESULTS.md left as it was)" : "Wrote bench/RESULTS.md");
  } finally {
    await Promise.all(children.map((c) => c.stop()));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    log(`bench failed: ${(e as Error).stack ?? e}`);
    process.exit(1);
  },
);
