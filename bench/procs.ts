/** Starting, watching and stopping the bench's child processes. */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import { availableParallelism } from "node:os";
import { createInterface } from "node:readline";

export interface Child {
  name: string;
  proc: ChildProcess;
  pid: number;
  /** stderr lines, kept for the report (bounded). */
  stderr: string[];
  /** Lines at warn/error level, counted from the child's JSON logs (or any stderr line). */
  problems: { warn: number; error: number; samples: string[] };
  stop(): Promise<void>;
}

const children = new Set<Child>();

/** Kill every child still running; the runner calls this on any exit. */
export function killAll(): void {
  for (const c of children) {
    if (c.proc.exitCode === null && c.proc.signalCode === null) c.proc.kill("SIGKILL");
  }
}

export function startChild(
  name: string,
  args: string[],
  env: Record<string, string>,
  cwd: string,
  cpu?: number,
): Child {
  // `taskset -c N node …` execs node: the child's pid is node's own.
  const [file, argv] =
    cpu === undefined
      ? [process.execPath, args]
      : ["taskset", ["-c", String(cpu), process.execPath, ...args]];
  const proc = spawn(file, argv, { cwd, env, stdio: ["pipe", "pipe", "pipe"] });
  if (proc.pid === undefined) throw new Error(`${name}: could not start`);
  const child: Child = {
    name,
    proc,
    pid: proc.pid,
    stderr: [],
    problems: { warn: 0, error: 0, samples: [] },
    stop: () =>
      new Promise<void>((resolve) => {
        if (proc.exitCode !== null || proc.signalCode !== null) {
          resolve();
          return;
        }
        const force = setTimeout(() => proc.kill("SIGKILL"), 5_000);
        proc.once("exit", () => {
          clearTimeout(force);
          children.delete(child);
          resolve();
        });
        proc.kill("SIGTERM");
      }),
  };
  createInterface({ input: proc.stderr! }).on("line", (line) => {
    if (child.stderr.length < 200) child.stderr.push(line);
    const level = logLevel(line);
    if (level === "warn" || level === "error") {
      child.problems[level]++;
      if (child.problems.samples.length < 8) child.problems.samples.push(line.slice(0, 300));
    }
  });
  children.add(child);
  return child;
}

function logLevel(line: string): string {
  try {
    const parsed = JSON.parse(line) as { level?: unknown };
    return typeof parsed.level === "string" ? parsed.level : "error";
  } catch {
    return "error";
  }
}

/** The first stdout line of a child, parsed as JSON (its "ready" announcement). */
export function firstJsonLine<T>(child: Child, timeoutMs = 15_000): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const lines = createInterface({ input: child.proc.stdout! });
    const timer = setTimeout(() => {
      reject(new Error(`${child.name} did not start: ${child.stderr.slice(-5).join("\n")}`));
    }, timeoutMs);
    child.proc.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`${child.name} exited (${code}): ${child.stderr.slice(-5).join("\n")}`));
    });
    lines.once("line", (line) => {
      clearTimeout(timer);
      try {
        resolve(JSON.parse(line) as T);
      } catch (e) {
        reject(e);
      }
    });
  });
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      const port = typeof addr === "object" && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export async function waitHealthy(url: string, child: Child, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.proc.exitCode !== null) {
      throw new Error(`${child.name} exited: ${child.stderr.slice(-5).join("\n")}`);
    }
    try {
      const res = await fetch(url);
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${child.name} never became healthy at ${url}`);
}

/** Memory of a process from /proc: resident now and its high-water mark, in MB. */
export function memoryOf(pid: number): { rssMb: number; hwmMb: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, "m").exec(status)?.[1]);
    return { rssMb: kb("VmRSS") / 1024, hwmMb: kb("VmHWM") / 1024 };
  } catch {
    return undefined;
  }
}

let clockTicks: number | undefined;

/** CPU time (user + system) a process has used so far, in ms; undefined without /proc. */
export function cpuMsOf(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    clockTicks ??= Number(execFileSync("getconf", ["CLK_TCK"]).toString().trim()) || 100;
    // Fields after the command name (which may hold spaces, so split after its ")").
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // utime and stime are fields 14 and 15 of stat(5): 12th and 13th after the name.
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / clockTicks;
  } catch {
    return undefined;
  }
}

/** Samples a process's RSS every `everyMs`; `peak` also trusts the kernel's VmHWM. */
export function sampleMemory(pid: number, everyMs = 250) {
  let maxRss = 0;
  let hwm = 0;
  const take = () => {
    const m = memoryOf(pid);
    if (!m) return;
    maxRss = Math.max(maxRss, m.rssMb);
    hwm = Math.max(hwm, m.hwmMb);
  };
  take();
  const timer = setInterval(take, everyMs);
  timer.unref();
  return {
    peak(): { sampledMaxRssMb: number; hwmMb: number } {
      take();
      return { sampledMaxRssMb: maxRss, hwmMb: hwm };
    },
    stop: () => clearInterval(timer),
  };
}

/**
 * Where the processes run: with two CPUs or more and `taskset`, the app being measured (the
 * bot or a reference, one at a time) gets CPU 1 to itself, and the runner and the services
 * (the fake Slack and Tallyfy, which in production run on other people's servers) share
 * CPU 0. Otherwise everything shares every CPU.
 */
export function cpuPlan(): { app?: number; note: string } {
  if (availableParallelism() < 2) return { note: "one CPU: every process shares it" };
  try {
    execFileSync("taskset", ["-p", "-c", "0", String(process.pid)], { stdio: "ignore" });
  } catch {
    return { note: "no taskset: every process shares every CPU" };
  }
  return {
    app: 1,
    note: "the app measured on CPU 1 (bot and references, one at a time); runner and services on CPU 0",
  };
}
