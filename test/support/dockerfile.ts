/** Reads the instructions of the Dockerfile's stages, for tests (no container engine here). */
import { readFileSync } from "node:fs";

export interface Instruction {
  op: string;
  args: string;
}

/** Instructions per stage, continuation lines joined and comments dropped. */
export function dockerStages(path: string): Instruction[][] {
  const joined = readFileSync(path, "utf8")
    .split("\n")
    .filter((line) => !line.trimStart().startsWith("#"))
    .join("\n")
    .replace(/\\\n/g, " ");
  const stages: Instruction[][] = [];
  for (const line of joined.split("\n")) {
    const m = /^\s*([A-Z]+)\s+(.*)$/.exec(line);
    if (!m) continue;
    const op = m[1]!;
    const args = m[2]!.trim();
    if (op === "FROM") stages.push([]);
    stages.at(-1)?.push({ op, args });
  }
  return stages;
}

/** The exec form (`["node", "…"]`) of a CMD or HEALTHCHECK's CMD, as an argument list. */
export function execForm(args: string): string[] {
  const json = args.slice(args.indexOf("["));
  const parsed: unknown = JSON.parse(json);
  if (!Array.isArray(parsed) || !parsed.every((a) => typeof a === "string")) {
    throw new Error(`Not an exec-form command: ${args}`);
  }
  return parsed;
}
