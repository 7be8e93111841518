// Per-key exponential backoff with full jitter, as retries of a reconcile after a transient error.

export interface BackoffOptions {
  /** First retry delay (ms). Default 1,000. */
  baseMs?: number;
  /** Upper bound (ms). Default 300,000 (5 minutes). */
  maxMs?: number;
  /** 0..1 source of randomness, injectable for tests. */
  random?: () => number;
}

export class Backoff<K> {
  private readonly failures = new Map<K, number>();
  private readonly baseMs: number;
  private readonly maxMs: number;
  private readonly random: () => number;

  constructor(options: BackoffOptions = {}) {
    this.baseMs = options.baseMs ?? 1_000;
    this.maxMs = options.maxMs ?? 300_000;
    this.random = options.random ?? Math.random;
  }

  /** Records a failure of `key` and returns how long to wait before the next attempt. */
  next(key: K): number {
    const n = (this.failures.get(key) ?? 0) + 1;
    this.failures.set(key, n);
    const ceiling = Math.min(this.maxMs, this.baseMs * 2 ** Math.min(n - 1, 30));
    // Half fixed, half random: spreads retries of many keys without ever retrying at once.
    return Math.round(ceiling / 2 + (this.random() * ceiling) / 2);
  }

  failuresOf(key: K): number {
    return this.failures.get(key) ?? 0;
  }

  /** Forgets the failures of `key` after a success. */
  reset(key: K): void {
    this.failures.delete(key);
  }
}
