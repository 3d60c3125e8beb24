/**
 * Work that follows an ack (Tallyfy reads, card posts), run a few at a time. Under a burst the
 * acks keep their pace because queued work waits as a small closure instead of competing for
 * the event loop as thousands of half-done requests; Tallyfy sees at most `limit` of our calls
 * at once. Never for work that must start at once (views.open with a 3-second trigger_id).
 */
export interface WorkQueue {
  run<T>(work: () => Promise<T>): Promise<T>;
  /** Waiting, not yet started. */
  readonly waiting: number;
}

export function createWorkQueue(limit: number): WorkQueue {
  let active = 0;
  const queue: (() => void)[] = [];
  return {
    async run(work) {
      if (active >= limit) await new Promise<void>((start) => queue.push(start));
      active++;
      try {
        return await work();
      } finally {
        active--;
        queue.shift()?.();
      }
    },
    get waiting() {
      return queue.length;
    },
  };
}
