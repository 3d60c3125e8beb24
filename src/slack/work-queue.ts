import { AsyncLocalStorage } from "node:async_hooks";
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
 *
 * On shutdown every piece of enqueued work ends in its own answer or in `stopped`: `close()`
 * tells what never started ("not_started") and whatever is enqueued later; `drain(ms)` lets
 * running work finish, then tells what is still running how far it got: "read" (nothing sent
 * to Tallyfy that changes anything) or "write" (a change was sent, so it may have been applied).
 */
export interface WorkQueue {
  /** Runs `work` when a slot frees; rejects with WorkStopped when closed before it starts. */
  run<T>(work: () => Promise<T>): Promise<T>;
  /** Starts `work.run` when a slot frees and returns at once. */
  enqueue(work: QueuedWork): void;
  /**
   * Called by running work just before it sends Tallyfy a change, so a shutdown that cuts it
   * off says "may have been applied". Throws WorkStopped when the work has been cut off
   * already: it was told nothing was changed, so the change must not be sent.
   */
  markWrite(): void;
  /** Start what may start now: call when `busy()` has turned false. */
  kick(): void;
  /** Waiting, not yet started. */
  readonly waiting: number;
  /** Waiting or running. */
  readonly pending: number;
  /** Resolves true once nothing is waiting or running, false if `ms` pass first. */
  idle(ms: number): Promise<boolean>;
  /** Starts nothing more: waiting work, and any enqueued from now on, is told "not_started". */
  close(): void;
  /**
   * Closes, waits up to `ms` for running work, tells what is still running that it was cut
   * off, and waits up to `notesMs` for every such note to be delivered.
   */
  drain(ms: number, notesMs?: number): Promise<DrainReport>;
}

/** How far work got when the bot stopped: never started, only read, or sent a change. */
export type Unfinished = "not_started" | "read" | "write";

export interface QueuedWork {
  /** The work; it answers the person itself, failures included. */
  run: () => Promise<void>;
  /** Tells the person the bot stopped before the work ended; rejects if it could not. */
  stopped: (why: Unfinished) => Promise<void>;
  /** A failure that escaped `run` or `stopped`. */
  onError: (error: unknown) => void;
}

export interface DrainReport {
  /** Every piece of work finished, or never started and was told so. */
  clean: boolean;
  /** Told "not_started". */
  notStarted: number;
  /** Still running at the deadline, told "read" or "write". */
  cutOff: number;
  /** Notes that could not be delivered (or not in time). */
  undelivered: number;
}

/** The error `run` rejects with, and `markWrite` throws, once the queue has let work go. */
export class WorkStopped extends Error {
  constructor(message = "the bot is stopping") {
    super(message);
    this.name = "WorkStopped";
  }
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
  /** The queue closed before it started. */
  abandon: () => void;
  since: number;
}

/** Work that has started: whether it sent a change, and whether a shutdown cut it off. */
interface Running {
  work: QueuedWork | undefined;
  wrote: boolean;
  cut: boolean;
}

export function createWorkQueue(options: number | WorkQueueOptions): WorkQueue {
  const {
    limit,
    busy = () => false,
    maxWaitMs = 1000,
    busyLimit = 2,
    now = () => performance.now(),
  } = typeof options === "number" ? { limit: options } : options;
  const queue: Waiting[] = [];
  const running = new Set<Running>();
  /** The running work whose code is executing now (so `markWrite` needs no argument). */
  const current = new AsyncLocalStorage<Running>();
  const waiters = idleWaiters();
  const notes: Promise<boolean>[] = [];
  const counts = { notStarted: 0, cutOff: 0 };
  let closed = false;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const mayStart = (): boolean => {
    if (closed || running.size >= limit) return false;
    if (!busy()) return true;
    return running.size < busyLimit && now() - queue[0]!.since >= maxWaitMs;
  };
  const pump = () => {
    while (queue.length > 0 && mayStart()) queue.shift()!.start();
    if (running.size === 0 && queue.length === 0) waiters.wake();
    // Held back by a burst before the oldest has waited long enough: look again when it has.
    // (Held back by busyLimit instead, the next piece of work to finish calls pump.)
    const due = queue.length > 0 ? queue[0]!.since + maxWaitMs - now() : 0;
    if (due > 0 && running.size < limit && !timer && !closed) {
      timer = setTimeout(() => {
        timer = undefined;
        pump();
      }, due);
    }
  };
  const tell = (work: QueuedWork, why: Unfinished) => {
    notes.push(
      Promise.resolve()
        .then(() => work.stopped(why))
        .then(
          () => true,
          (error: unknown) => {
            work.onError(error);
            return false;
          },
        ),
    );
  };
  const schedule = <T>(work: () => Promise<T>, queued: QueuedWork | undefined): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const start = () => {
        // Arrival order; the slot is taken before the work's first await.
        const job: Running = { work: queued, wrote: false, cut: false };
        running.add(job);
        current
          .run(job, () => Promise.resolve().then(work))
          .then(resolve, reject)
          .finally(() => {
            running.delete(job);
            pump();
          });
      };
      const abandon = () => {
        counts.notStarted++;
        if (queued) tell(queued, "not_started");
        reject(new WorkStopped());
      };
      if (closed) return abandon();
      queue.push({ start, abandon, since: now() });
      pump();
    });

  const self: WorkQueue = {
    run: (work) => schedule(work, undefined),
    enqueue(work) {
      // A failure (or WorkStopped, when closed first) was answered by `run` or `stopped`.
      schedule(work.run, work).catch((error: unknown) => {
        if (!(error instanceof WorkStopped)) work.onError(error);
      });
    },
    markWrite() {
      const job = current.getStore();
      if (!job) return;
      if (job.cut) throw new WorkStopped("cut off by a shutdown before sending a change");
      job.wrote = true;
    },
    kick: pump,
    get waiting() {
      return queue.length;
    },
    get pending() {
      return queue.length + running.size;
    },
    idle(ms) {
      return running.size === 0 && queue.length === 0 ? Promise.resolve(true) : waiters.wait(ms);
    },
    close() {
      closed = true;
      clearTimeout(timer);
      timer = undefined;
      for (const waiting of queue.splice(0)) waiting.abandon();
      pump();
    },
    async drain(ms, notesMs = 1_500) {
      self.close();
      await self.idle(ms);
      for (const job of running) {
        if (job.cut) continue;
        job.cut = true;
        counts.cutOff++;
        if (job.work) tell(job.work, job.wrote ? "write" : "read");
      }
      const all = notes.splice(0);
      let timeout: ReturnType<typeof setTimeout> | undefined;
      const late = new Promise<"late">((resolve) => {
        timeout = setTimeout(() => resolve("late"), notesMs);
      });
      let delivered = 0;
      const counted = all.map((note) => note.then((ok) => void (ok && delivered++)));
      await Promise.race([Promise.all(counted), late]);
      clearTimeout(timeout);
      const undelivered = all.length - delivered;
      return {
        clean: counts.cutOff === 0 && undelivered === 0,
        notStarted: counts.notStarted,
        cutOff: counts.cutOff,
        undelivered,
      };
    },
  };
  return self;
}
