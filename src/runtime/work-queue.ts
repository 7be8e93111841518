// A keyed work queue in the manner of client-go's: a key is queued at most once, processed by at
// most one worker at a time (a key added while in process is processed again right after), delayed
// adds keep the earliest time, and a global cap limits how many keys are processed at once.
import { systemClock, type Clock } from '../core/clock.js';

export type Worker<K> = (key: K) => Promise<void>;

export interface WorkQueueOptions {
  /** How many keys are processed at once. Default 8. */
  concurrency?: number;
  clock?: Clock;
}

export class WorkQueue<K> {
  private readonly ready: K[] = [];
  private readonly queued = new Set<K>();
  private readonly processing = new Set<K>();
  private readonly dirty = new Set<K>();
  private readonly delayed = new Map<K, { at: number; handle: unknown }>();
  private readonly idleWaiters: Array<() => void> = [];
  private readonly concurrency: number;
  private readonly clock: Clock;
  private worker: Worker<K> | undefined;
  private shuttingDown = false;

  constructor(options: WorkQueueOptions = {}) {
    this.concurrency = options.concurrency ?? 8;
    this.clock = options.clock ?? systemClock;
  }

  /** Queues `key` now (no-op if already queued; marked for another pass if in process). */
  add(key: K): void {
    if (this.shuttingDown) return;
    this.cancelDelay(key);
    if (this.processing.has(key)) {
      this.dirty.add(key);
      return;
    }
    if (this.queued.has(key)) return;
    this.queued.add(key);
    this.ready.push(key);
    this.pump();
  }

  /** Queues `key` after `ms`, unless it is already due sooner. */
  addAfter(key: K, ms: number): void {
    if (this.shuttingDown) return;
    if (ms <= 0) return this.add(key);
    const at = this.clock.now() + ms;
    const current = this.delayed.get(key);
    if (current && current.at <= at) return;
    if (current) this.clock.clearTimeout(current.handle);
    const handle = this.clock.setTimeout(() => {
      this.delayed.delete(key);
      this.add(key);
    }, ms);
    this.delayed.set(key, { at, handle });
  }

  /** Drops a key's pending delay, e.g. when its resource is gone. */
  cancelDelay(key: K): void {
    const current = this.delayed.get(key);
    if (current) {
      this.clock.clearTimeout(current.handle);
      this.delayed.delete(key);
    }
  }

  /** When the key is due next, if it is waiting on a delay. */
  dueAt(key: K): number | undefined {
    return this.delayed.get(key)?.at;
  }

  /** Starts processing with `worker`. Keys added before are processed now. */
  start(worker: Worker<K>): void {
    this.worker = worker;
    this.pump();
  }

  /** Stops taking keys; resolves when the keys in process are done. */
  async shutdown(): Promise<void> {
    this.shuttingDown = true;
    for (const key of [...this.delayed.keys()]) this.cancelDelay(key);
    this.ready.length = 0;
    this.queued.clear();
    await this.idle();
  }

  /** Resolves when nothing is queued or in process (delayed keys do not count). */
  idle(): Promise<void> {
    if (this.ready.length === 0 && this.processing.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  get size(): { ready: number; processing: number; delayed: number } {
    return { ready: this.ready.length, processing: this.processing.size, delayed: this.delayed.size };
  }

  private pump(): void {
    const worker = this.worker;
    if (!worker) return;
    while (this.processing.size < this.concurrency && this.ready.length > 0) {
      const key = this.ready.shift()!;
      this.queued.delete(key);
      this.processing.add(key);
      void this.run(worker, key);
    }
  }

  private async run(worker: Worker<K>, key: K): Promise<void> {
    try {
      await worker(key);
    } catch {
      // A worker reports its own failures; the queue only keeps going.
    } finally {
      this.processing.delete(key);
      if (this.dirty.delete(key)) this.add(key);
      this.pump();
      if (this.ready.length === 0 && this.processing.size === 0) {
        for (const resolve of this.idleWaiters.splice(0)) resolve();
      }
    }
  }
}
