/**
 * Several real bot processes (`node src/index.ts`, as deployed) sharing one store, one fake
 * Slack and one Tallyfy sandbox, with drivers that sign requests to one instance or alternate
 * between them. Postgres when a DATABASE_URL schema is given, else one SQLite DATA_DIR.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SlackDriver } from "../../sandbox/slack/driver.ts";
import { type FakeSlack, startFakeSlack } from "../../sandbox/slack/fake-slack.ts";
import { startTallyfySandbox, type TallyfySandbox } from "../../sandbox/tallyfy/server.ts";
import { decodeKey } from "../../src/config.ts";
import { openPostgresStore } from "../../src/store/postgres-store.ts";
import type { SharedStore } from "../../src/store/shared-state.ts";
import { openSqliteStore } from "../../src/store/sqlite-store.ts";
import { type Instance, startInstance } from "./bot-process.ts";
import { BOT_TOKEN, ENCRYPTION_KEY, SIGNING_SECRET } from "./harness.ts";
import type { TestSchema } from "./postgres.ts";

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

export type { Instance };

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

/** Log lines of `instance` whose message includes `text`. */
export function logged(instance: Instance | undefined, text: string): string[] {
  return (instance?.logs ?? []).filter((l) => l.includes(text));
}
