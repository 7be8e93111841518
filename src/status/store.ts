// The status of the source and of every resource, in memory: what /api/v1/status, the status page,
// metrics, alerts and the CLI read. Listeners see each change with the status before and after.
// Everything stored is masked first (core/redact.ts): whoever reads a status never sees a secret,
// whichever message (an AWS error, a git error) carried it in. The keys are kept in list order as
// they come and go, so that listing, paging and counting never sort or copy the whole store.
import { maskStrings } from '../core/redact.js';
import { parseResourceKey, type Kind, type ResourceKey } from '../core/types.js';
import { count, emptyTotals, matcher, type StatusPage, type StatusQuery, type StatusTotals } from './query.js';
import type { PruneStatus, ResourceStatus, SourceStatus } from './types.js';

export interface StatusChange {
  key: ResourceKey;
  previous: ResourceStatus | undefined;
  current: ResourceStatus | undefined;
}

/**
 * List order: kind (in the order of `kinds`, the kinds' creation order; a kind not in it after them
 * all, by name), then name by UTF-16 code unit, which unlike a locale's collation is the same in
 * every process, so that a cursor (`after`) means the same after a restart.
 */
export function keyOrder(kinds: readonly Kind[]): (a: ResourceKey, b: ResourceKey) => number {
  const rank = (kind: Kind) => {
    const i = kinds.indexOf(kind);
    return i < 0 ? kinds.length : i;
  };
  const byText = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);
  return (a, b) => {
    const x = parseResourceKey(a);
    const y = parseResourceKey(b);
    return rank(x.kind) - rank(y.kind) || byText(x.kind, y.kind) || byText(x.name, y.name);
  };
}

export class StatusStore {
  private readonly compareKeys: (a: ResourceKey, b: ResourceKey) => number;

  /** `kinds`: the kinds the operator serves, in creation order (the list order, and the kinds counted). */
  constructor(readonly kinds: readonly Kind[]) {
    this.compareKeys = keyOrder(kinds);
  }

  private readonly resources = new Map<ResourceKey, ResourceStatus>();
  /** Every key of `resources`, in list order. */
  private readonly order: ResourceKey[] = [];
  private sourceStatus: SourceStatus | undefined;
  private pruneStatus: PruneStatus | undefined;
  private readonly listeners = new Set<(change: StatusChange) => void>();
  private readonly sourceListeners = new Set<(previous: SourceStatus | undefined, current: SourceStatus) => void>();

  get(key: ResourceKey): ResourceStatus | undefined {
    return this.resources.get(key);
  }

  set(unmasked: ResourceStatus): void {
    const status = maskStrings(unmasked);
    const previous = this.resources.get(status.key);
    if (!previous) this.order.splice(this.position(status.key), 0, status.key);
    this.resources.set(status.key, status);
    for (const listener of this.listeners) listener({ key: status.key, previous, current: status });
  }

  delete(key: ResourceKey): void {
    const previous = this.resources.get(key);
    if (!previous) return;
    this.resources.delete(key);
    this.order.splice(this.position(key), 1);
    for (const listener of this.listeners) listener({ key, previous, current: undefined });
  }

  /** Every resource, in list order (keyOrder), as a new array. */
  list(): ResourceStatus[] {
    return this.order.map((key) => this.resources.get(key)!);
  }

  /** Every resource in list order, without copying: not to be held across a change of the store. */
  *values(): IterableIterator<ResourceStatus> {
    for (const key of this.order) yield this.resources.get(key)!;
  }

  /**
   * One page of the resources `query` matches, in list order, with the totals of the whole store and
   * the number of matches in all pages. One pass over the store, reading each status in place: only
   * the page is copied.
   */
  query(query: StatusQuery): StatusPage {
    const match = matcher(query);
    const start = query.after ? this.position(query.after, true) : 0;
    const limit = query.limit ?? Infinity;
    const totals: StatusTotals = emptyTotals(this.kinds);
    const resources: ResourceStatus[] = [];
    let matched = 0;
    let more = false;
    for (let i = 0; i < this.order.length; i++) {
      const r = this.resources.get(this.order[i]!)!;
      count(totals, r);
      if (!match(r)) continue;
      matched++;
      if (i < start) continue;
      if (resources.length < limit) resources.push(r);
      else more = true;
    }
    return { totals, matched, resources, ...(more ? { next: resources[resources.length - 1]!.key } : {}) };
  }

  /** Where `key` is or would go in `order`; with `past`, the first position after it (binary search). */
  private position(key: ResourceKey, past = false): number {
    let lo = 0;
    let hi = this.order.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const c = this.compareKeys(this.order[mid]!, key);
      if (c < 0 || (past && c === 0)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  get source(): SourceStatus | undefined {
    return this.sourceStatus;
  }

  setSource(unmasked: SourceStatus): void {
    const status = maskStrings(unmasked);
    const previous = this.sourceStatus;
    this.sourceStatus = status;
    for (const listener of this.sourceListeners) listener(previous, status);
  }

  /** Present once prune (--prune) has run. */
  get prune(): PruneStatus | undefined {
    return this.pruneStatus;
  }

  setPrune(status: PruneStatus): void {
    this.pruneStatus = maskStrings(status);
  }

  onChange(listener: (change: StatusChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  onSourceChange(listener: (previous: SourceStatus | undefined, current: SourceStatus) => void): () => void {
    this.sourceListeners.add(listener);
    return () => this.sourceListeners.delete(listener);
  }
}
