import { AsyncLocalStorage } from "node:async_hooks";
import type { WorkScope } from "../tallyfy/work-scope.ts";
import { idleWaiters } from "./idle-waiters.ts";

/**
 * Work that follows an ack (Tallyfy reads, card posts). Never for work that must start at once
 * (views.open with a 3-second trigger_id).
 *
 * Listeners hand work over with `enqueue` and return: Bolt then lets go of the request (its
 * HTTP request and response, middleware chain and context, about 20 KB each), so a backlog of
 * thousands of commands holds only the closures' few fields.
 *
 * Work starts at once: what paces it is each organization's Tallyfy budget (the pacer in
 * src/tallyfy/pacing.ts), where it waits for its turn. `limit` is only a memory bound on the
 * work running (each holds a few KB while it waits); beyond it work waits here, in order.
 *
 * On shutdown every piece of enqueued work ends in its own answer or in `stopped`: `close()`
 * tells what never started, and running work that has sent Tallyfy nothing yet (it is waiting
 * for the budget), that it was not started ("not_started"), and so is whatever is enqueued
 * later; `drain(ms)` lets the rest finish, then tells what is still running how far it got:
 * "read" (nothing sent to Tallyfy that changes anything) or "write" (a change was sent, so it
 * may have been applied).
 */
export interface WorkQueue {
  /** Runs `work` (in order, beyond `limit`); rejects with WorkStopped when closed before it starts. */
  run<T>(work: () => Promise<T>): Promise<T>;
  /** Starts `work.run` (in order, beyond `limit`) and returns at once. */
  enqueue(work: QueuedWork): void;
  /**
   * The running work whose code is executing now, as the Tallyfy SDK sees it (work-scope.ts):
   * a shutdown lets go of work that waits for Tallyfy's budget and has sent nothing yet.
   */
  scope(): WorkScope | undefined;
  /** Waiting, not yet started. */
  readonly waiting: number;
  /** Waiting or running. */
  readonly pending: number;
  /** Resolves true once nothing is waiting or running, false if `ms` pass first. */
  idle(ms: number): Promise<boolean>;
  /**
   * Starts nothing more: waiting work, running work that has sent Tallyfy nothing yet and waits
   * for its budget (now or later), and any enqueued from now on, is told "not_started".
   */
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
  /** Told "not_started" (never started, or let go before sending Tallyfy anything). */
  notStarted: number;
  /** Still running at the deadline, told "read" or "write". */
  cutOff: number;
  /** Notes that could not be delivered (or not in time). */
  undelivered: number;
}

/**
 * The error `run` rejects with, and a cut-off or let-go work's Tallyfy calls reject with, once the queue has let work go (the person has been told; nothing else to say).
 */
export class WorkStopped extends Error {
  constructor(message = "the bot is stopping") {
    super(message);
    this.name = "WorkStopped";
  }
}

export interface WorkQueueOptions {
  /** Most work running at once: a memory bound, not a pace (the pacer paces). */
  limit: number;
}

interface Waiting {
  start: () => void;
  /** The queue closed before it started. */
  abandon: () => void;
}

/** Work that has started: how far it got with Tallyfy, and whether a shutdown let it go. */
interface Running {
  work: QueuedWork | undefined;
  wrote: boolean;
  /** Told it was stopped ("not_started", "read" or "write"): nothing more may be sent. */
  cut: boolean;
  /** Tallyfy calls waiting for their organization's budget. */
  waiting: number;
  /** Requests sent to Tallyfy, less those it refused with a 429. */
  sent: number;
  stop: AbortController;
  scope: WorkScope | undefined;
}

export function createWorkQueue(options: number | WorkQueueOptions): WorkQueue {
  const { limit } = typeof options === "number" ? { limit: options } : options;
  const queue: Waiting[] = [];
  const running = new Set<Running>();
  /** The running work whose code is executing now (so `scope()` needs no argument). */
  const current = new AsyncLocalStorage<Running>();
  const waiters = idleWaiters();
  const notes: Promise<boolean>[] = [];
  const counts = { notStarted: 0, cutOff: 0 };
  let closed = false;

  const pump = () => {
    while (queue.length > 0 && !closed && running.size < limit) queue.shift()!.start();
    if (running.size === 0 && queue.length === 0) waiters.wake();
  };
  /** Waiting for Tallyfy's budget with nothing sent: it never got going, and may go. */
  const waitingOnTallyfy = (job: Running) => job.waiting > 0 && job.sent === 0;
  /** Tells running work it never got going, and stops its Tallyfy calls. */
  const letGo = (job: Running) => {
    if (job.cut || !running.has(job)) return;
    job.cut = true;
    counts.notStarted++;
    if (job.work) tell(job.work, "not_started");
    job.stop.abort(new WorkStopped("let go by a shutdown before it sent Tallyfy anything"));
  };
  /** Once closed, work that starts to wait for Tallyfy with nothing sent starts nothing more. */
  const startsNothingMore = (job: Running) => {
    if (closed && waitingOnTallyfy(job)) letGo(job);
  };
  const markWritten = (job: Running) => {
    if (job.cut) throw new WorkStopped("cut off by a shutdown before sending a change");
    job.wrote = true;
  };
  const scopeOf = (job: Running): WorkScope => {
    job.scope ??= {
      signal: job.stop.signal,
      held(waiting) {
        job.waiting += waiting ? 1 : -1;
        startsNothingMore(job);
      },
      sending() {
        job.sent++;
      },
      writing: () => markWritten(job),
      refused() {
        job.sent--;
        startsNothingMore(job);
      },
      inHand: () => job.sent > 0,
    };
    return job.scope;
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
        const job: Running = {
          work: queued,
          wrote: false,
          cut: false,
          waiting: 0,
          sent: 0,
          stop: new AbortController(),
          scope: undefined,
        };
        running.add(job);
        current
          // Started at once, after the ack: its Tallyfy read goes out while the next requests
          // are being acked, so Tallyfy's latency overlaps them. Started from setImmediate
          // (after every request already read was acked), 200 shows at once had card p99
          // 381-398 ms; started at once, 329-384 ms (issue 18's bench, three runs each).
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
      queue.push({ start, abandon });
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
    scope() {
      const job = current.getStore();
      return job && running.has(job) ? scopeOf(job) : undefined;
    },
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
      for (const waiting of queue.splice(0)) waiting.abandon();
      for (const job of running) startsNothingMore(job);
      pump();
    },
    async drain(ms, notesMs = 1_500) {
      self.close();
      await self.idle(ms);
      for (const job of running) {
        if (job.cut) continue;
        if (waitingOnTallyfy(job)) {
          letGo(job);
          continue;
        }
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
