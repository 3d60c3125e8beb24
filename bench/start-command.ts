/**
 * The bot's command line as `npm start` runs it (after the build): the bench starts the bot
 * the same way, environment and V8 flags included, so what it measures is what production runs.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";

export interface StartCommand {
  /** `NAME=value` words before `node`. */
  env: Record<string, string>;
  /** The arguments after `node`. */
  args: string[];
}

/** `[NAME=value …] node <flags…> dist/src/index.js` from package.json's start script. */
export function startCommand(startScript: string): StartCommand {
  const run = startScript.split("&&").at(-1)?.trim() ?? "";
  const words = run.split(/\s+/);
  const env: Record<string, string> = {};
  while (/^[A-Z_][A-Z0-9_]*=\S*$/.test(words[0] ?? "")) {
    const [name, ...value] = words.shift()!.split("=");
    env[name!] = value.join("=");
  }
  if (words[0] !== "node" || words.at(-1) !== "dist/src/index.js") {
    throw new Error(
      `package.json's start script does not end in "node … dist/src/index.js": ${run}`,
    );
  }
  return { env, args: words.slice(1) };
}

/** The arguments after `node` (see startCommand). */
export const startArgs = (startScript: string): string[] => startCommand(startScript).args;

export function productionCommand(root: string): StartCommand {
  const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
    scripts: { start: string };
  };
  return startCommand(pkg.scripts.start);
}

export const productionArgs = (root: string): string[] => productionCommand(root).args;
