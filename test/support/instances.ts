/**
 * Several real bot processes (`node src/index.ts`, as deployed) sharing one store, one fake
 * Slack and one Tallyfy sandbox, with drivers that sign requests to one instance or alternate
 * between them. Postgres when a DATABASE_URL schema is given, else one SQLite DATA_DIR.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { SlackDriver } from "../../sandbox/slack/driver.ts";
import { type FakeSlack, startFakeSlack } from "../../sandbox/slack/fake-slack.ts";
import { startTallyfySandbox, type TallyfySandbox } from "../../sandbox/tallyfy/server.ts";
import { decodeKey } from "../../src/config.ts";
import { openPostgresStore } from "../../src/store/postgres-store.ts";
import type { SharedStore } from "../../src/store/shared-state.ts";
import { openSqliteStore } from "../../src/store/sqlite-store.ts";
import { BOT_TOKEN, ENCRYPTION_KEY, SIGNING_SECRET } from "./harness.ts";
import type { TestSchema } from "./postgres.ts";

/** The checkout whose src/index.ts runs (BOT_ROOT points at another one, e.g. older code). */
const ROOT = process.env.BOT_ROOT ?? fileURLToPath(new URL("../..", import.meta.url));

export interface Instance {
  name: string;
  port: number;
  /** Its log lines (JSON), as written. */
  logs: string[];
  /** SIGTERM, as a rolling restart does; resolves with the exit code once it has exited. */
  stop(): Promise<number | null>;
}

/** Sends each request to the next instance in turn; `sentTo` records which one got each. */
export class RoundRobinDriver extends SlackDriver {
  readonly sentTo: string[] = [];
  /** Bodies sent, in order (to send one again as Slack's retry would). */
  readonly bodies: { body: string; contentType: string }[] = [];
  private turn = 0;
  private readonly targets: { name: string; url: string }[];

  constructor(slack: FakeSlack, targets: { name: string; url: string }[]) {
    const first = targets[0];
    if (!first) throw new Error("no instances");
    super({ botUrl: first.url, signingSecret: SIGNING_SECRET, slack });
    this.targets = targets;
  }

  override signedPost(
    body: string,
    contentType: string,
    opts: { timestamp?: number; signature?: string } = {},
  ) {
    const target = this.targets[this.turn++ % this.targets.length];
    if (!target) throw new Error("no instances");
    this.sentTo.push(target.name);
    this.bodies.push({ body, contentType });
    // SlackDriver reads botUrl synchronously when it sends, so concurrent posts don't mix.
    (this as unknown as { botUrl: string }).botUrl = target.url;
    return super.signedPost(body, contentType, opts);
  }
}

export interface Cluster {
  backend: "postgres" | "sqlite";
  sandbox: TallyfySandbox;
  slack: FakeSlack;
  /** This test's own handle on the instances' store. */
  store: SharedStore;
  instances: Instance[];
  /** A driver per instance (one instance: both are the same one). */
  a: RoundRobinDriver;
  b: RoundRobinDriver;
  /** Alternates A, B, A, B… */
  rr: RoundRobinDriver;
  close(): Promise<void>;
}

export interface ClusterOptions {
  /** Postgres schema to share; without it, one SQLite DATA_DIR. */
  schema?: TestSchema | undefined;
  count: 1 | 2;
  /** Extra environment for every instance. */
  env?: Record<string, string>;
}

export async function startCluster(opts: ClusterOptions): Promise<Cluster> {
  const sandbox = await startTallyfySandbox({ latencyMs: 0 });
  const slack = await startFakeSlack({ botToken: BOT_TOKEN });
  const key = decodeKey(ENCRYPTION_KEY);
  if (!key) throw new Error("bad test key");
  const dir = opts.schema ? undefined : mkdtempSync(join(tmpdir(), "tallyfy-instances-"));
  const storeEnv: Record<string, string> = opts.schema
    ? { DATABASE_URL: opts.schema.url, DATABASE_POOL_SIZE: "4" }
    : { DATA_DIR: dir ?? "" };
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "",
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: slack.apiUrl,
    TALLYFY_API_URL: sandbox.url,
    TALLYFY_WEB_URL: sandbox.webUrl,
    TALLYFY_ACCESS_TOKEN: sandbox.token,
    TALLYFY_ORG_ID: sandbox.orgId,
    TOKEN_ENCRYPTION_KEY: ENCRYPTION_KEY,
    PORT: "0",
    ...storeEnv,
    ...opts.env,
  };
  const names = opts.count === 2 ? ["A", "B"] : ["A"];
  const instances = await Promise.all(names.map((name) => startInstance(name, env)));
  const store = opts.schema
    ? await openPostgresStore({ connectionString: opts.schema.url, key, poolSize: 2 })
    : await openSqliteStore({ dataDir: dir ?? "", key });
  const targets = instances.map((i) => ({
    name: i.name,
    url: `http://127.0.0.1:${i.port}/slack/events`,
  }));
  const only = (name: string) => {
    const t = targets.find((x) => x.name === name) ?? targets[0];
    return new RoundRobinDriver(slack, t ? [t] : []);
  };
  return {
    backend: opts.schema ? "postgres" : "sqlite",
    sandbox,
    slack,
    store,
    instances,
    a: only("A"),
    b: only("B"),
    rr: new RoundRobinDriver(slack, targets),
    async close() {
      await Promise.all(instances.map((i) => i.stop()));
      await store.close();
      await slack.close();
      await sandbox.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

const LISTENING = /listening on port (\d+)/;

function startInstance(name: string, env: Record<string, string>): Promise<Instance> {
  return new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(process.execPath, ["src/index.ts"], {
      cwd: ROOT,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const logs: string[] = [];
    let partial = "";
    let started = false;
    const exited = new Promise<number | null>((done) => child.on("exit", (code) => done(code)));
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`instance ${name} did not start:\n${logs.join("\n")}`));
    }, 30_000);
    const onData = (chunk: Buffer) => {
      const lines = (partial + chunk.toString("utf8")).split("\n");
      partial = lines.pop() ?? "";
      for (const line of lines) {
        logs.push(line);
        const port = LISTENING.exec(line)?.[1];
        if (port && !started) {
          started = true;
          clearTimeout(timer);
          resolve({
            name,
            port: Number(port),
            logs,
            async stop() {
              if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
              const force = setTimeout(() => child.kill("SIGKILL"), 15_000);
              const code = await exited;
              clearTimeout(force);
              return code;
            },
          });
        }
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.on("error", reject);
    void exited.then((code) => {
      if (started) return;
      clearTimeout(timer);
      reject(new Error(`instance ${name} exited (${code}) before listening:\n${logs.join("\n")}`));
    });
  });
}

/** Log lines of `instance` whose message includes `text`. */
export function logged(instance: Instance | undefined, text: string): string[] {
  return (instance?.logs ?? []).filter((l) => l.includes(text));
}
