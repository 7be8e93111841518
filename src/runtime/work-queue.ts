// A keyed work queue in the manner of client-go's: a key is queued at most once, processed by at
// most one worker at a time (a key added while in process is processed again right after), delayed
// adds keep the earliest time, and a global cap limits how many keys are processed at once. Keys
// carry a priority: a free worker takes the highest-priority key queued, first-in-first-out among
// equals, so that work which unblocks other work (a dependent whose input just appeared) is not
// left waiting behind a backlog of work that only waits on a request bucket.
import { systemClock, type Clock } from '../core/clock.js';

/**
 * Longest stretch of passes run back to back without giving the event loop a turn. Passes whose
 * reads are cache hits resolve through microtasks only, so without a yield a whole resync wave
 * would run as one task and hold up every HTTP request (/healthz) and timer until it ends.
 */
const SLICE_MS = 10;

export type Worker<K> = (key: K) => Promise<void>;

/** Ordinary work: resync waves, retries, rollout polls. */
export const PRIORITY_NORMAL = 0;
/** A change asked for (a new or changed manifest): served before the periodic rechecks of a resync. */
export const PRIORITY_CHANGED = 1;
/** Work another pass just unblocked (its dependency's outputs changed): it finishes what a change started. */
export const PRIORITY_UNBLOCKED = 2;

export interface WorkQueueOptions {
  /** How many keys are processed at once. Default 8. */
  concurrency?: number;
  clock?: Clock;
}

export class WorkQueue<K> {
  /** Queued keys by priority, each lane in insertion order (a Set: taking the first is O(1)). */
  private readonly lanes = new Map<number, Set<K>>();
  /** Priorities with a lane, highest first. */
  private priorities: number[] = [];
  /** Each queued key's priority. */
  private readonly queued = new Map<K, number>();
  private readonly processing = new Set<K>();
  /** Keys added while in process, with the highest priority they were added with. */
  private readonly dirty = new Map<K, number>();
  private readonly delayed = new Map<K, { at: number; handle: unknown }>();
  private readonly idleWaiters: Array<() => void> = [];
  private readonly concurrency: number;
  private readonly clock: Clock;
  private worker: Worker<K> | undefined;
  private shuttingDown = false;
  /** When the event loop last had a turn (performance.now()), and the turn asked for, if any. */
  private sliceStart = performance.now();
  private turn: Promise<void> | undefined;

  constructor(options: WorkQueueOptions = {}) {
    this.concurrency = options.concurrency ?? 8;
    this.clock = options.clock ?? systemClock;
  }

  /**
   * Queues `key` now at `priority` (higher first). A key already queued stays queued once, moved up
   * if this priority is higher (to the end of that lane); a key in process is marked for another
   * pass, at the highest priority it was asked for.
   */
  add(key: K, priority = PRIORITY_NORMAL): void {
    if (this.shuttingDown) return;
    this.cancelDelay(key);
    if (this.processing.has(key)) {
      this.dirty.set(key, Math.max(priority, this.dirty.get(key) ?? priority));
      return;
    }
    const current = this.queued.get(key);
    if (current !== undefined) {
      if (current >= priority) return;
      this.lanes.get(current)!.delete(key);
    }
    this.queued.set(key, priority);
    this.lane(priority).add(key);
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
    this.lanes.clear();
    this.priorities = [];
    this.queued.clear();
    await this.idle();
  }

  /** Resolves when nothing is queued or in process (delayed keys do not count). */
  idle(): Promise<void> {
    if (this.queued.size === 0 && this.processing.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  get size(): { ready: number; processing: number; delayed: number } {
    return { ready: this.queued.size, processing: this.processing.size, delayed: this.delayed.size };
  }

  private lane(priority: number): Set<K> {
    let lane = this.lanes.get(priority);
    if (!lane) {
      lane = new Set();
      this.lanes.set(priority, lane);
      this.priorities = [...this.lanes.keys()].sort((a, b) => b - a);
    }
    return lane;
  }

  /** The first key of the highest non-empty lane, taken off the queue. */
  private take(): K | undefined {
    for (const priority of this.priorities) {
      const lane = this.lanes.get(priority)!;
      const first = lane.values().next();
      if (first.done) continue;
      lane.delete(first.value);
      this.queued.delete(first.value);
      return first.value;
    }
    return undefined;
  }

  private pump(): void {
    const worker = this.worker;
    if (!worker) return;
    while (this.processing.size < this.concurrency && this.queued.size > 0) {
      const key = this.take()!;
      this.processing.add(key);
      void this.run(worker, key);
    }
  }

  /** Resolves at once within a slice; after SLICE_MS of work, once the event loop has had a turn. */
  private yieldTurn(): Promise<void> | undefined {
    if (this.turn) return this.turn;
    if (performance.now() - this.sliceStart < SLICE_MS) return undefined;
    this.turn = new Promise<void>((resolve) => setImmediate(() => {
      this.turn = undefined;
      this.sliceStart = performance.now();
      resolve();
    }));
    return this.turn;
  }

  private async run(worker: Worker<K>, key: K): Promise<void> {
    try {
      const turn = this.yieldTurn();
      if (turn) await turn;
      await worker(key);
    } catch {
      // A worker reports its own failures; the queue only keeps going.
    } finally {
      this.processing.delete(key);
      const again = this.dirty.get(key);
      if (again !== undefined) {
        this.dirty.delete(key);
        this.add(key, again);
      }
      this.pump();
      if (this.queued.size === 0 && this.processing.size === 0) {
        for (const resolve of this.idleWaiters.splice(0)) resolve();
      }
    }
  }
}
