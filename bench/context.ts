/** What every measure needs: the services' control client, the two targets, the clock. */
import type { Control } from "./control.ts";
import type { SlackWho, Target } from "./load.ts";
import type { Child } from "./procs.ts";

export interface BenchContext {
  control: Control;
  bot: Target;
  baseline: Target;
  botChild: Child;
  who: SlackWho;
  /** Milliseconds left in the run's time budget. */
  remainingMs(): number;
  log(line: string): void;
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Poll `check` until it returns a value or `timeoutMs` passes (then undefined). */
export async function pollFor<T>(
  check: () => Promise<T | undefined>,
  timeoutMs: number,
  everyMs = 25,
): Promise<T | undefined> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) return undefined;
    await sleep(everyMs);
  }
}
