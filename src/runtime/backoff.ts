// Per-key exponential backoff with jitter, as retries of a reconcile after a transient error.
import { backoffDelay } from '../core/backoff.js';

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
    return this.delay(n);
  }

  /** The wait before attempt number `attempt` (1-based) after as many failures in a row. */
  delay(attempt: number): number {
    return backoffDelay(attempt, this.baseMs, this.maxMs, this.random);
  }

  /** Forgets the failures of `key` after a success. */
  reset(key: K): void {
    this.failures.delete(key);
  }
}
