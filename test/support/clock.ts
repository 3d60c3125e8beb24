/** A hand-turned clock for code that takes `now: () => number`. */
export function clock(start = 1_000) {
  const c = { now: start, tick: (ms: number) => (c.now += ms) };
  return c;
}

/** A promise with its resolve and reject in hand. */
export function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}
