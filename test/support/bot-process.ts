/** A real bot process (`node src/index.ts`, as deployed), started and stopped the way a host does. */
import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

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

const LISTENING = /listening on port (\d+)/;

/** Starts `node src/index.ts` with `env`; resolves once it says which port it listens on. */
export function startInstance(name: string, env: Record<string, string>): Promise<Instance> {
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
