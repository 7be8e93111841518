// Batched, coalesced, freshness-aware reads: the way the operator stays near the AWS floor of
// ceil(N/10) DescribeServices per resync. Reconciles ask for one item "no older than T"; requests made
// in the same tick are grouped (by cluster, say) into calls of at most `maxBatch` items, and a resync
// wave can prefetch every item first so each reconcile's read is a cache hit.
import { mapLimit } from '../core/map-limit.js';

/**
 * Calls a prefetch keeps in flight at once. The pacing bounds their rate; this bounds how many wait
 * on the endpoint together, so that a wave of thousands of items does not queue hundreds of requests
 * at a slow endpoint until they time out and are sent again.
 */
const PREFETCH_IN_FLIGHT = 16;

export interface BatchReaderOptions<V> {
  /**
   * Items per fetch: 10 for DescribeServices, 100 for DescribeClusters, 20 for DescribeTargetGroups
   * (the auto scaling reader takes a whole wave and splits it into DescribeScalableTargets of 50 itself).
   */
  maxBatch: number;
  /** Fetches one batch of one group; returns the items found, by id. Missing ids are "absent". */
  fetch(group: string, ids: string[]): Promise<Map<string, V>>;
}

interface Entry<V> {
  value: V | undefined;
  fetchedAt: number;
}

interface Pending<V> {
  ids: Set<string>;
  waiters: Array<{ id: string; resolve: (v: V | undefined) => void; reject: (e: unknown) => void }>;
}

export class BatchReader<V> {
  private readonly cache = new Map<string, Entry<V>>();
  private readonly pending = new Map<string, Pending<V>>();
  private scheduled = false;

  constructor(private readonly options: BatchReaderOptions<V>) {}

  /** One item, from a read made at or after `notBefore` (ms epoch); undefined when AWS has none. */
  get(group: string, id: string, notBefore: number): Promise<V | undefined> {
    const hit = this.cache.get(cacheKey(group, id));
    if (hit && hit.fetchedAt >= notBefore) return Promise.resolve(hit.value);
    return new Promise((resolve, reject) => {
      let batch = this.pending.get(group);
      if (!batch) {
        batch = { ids: new Set(), waiters: [] };
        this.pending.set(group, batch);
      }
      batch.ids.add(id);
      batch.waiters.push({ id, resolve, reject });
      if (batch.ids.size >= this.options.maxBatch) this.flushGroup(group);
      else this.schedule();
    });
  }

  /**
   * Reads every id not read at or after `notBefore` (by default every id), in as few calls as the
   * batch size allows, and caches the results: an entry just read is not read again.
   */
  async prefetch(group: string, ids: string[], notBefore = Infinity): Promise<void> {
    const unique = [...new Set(ids)].filter((id) => !((this.cache.get(cacheKey(group, id))?.fetchedAt ?? -Infinity) >= notBefore));
    const chunks: string[][] = [];
    for (let i = 0; i < unique.length; i += this.options.maxBatch) chunks.push(unique.slice(i, i + this.options.maxBatch));
    await mapLimit(chunks, PREFETCH_IN_FLIGHT, (chunk) => this.fetchChunk(group, chunk));
  }

  /** Records what a write returned, so the next read needs no call. */
  put(group: string, id: string, value: V | undefined): void {
    this.cache.set(cacheKey(group, id), { value, fetchedAt: Date.now() });
  }

  /** The cached item regardless of age, if any. */
  peek(group: string, id: string): V | undefined {
    return this.cache.get(cacheKey(group, id))?.value;
  }

  forget(group: string, id: string): void {
    this.cache.delete(cacheKey(group, id));
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      for (const group of [...this.pending.keys()]) this.flushGroup(group);
    });
  }

  private flushGroup(group: string): void {
    const batch = this.pending.get(group);
    if (!batch) return;
    this.pending.delete(group);
    const ids = [...batch.ids];
    const chunks: string[][] = [];
    for (let i = 0; i < ids.length; i += this.options.maxBatch) chunks.push(ids.slice(i, i + this.options.maxBatch));
    for (const chunk of chunks) {
      const waiters = batch.waiters.filter((w) => chunk.includes(w.id));
      this.fetchChunk(group, chunk).then(
        (found) => waiters.forEach((w) => w.resolve(found.get(w.id))),
        (err) => waiters.forEach((w) => w.reject(err)),
      );
    }
  }

  private async fetchChunk(group: string, ids: string[]): Promise<Map<string, V>> {
    const startedAt = Date.now();
    const found = await this.options.fetch(group, ids);
    for (const id of ids) this.cache.set(cacheKey(group, id), { value: found.get(id), fetchedAt: startedAt });
    return found;
  }
}

function cacheKey(group: string, id: string): string {
  return `${group}\u0000${id}`;
}
