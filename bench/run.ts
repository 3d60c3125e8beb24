/**
 * `npm run bench`: the bot's production build, the Tallyfy sandbox + fake Slack, a bare Bolt
 * baseline and the naive reference bot (twice) as separate processes on loopback; this process
 * drives the load, prints the report and keeps the last runs in bench/RESULTS.md.
 * `--quick` runs a smaller version of every measure and writes nothing.
 */
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { stripTypeScriptTypes } from "node:module";
import { availableParallelism, cpus, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { measureActions } from "./actions.ts";
import { measureCards } from "./cards.ts";
import { measureCoalescing } from "./coalesce.ts";
import type { BenchContext } from "./context.ts";
import { Control } from "./control.ts";
import { recordRun } from "./history.ts";
import { measureLaunch } from "./launch.ts";
import { ALICE_IN_OPS, Target } from "./load.ts";
import { LIMIT, measurePacing, type Paced } from "./pacing.ts";
import {
  type Child,
  cpuPlan,
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
import { productionCommand } from "./start-command.ts";
import { measureStorm } from "./storm.ts";

const ROOT = resolve(import.meta.dirname, "..");
const QUICK = process.argv.includes("--quick");
/** `--only=1,4`: run just these measures (for trying things; nothing is written). */
const ONLY = process.argv
  .find((a) => a.startsWith("--only="))
  ?.slice(7)
  .split(",");
const wanted = (n: number) => !ONLY || ONLY.includes(String(n));
const started = Date.now();
const BOT_NODE_OPTIONS = process.env.BENCH_BOT_NODE_OPTIONS?.trim() ?? "";
/** `npm start`'s command line after `node`: its V8 flags, then dist/src/index.js. */
const START = productionCommand(ROOT);
const BOT_ARGS = START.args;

const PLAN = QUICK
  ? {
      cards: {
        levels: [
          { inFlight: 1, rounds: 5 },
          { inFlight: 50, rounds: 2 },
          { inFlight: 200, rounds: 1 },
        ],
      },
      launchSamples: 2,
      pacedPeople: 150,
    }
  : {
      cards: {
        levels: [
          { inFlight: 1, rounds: 40 },
          { inFlight: 50, rounds: 8 },
          { inFlight: 200, rounds: 6 },
        ],
      },
      launchSamples: 6,
      pacedPeople: 150,
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
  if (!wanted(Number.parseInt(name, 10))) return { ok: false, why: "skipped (--only)" };
  log(`${name}…`);
  const t0 = Date.now();
  try {
    return { ok: true, value: await fn() };
  } catch (e) {
    log(`  ${name} failed: ${(e as Error).stack ?? e}`);
    return { ok: false, why: (e as Error).message };
  } finally {
    const m = botPid === undefined ? undefined : memoryOf(botPid);
    log(
      `  ${((Date.now() - t0) / 1000).toFixed(1)} s${m ? `; bot RSS ${m.rssMb.toFixed(1)} MB, peak so far ${m.hwmMb.toFixed(1)} MB` : ""}`,
    );
  }
}

function commit(): string {
  try {
    const sha = execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: ROOT })
      .toString()
      .trim();
    // The results files themselves change with every run: not a modification of what ran.
    const paths = ["src", "bench", ":!bench/RESULTS.md", ":!bench/history.json"];
    const dirty = execFileSync("git", ["status", "--porcelain", "--", ...paths], { cwd: ROOT })
      .toString()
      .trim();
    return dirty ? `${sha} (modified)` : sha;
  } catch {
    return "unknown";
  }
}

/** A reference app (bare Bolt or naive) as plain JavaScript, like the bot's build. */
/** Counted before the runner pins itself to CPU 0 (which makes it see one). */
const MACHINE_CPUS = availableParallelism();
const CPUS = cpuPlan();

function startReference(name: string, file: string, env: Record<string, string>): Child {
  // Running a .ts file would load Node's type stripper (about 16 MB of RSS the bot does not pay).
  const js = stripTypeScriptTypes(readFileSync(join(ROOT, file), "utf8"));
  return startChild(
    name,
    ["--input-type=module", "--eval", js],
    {
      PATH: process.env.PATH ?? "",
      PORT: "0",
      ...env,
      ...(process.env.BENCH_REF_NODE_OPTIONS
        ? { NODE_OPTIONS: process.env.BENCH_REF_NODE_OPTIONS }
        : {}),
    },
    ROOT,
    CPUS.app,
  );
}

async function startBot(info: ServicesInfo, secret: string, dataDir: string) {
  const port = await freePort();
  const bot = startChild(
    "bot",
    BOT_ARGS,
    {
      PATH: process.env.PATH ?? "",
      NODE_ENV: "production",
      PORT: String(port),
      SLACK_BOT_TOKEN: info.slack.botToken,
      SLACK_SIGNING_SECRET: secret,
      SLACK_API_URL: info.slack.apiUrl,
      TALLYFY_API_URL: info.tallyfy.url,
      TALLYFY_WEB_URL: info.tallyfy.webUrl,
      TALLYFY_ACCESS_TOKEN: info.tallyfy.token,
      TALLYFY_ORG_ID: info.tallyfy.orgId,
      TOKEN_ENCRYPTION_KEY: randomBytes(32).toString("base64"),
      DATA_DIR: dataDir,
      PUBLIC_URL: "https://tallyfy-bot.example.test",
      WEBHOOK_ADMINS: ALICE_IN_OPS.user.id,
      // The live-card reconcile loop re-reads cards' runs in the background; off, so measure 7
      // counts each action's own requests (as the end-to-end tests do).
      RECONCILE_REQUESTS_PER_MINUTE: "0",
      LOG_LEVEL: "warn",
      ...START.env,
      // For trying V8 flags without touching the start command; recorded in the report.
      ...(BOT_NODE_OPTIONS ? { NODE_OPTIONS: BOT_NODE_OPTIONS } : {}),
    },
    ROOT,
    CPUS.app,
  );
  await waitHealthy(`http://127.0.0.1:${port}/healthz`, bot);
  return { bot, port };
}

async function main(): Promise<void> {
  if (!existsSync(join(ROOT, "dist/src/index.js"))) {
    throw new Error("dist/src/index.js is missing: run `npm run bench` (it builds first)");
  }
  const secret = randomBytes(16).toString("hex");
  const dirs = [
    mkdtempSync(join(tmpdir(), "tallyfy-bench-")),
    mkdtempSync(join(tmpdir(), "tallyfy-bench-")),
  ];
  const children: Child[] = [];
  try {
    const services = startChild(
      "services",
      ["bench/services.ts"],
      { PATH: process.env.PATH ?? "", BENCH_SIGNING_SECRET: secret },
      ROOT,
    );
    children.push(services);
    const info = await firstJsonLine<ServicesInfo>(services);
    const slackEnv = {
      SLACK_SIGNING_SECRET: secret,
      SLACK_BOT_TOKEN: info.slack.botToken,
      SLACK_API_URL: info.slack.apiUrl,
    };
    const tallyfyEnv = {
      TALLYFY_API_URL: info.tallyfy.url,
      TALLYFY_ACCESS_TOKEN: info.tallyfy.token,
      TALLYFY_ORG_ID: info.tallyfy.orgId,
    };
    const refs = {
      baseline: startReference("baseline", "bench/baseline.ts", slackEnv),
      naive: startReference("naive", "bench/naive.ts", { ...slackEnv, ...tallyfyEnv }),
      twin: startReference("twin", "bench/naive.ts", { ...slackEnv, ...tallyfyEnv }),
    };
    children.push(refs.baseline, refs.naive, refs.twin);
    const ports = {
      baseline: (await firstJsonLine<{ port: number }>(refs.baseline)).port,
      naive: (await firstJsonLine<{ port: number }>(refs.naive)).port,
      twin: (await firstJsonLine<{ port: number }>(refs.twin)).port,
    };
    const first = await startBot(info, secret, dirs[0]!);
    children.push(first.bot);
    botPid = first.bot.pid;
    const control = new Control(info.control);
    await control.configure(`http://127.0.0.1:${first.port}/slack/events`);
    const botMem = sampleMemory(first.bot.pid);
    const baseMem = sampleMemory(refs.baseline.pid);
    const naiveMem = sampleMemory(refs.naive.pid);
    const target = (name: string, port: number, pid?: number) =>
      new Target(name, `http://127.0.0.1:${port}`, secret, pid);
    const ctx: BenchContext = {
      control,
      bot: target("bot", first.port, first.bot.pid),
      baseline: target("baseline", ports.baseline, refs.baseline.pid),
      botChild: first.bot,
      who: { ...ALICE_IN_OPS, teamId: info.slack.teamId, teamDomain: info.slack.teamDomain },
      remainingMs: () => 600_000 - (Date.now() - started),
      log,
    };
    log(
      `bot pid ${first.bot.pid} on :${first.port}; baseline :${ports.baseline}, naive :${ports.naive}, twin :${ports.twin}`,
    );

    const launch = await measured("4. launch modal filled", () =>
      measureLaunch(ctx, info.tallyfy, PLAN.launchSamples),
    );
    const actions = await measured("7. Tallyfy requests per action", () => measureActions(ctx));
    const references = {
      bot: ctx.bot,
      naive: target("naive", ports.naive, refs.naive.pid),
      twin: target("twin", ports.twin, refs.twin.pid),
      baseline: ctx.baseline,
    };
    const cards = await measured("1. command to card", () =>
      measureCards(ctx, references, PLAN.cards),
    );
    const coalesced = await measured("2. one read for many clicks", () => measureCoalescing(ctx));
    const storm = await measured("5. webhook storm", () => measureStorm(ctx, info.tallyfy.orgId));
    const botLog = first.bot.problems;
    const memory = {
      botHwmMb: botMem.peak().hwmMb,
      baselineHwmMb: baseMem.peak().hwmMb,
      naiveHwmMb: naiveMem.peak().hwmMb,
      pacedBotHwmMb: 0,
    };
    botMem.stop();
    await Promise.all(Object.values(references).map((t) => t.close()));
    await first.bot.stop();

    // Measure 3 on a bot that has just started against an organization limited to 100 a minute.
    let pacing: Measured<Paced> = { ok: false, why: "skipped (--only)" };
    const problems = { warn: 0, error: 0, samples: [] as string[] };
    if (wanted(3)) {
      await control.rateLimit(LIMIT);
      const second = await startBot(info, secret, dirs[1]!);
      children.push(second.bot);
      botPid = second.bot.pid;
      await control.configure(`http://127.0.0.1:${second.port}/slack/events`);
      const pacedMem = sampleMemory(second.bot.pid);
      const pacedCtx: BenchContext = {
        ...ctx,
        bot: target("bot", second.port),
        botChild: second.bot,
      };
      pacing = await measured("3. Tallyfy's rate limit", () =>
        measurePacing(pacedCtx, PLAN.pacedPeople),
      );
      memory.pacedBotHwmMb = pacedMem.peak().hwmMb;
      pacedMem.stop();
      await pacedCtx.bot.close();
      await control.rateLimit(null);
      Object.assign(problems, second.bot.problems);
    }
    baseMem.stop();
    naiveMem.stop();

    const results: BenchResults = {
      env: {
        date: new Date().toISOString(),
        node: process.version,
        cpus: MACHINE_CPUS,
        cpuModel: cpus()[0]?.model.trim() ?? "unknown",
        bolt: (
          JSON.parse(readFileSync(join(ROOT, "node_modules/@slack/bolt/package.json"), "utf8")) as {
            version: string;
          }
        ).version,
        commit: commit(),
        botNodeOptions: BOT_NODE_OPTIONS,
        botCommand: [
          ...Object.entries(START.env).map(([k, v]) => `${k}=${v}`),
          "node",
          ...BOT_ARGS,
        ].join(" "),
        placement: CPUS.note,
        seconds: (Date.now() - started) / 1000,
      },
      cards,
      coalesced,
      pacing,
      launch,
      storm,
      actions,
      memory,
      botLog: {
        warn: botLog.warn + problems.warn,
        error: botLog.error + problems.error,
        samples: [...botLog.samples, ...problems.samples].slice(0, 8),
      },
    };
    const report = renderReport(results);
    process.stdout.write(`\n${report.markdown}\n`);
    if (QUICK || ONLY) {
      log("(--quick: bench/RESULTS.md left as it was)");
      return;
    }
    const streak = recordRun(join(ROOT, "bench/history.json"), join(ROOT, "bench/RESULTS.md"), {
      date: results.env.date,
      commit: results.env.commit,
      machine: `${results.env.cpus} × ${results.env.cpuModel}`,
      rows: report.rows,
      markdown: report.markdown,
    });
    log(`Wrote bench/RESULTS.md; consecutive runs passing every target: ${streak}`);
  } finally {
    await Promise.all(children.map((c) => c.stop()));
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    log(`bench failed: ${(e as Error).stack ?? e}`);
    process.exit(1);
  },
);
