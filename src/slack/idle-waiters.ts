/**
 * Promises that resolve when something becomes idle: `wait(ms)` resolves true on the next
 * `wake()`, or false if `ms` pass first. The caller answers at once when it is idle already.
 */
export function idleWaiters() {
  let waiters: (() => void)[] = [];
  return {
    wait(ms: number): Promise<boolean> {
      return new Promise((resolve) => {
        const timer = setTimeout(() => {
          waiters = waiters.filter((w) => w !== wake);
          resolve(false);
        }, ms);
        const wake = () => {
          clearTimeout(timer);
          resolve(true);
        };
        waiters.push(wake);
      });
    },
    wake(): void {
      for (const wake of waiters.splice(0)) wake();
    },
  };
}
