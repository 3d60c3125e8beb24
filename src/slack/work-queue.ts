import { idleWaiters } from "./idle-waiters.ts";

/**
 * Work that follows an ack (Tallyfy reads, card posts), run a few at a time. Tallyfy sees at
 * most `limit` of our calls at once. Never for work that must start at once (views.open with a
 * 3-second trigger_id).
 *
 * Listeners hand work over with `enqueue` and return: Bolt then lets go of the request (its
 * HTTP request and response, middleware chain and context, about 20 KB each), so a backlog of
 * thousands of commands holds only the closures' few fields.
 *
 * Acks come first. While `busy()` says requests are arriving, waiting work starts only once it
 * has waited `maxWaitMs` (then `busyLimit` at a time), so a burst of commands is acked at the
 * pace of a bare app and the cards follow it; `kick()` (when the burst is over) starts the rest.
 * Slack allows 3 s for an ack, and a card a second late is still a card.
 */
export interface WorkQueue {
  run<T>(work: () => Promise<T>): Promise<T>;
  /**
   * Starts `work` when a slot frees and returns at once. `work` answers its own failures; one
   * that still escapes goes to `onError`.
   */
  enqueue(work: () => Promise<void>, onError: (error: unknown) => void): void;
  /** Start what may start now: call when `busy()` has turned false. */
  kick(): void;
  /** Waiting, not yet started. */
  readonly waiting: number;
  /** Waiting or running. */
  readonly pending: number;
  /** Resolves true once nothing is waiting or running, false if `ms` pass first. */
  idle(ms: number): Promise<boolean>;
}

export interface WorkQueueOptions {
  limit: number;
  busy?: () => boolean;
  /** While busy: how long work may wait before it starts anyway (default 1000 ms)... */
  maxWaitMs?: number;
  /** ...and how many may run then (default 2). */
  busyLimit?: number;
  now?: () => number;
}

interface Waiting {
  start: () => void;
  since: number;
}

export function createWorkQueue(options: number | WorkQueueOptions): WorkQueue {
  const {
    limit,
    busy = () => false,
    maxWaitMs = 1000,
    busyLimit = 2,
    now = () => performance.now(),
  } = typeof options === "number" ? { limit: options } : options;
  let active = 0;
  const queue: Waiting[] = [];
  const waiters = idleWaiters();
  let timer: ReturnType<typeof setTimeout> | undefined;

  const mayStart = (): boolean => {
    if (active >= limit) return false;
    if (!busy()) return true;
    return active < busyLimit && now() - queue[0]!.since >= maxWaitMs;
  };
  const pump = () => {
    while (queue.length > 0 && mayStart()) {
      active++;
      queue.shift()!.start();
    }
    if (active === 0 && queue.length === 0) waiters.wake();
    // Held back by a burst before the oldest has waited long enough: look again when it has.
    // (Held back by busyLimit instead, the next piece of work to finish calls pump.)
    const due = queue.length > 0 ? queue[0]!.since + maxWaitMs - now() : 0;
    if (due > 0 && active < limit && !timer) {
      timer = setTimeout(() => {
        timer = undefined;
        pump();
      }, due);
    }
  };
  const self: WorkQueue = {
    async run<T>(work: () => Promise<T>): Promise<T> {
      // Arrival order; pump() counts the slot as taken before it wakes us.
      await new Promise<void>((start) => {
        queue.push({ start, since: now() });
        pump();
      });
      try {
        return await work();
      } finally {
        active--;
        pump();
      }
    },
    enqueue(work, onError) {
      self.run(work).catch(onError);
    },
    kick: pump,
    get waiting() {
      return queue.length;
    },
    get pending() {
      return queue.length + active;
    },
    idle(ms) {
      return active === 0 && queue.length === 0 ? Promise.resolve(true) : waiters.wait(ms);
    },
  };
  return self;
}
