import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { productionArgs, startArgs, startCommand } from "../../bench/start-command.ts";

describe("the bench starts the bot as npm start does", () => {
  it("reads the node arguments from the start script, flags first", () => {
    expect(startArgs("npm run build && node --max-semi-space-size=4 dist/src/index.js")).toEqual([
      "--max-semi-space-size=4",
      "dist/src/index.js",
    ]);
    expect(startArgs("node dist/src/index.js")).toEqual(["dist/src/index.js"]);
    expect(startCommand("npm run build && MALLOC_ARENA_MAX=2 node dist/src/index.js")).toEqual({
      env: { MALLOC_ARENA_MAX: "2" },
      args: ["dist/src/index.js"],
    });
  });

  it("refuses a start script it cannot reproduce", () => {
    expect(() => startArgs("tsx src/index.ts")).toThrow(/does not end in/);
  });

  it("npm start runs the build with the V8 heap settings the README documents", () => {
    const args = productionArgs(new URL("../..", import.meta.url).pathname);
    expect(args.at(-1)).toBe("dist/src/index.js");
    const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
    for (const flag of args.slice(0, -1)) expect(readme).toContain(flag);
  });

  it("the Node the project runs on accepts every flag of the start script", () => {
    const flags = productionArgs(new URL("../..", import.meta.url).pathname).slice(0, -1);
    // Heap sizes only: no flag turns a V8 compiler off (the bench found people lose by it).
    for (const flag of flags) expect(flag).toMatch(/^--max-(semi|old)-space-size=\d+$/);
    const run = spawnSync(process.execPath, [...flags, "-e", "0"], { encoding: "utf8" });
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
  });
});
