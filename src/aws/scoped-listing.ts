// Reading the items attached to many resources (scaling policies, scheduled actions, a family's task
// definition revisions) at the lowest cost. The API answers either for one resource at a time or for
// a whole namespace (or account), a page at a time: for a few resources one call each is cheapest,
// for many one namespace listing is. The pages the last listing took say what the next one costs;
// while that is unknown, a listing is tried for at most as many pages as there are resources, and
// given up for one call per resource when it runs longer.

import type { Page } from './paging.js';

export interface ScopedListingOptions<T> {
  /** Every item of the namespace, a page at a time, from the first (an SDK paginator, see paging.ts). */
  namespace(): AsyncIterable<Page<T>>;
  /** Every item of one resource (all its pages). */
  list(resourceId: string): Promise<T[]>;
  /** The resource an item belongs to. */
  resourceOf(item: T): string | undefined;
}

export class ScopedListing<T> {
  /**
   * Pages the last namespace listing took or, when it was given up, one more than it read (it had
   * more). Unknown before the first listing.
   */
  private namespacePages: number | undefined;
  private inflight: Promise<T[]> | undefined;

  constructor(private readonly options: ScopedListingOptions<T>) {}

  /**
   * The items of each resource (an empty list for one that has none): from one namespace listing
   * when it is expected to take fewer calls than one per resource (or may, while its size is
   * unknown), else one call per resource. Items are matched to resources by exact resource id,
   * whatever filter the API applied.
   */
  async read(resourceIds: readonly string[]): Promise<Map<string, T[]>> {
    const ids = [...new Set(resourceIds)];
    const out = new Map<string, T[]>(ids.map((id) => [id, []]));
    if (ids.length === 0) return out;
    const cheaper = this.namespacePages === undefined || ids.length > this.namespacePages;
    const all = cheaper ? await this.namespace(ids.length) : undefined;
    if (all) {
      for (const item of all) {
        const id = this.options.resourceOf(item);
        if (id !== undefined) out.get(id)?.push(item);
      }
      return out;
    }
    await Promise.all(ids.map(async (id) => {
      const items = await this.options.list(id);
      out.set(id, items.filter((item) => this.options.resourceOf(item) === id));
    }));
    return out;
  }

  /** Every item of the namespace, however many pages it takes; shared by every caller while in flight. */
  all(): Promise<T[]> {
    this.inflight ??= this.listNamespace(Infinity).then((items) => items!).finally(() => (this.inflight = undefined));
    return this.inflight;
  }

  /** The namespace's items, or undefined when they take more than `maxPages` pages (a listing in flight is joined). */
  private namespace(maxPages: number): Promise<T[] | undefined> {
    return this.inflight ?? this.listNamespace(maxPages);
  }

  private async listNamespace(maxPages: number): Promise<T[] | undefined> {
    const items: T[] = [];
    let pages = 0;
    for await (const page of this.options.namespace()) {
      pages++;
      items.push(...page.items);
      if (page.more && pages === maxPages) {
        // Leaving the loop ends the paginator: the next page is never asked for.
        this.namespacePages = pages + 1;
        return undefined;
      }
    }
    this.namespacePages = pages;
    return items;
  }
}
