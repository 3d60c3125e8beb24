import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { productionArgs, productionCommand } from "../../bench/start-command.ts";
import { dockerStages, execForm } from "../support/dockerfile.ts";

const root = new URL("../..", import.meta.url).pathname;
const stages = dockerStages(`${root}Dockerfile`);
const final = stages.at(-1)!;
const find = (op: string) => final.filter((i) => i.op === op);

describe("Dockerfile", () => {
  it("builds in one stage and runs from a slim Node 24 stage with production dependencies only", () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    expect(stages[0]![0]!.args).toMatch(/^node:24[-.\w]*slim\S* AS build$/);
    expect(stages[0]!.some((i) => i.op === "RUN" && i.args.includes("npm run build"))).toBe(true);
    expect(final[0]!.args).toMatch(/^node:24[-.\w]*slim\S*$/);
    expect(find("RUN").some((i) => /npm ci\b.*--omit=dev/.test(i.args))).toBe(true);
    expect(find("COPY").some((i) => i.args.includes("--from=build /app/dist"))).toBe(true);
  });

  it("starts the bot with the same node flags and environment as npm start", () => {
    expect(execForm(find("CMD")[0]!.args)).toEqual(["node", ...productionArgs(root)]);
    const env = find("ENV")
      .map((i) => i.args)
      .join(" ");
    for (const [name, value] of Object.entries(productionCommand(root).env)) {
      expect(env).toMatch(new RegExp(`\\b${name}=${value}\\b`));
    }
  });

  it("runs as a non-root user", () => {
    const user = find("USER").at(-1)?.args;
    expect(user).toBeDefined();
    expect(["root", "0"]).not.toContain(user?.split(":")[0]);
  });

  it("keeps DATA_DIR on a volume", () => {
    const env = find("ENV")
      .map((i) => i.args)
      .join(" ");
    const dataDir = /\bDATA_DIR=(\S+)/.exec(env)?.[1];
    expect(dataDir).toBeDefined();
    expect(execForm(find("VOLUME")[0]!.args)).toContain(dataDir);
  });

  it("checks health on /healthz", () => {
    const check = find("HEALTHCHECK")[0]!.args;
    expect(execForm(check.slice(check.indexOf("CMD"))).join(" ")).toContain("/healthz");
  });

  it("is built from a context without secrets, dependencies or data", () => {
    const ignored = readFileSync(`${root}.dockerignore`, "utf8").split("\n");
    for (const entry of [".env", "node_modules", ".git", "data", "dist"]) {
      expect(ignored).toContain(entry);
    }
  });
});

describe("compose.yaml", () => {
  interface Service {
    build?: string;
    image?: string;
    environment?: Record<string, string>;
    depends_on?: Record<string, { condition: string }>;
  }
  const compose = parse(readFileSync(`${root}compose.yaml`, "utf8"), { merge: true }) as {
    services: Record<string, Service>;
    configs: Record<string, { content: string }>;
  };
  const bots = Object.entries(compose.services).filter(([, s]) => s.build === ".");
  const nginx = compose.configs.nginx!.content;

  it("runs two bot instances from this Dockerfile in HTTP mode on one Postgres and one key", () => {
    expect(bots.map(([name]) => name)).toHaveLength(2);
    const envs = bots.map(([, s]) => s.environment!);
    expect(envs[0]).toEqual(envs[1]);
    expect(envs[0]!.DATABASE_URL).toMatch(/^postgres:\/\/[^@]+@postgres:5432\//);
    expect(envs[0]!.TOKEN_ENCRYPTION_KEY).toMatch(/^\$\{TOKEN_ENCRYPTION_KEY:\?/);
    expect(envs[0]!.SLACK_APP_TOKEN).toBe("");
    expect(compose.services.postgres?.image).toMatch(/^postgres:/);
    for (const [, bot] of bots) expect(bot.depends_on?.postgres?.condition).toBe("service_healthy");
  });

  it("puts a round-robin proxy in front of every bot instance", () => {
    const upstream = /upstream bots \{([^}]*)\}/.exec(nginx)?.[1] ?? "";
    const servers = [...upstream.matchAll(/server (\S+);/g)].map((m) => m[1]);
    expect(servers).toEqual(bots.map(([name]) => `${name}:3000`));
    expect(upstream).not.toMatch(/\b(ip_hash|hash|least_conn)\b/);
    expect(nginx).toMatch(/proxy_pass http:\/\/bots;/);
  });

  it("escapes every nginx variable, which compose would otherwise substitute", () => {
    expect(nginx).toContain("$$host");
    expect(nginx.replaceAll("$$", "")).not.toContain("$");
  });
});
