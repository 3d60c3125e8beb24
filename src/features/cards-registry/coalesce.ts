/**
 * Bursts for one key become one job: the first item starts a window, everything that arrives
 * within it joins, then the job runs once. Items arriving while a job runs wait for it and form
 * the next batch (one more job at most for any burst shorter than the window).
 */
export interface Coalescer<T> {
  add(key: string, item: T): void;
  /** Runs every batch now (shutdown) and waits for running jobs. */
  flush(): Promise<void>;
  readonly pending: number;
}

export function createCoalescer<T>(opts: {
  windowMs: number;
  run: (key: string, items: T[]) => Promise<void>;
  onError: (error: unknown, key: string) => void;
}): Coalescer<T> {
  const waiting = new Map<string, { items: T[]; timer: NodeJS.Timeout | undefined }>();
  const running = new Map<string, Promise<void>>();

  const start = (key: string) => {
    const batch = waiting.get(key);
    if (!batch || running.has(key)) return;
    waiting.delete(key);
    if (batch.timer) clearTimeout(batch.timer);
    const job = opts
      .run(key, batch.items)
      .catch((error: unknown) => opts.onError(error, key))
      .finally(() => {
        running.delete(key);
        const next = waiting.get(key);
        if (next && !next.timer) next.timer = setTimeout(() => start(key), opts.windowMs);
      });
    running.set(key, job);
  };

  return {
    add(key, item) {
      const batch = waiting.get(key);
      if (batch) {
        batch.items.push(item);
        return;
      }
      const fresh: { items: T[]; timer: NodeJS.Timeout | undefined } = {
        items: [item],
        timer: undefined,
      };
      // While a job for the key runs, the batch starts when it ends.
      if (!running.has(key)) fresh.timer = setTimeout(() => start(key), opts.windowMs);
      waiting.set(key, fresh);
    },
    async flush() {
      for (const key of [...waiting.keys()]) start(key);
      while (running.size > 0 || waiting.size > 0) {
        await Promise.all(running.values());
        for (const key of [...waiting.keys()]) start(key);
      }
    },
    get pending() {
      return waiting.size + running.size;
    },
  };
}
