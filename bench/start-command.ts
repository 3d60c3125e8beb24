/**
 * The bot's command line as `npm start` runs it (after the build): the bench starts the bot
 * the same way, V8 flags included, so what it measures is what production runs.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";

/** `node <flags…> dist/src/index.js` from package.json's start script: the arguments after `node`. */
export function startArgs(startScript: string): string[] {
  const run = startScript.split("&&").at(-1)?.trim() ?? "";
  const words = run.split(/\s+/);
  if (words[0] !== "node" || words.at(-1) !== "dist/src/index.js") {
    throw new Error(
      `package.json's start script does not end in "node … dist/src/index.js": ${run}`,
    );
  }
  return words.slice(1);
}

export function productionArgs(root: string): string[] {
  const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
    scripts: { start: string };
  };
  return startArgs(pkg.scripts.start);
}
