// Time as a dependency, so queues, backoff and resync can be tested with a simulated clock.

export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms);
    t.unref?.();
    return t;
  },
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** Resolves when `signal` aborts (at once if it already has). */
export function untilAborted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}

/**
 * Settles as `work` does, unless `ms` pass first (then rejects with `late()`) or `signal` aborts (then
 * rejects with its reason). `work` itself is not cancelled (a system call that hangs cannot be): the
 * caller stops waiting for it, and `work` must clean up after itself whenever it ends.
 */
export function withDeadline<T>(work: Promise<T>, ms: number, late: () => Error, signal?: AbortSignal): Promise<T> {
  if (signal?.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => settle(() => reject(late())), ms);
    const onAbort = () => settle(() => reject(signal!.reason));
    const settle = (then: () => void) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      then();
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    work.then((value) => settle(() => resolve(value)), (err: unknown) => settle(() => reject(err)));
  });
}
