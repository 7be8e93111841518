// Reading the items attached to many resources (scaling policies, scheduled actions) at the lowest
// cost. The API answers either for one resource at a time or for a whole namespace, a page at a
// time: for a few resources one call each is cheapest, for many one namespace listing is. The last
// listing's size says what the next one will cost.

export interface ScopedListingOptions<T> {
  /** Items per page of the API (10 for DescribeScalingPolicies, 50 for DescribeScheduledActions). */
  pageSize: number;
  /** Every item of one resource (all pages), or of the whole namespace when `resourceId` is undefined. */
  list(resourceId: string | undefined): Promise<T[]>;
  /** The resource an item belongs to. */
  resourceOf(item: T): string | undefined;
}

export class ScopedListing<T> {
  /** Items in the last namespace listing: what the next one is expected to cost. Unknown at first. */
  private lastNamespaceSize: number | undefined;
  private inflight: Promise<Map<string, T[]>> | undefined;

  constructor(private readonly options: ScopedListingOptions<T>) {}

  /**
   * The items of each resource (an empty list for one that has none): one namespace listing when it
   * is expected to take fewer calls than one call per resource, else one call per resource. Items
   * are matched to resources by exact resource id, whatever filter the API applied.
   */
  async read(resourceIds: readonly string[]): Promise<Map<string, T[]>> {
    const ids = [...new Set(resourceIds)];
    const out = new Map<string, T[]>(ids.map((id) => [id, []]));
    if (ids.length === 0) return out;
    const pages = Math.max(1, Math.ceil((this.lastNamespaceSize ?? 0) / this.options.pageSize));
    if (ids.length > pages) {
      const all = await this.namespace();
      for (const id of ids) out.set(id, all.get(id) ?? []);
      return out;
    }
    await Promise.all(ids.map(async (id) => {
      const items = await this.options.list(id);
      out.set(id, items.filter((item) => this.options.resourceOf(item) === id));
    }));
    return out;
  }

  /** One listing of the namespace, shared by every caller while it is in flight. */
  private namespace(): Promise<Map<string, T[]>> {
    this.inflight ??= this.listNamespace().finally(() => (this.inflight = undefined));
    return this.inflight;
  }

  private async listNamespace(): Promise<Map<string, T[]>> {
    const items = await this.options.list(undefined);
    this.lastNamespaceSize = items.length;
    const byResource = new Map<string, T[]>();
    for (const item of items) {
      const id = this.options.resourceOf(item);
      if (id !== undefined) byResource.set(id, [...(byResource.get(id) ?? []), item]);
    }
    return byResource;
  }
}
