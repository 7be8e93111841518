// Task definition reads at their cheapest. A revision's content never changes, so descriptions are
// cached forever by ARN, tags included. A revision's status and tags can change: the cache follows
// our own deregistrations and tag writes and reads, but a pinned description's tags are never read
// again on their own (prune reads them before it deregisters). "Which revision is the latest ACTIVE
// one of a family" does change, so it carries a read time like every other live read; a resync can
// answer it for every family at once from one listing.
import {
  DescribeTaskDefinitionCommand, paginateListTaskDefinitions,
  type ECSClient, type Tag, type TaskDefinition,
} from '@aws-sdk/client-ecs';
import { awsCall, isUnknownTaskDefinition } from '../errors.js';
import { allItems, pagesOf, type Page } from '../paging.js';
import { ScopedListing } from '../scoped-listing.js';

export interface TaskDefinitionDescription {
  taskDefinition: TaskDefinition;
  tags: Tag[];
}

interface ListInput {
  familyPrefix?: string;
  status: 'ACTIVE' | 'INACTIVE';
  sort?: 'ASC' | 'DESC';
}

/** How many of a family's newest ACTIVE revisions are searched for a registration whose answer was lost. */
const NEWEST_SEARCHED = 10;
/** Listing pages (100 ARNs each) read at most for that search. */
const SEARCH_PAGES = 5;

interface Latest {
  arn: string | undefined;
  fetchedAt: number;
}

/** family:revision of an ARN or a family:revision reference. */
export function familyRevisionOf(ref: string): { family: string; revision?: number } {
  const tail = ref.startsWith('arn:') ? ref.slice(ref.indexOf('/') + 1) : ref;
  const colon = tail.lastIndexOf(':');
  if (colon < 0) return { family: tail };
  const revision = Number(tail.slice(colon + 1));
  return Number.isInteger(revision) ? { family: tail.slice(0, colon), revision } : { family: tail };
}

export class TaskDefinitionCache {
  /** Keyed by ARN and by family:revision. */
  private readonly byRef = new Map<string, TaskDefinitionDescription>();
  private readonly latest = new Map<string, Latest>();
  /** ACTIVE revisions by family: the account's listing, or one DescribeTaskDefinition per family. */
  private readonly index: ScopedListing<string>;

  constructor(private readonly client: ECSClient) {
    this.index = new ScopedListing<string>({
      namespace: () => this.pages({ status: 'ACTIVE' }),
      list: async (family) => {
        const arn = await this.latestActiveArn(family, Date.now());
        return arn ? [arn] : [];
      },
      resourceOf: (arn) => familyRevisionOf(arn).family,
    });
  }

  async describe(ref: string): Promise<TaskDefinitionDescription | undefined> {
    const pinned = familyRevisionOf(ref).revision !== undefined;
    if (pinned) {
      const hit = this.byRef.get(ref);
      if (hit) return hit;
    }
    let out;
    try {
      out = await awsCall('DescribeTaskDefinition', () =>
        this.client.send(new DescribeTaskDefinitionCommand({ taskDefinition: ref, include: ['TAGS'] })),
      );
    } catch (err) {
      // ECS answers "Unable to describe task definition" (a ClientException) for an unknown one.
      if (isUnknownTaskDefinition(err)) return undefined;
      throw err;
    }
    if (!out.taskDefinition) return undefined;
    return this.store({ taskDefinition: out.taskDefinition, tags: out.tags ?? [] });
  }

  async latestActiveArn(family: string, notBefore: number): Promise<string | undefined> {
    const known = this.latest.get(family);
    if (known && known.fetchedAt >= notBefore) return known.arn;
    const startedAt = Date.now();
    const described = await this.describe(family);
    let arn = described?.taskDefinition.taskDefinitionArn;
    if (described && described.taskDefinition.status !== 'ACTIVE') {
      // Asked by family, ECS names the latest ACTIVE revision; if a description says otherwise,
      // fall back to listing the family's ACTIVE revisions rather than trusting it.
      const arns = await this.listArns(family, 'ACTIVE');
      arn = latestOf(arns);
    }
    this.latest.set(family, { arn, fetchedAt: startedAt });
    return arn;
  }

  /**
   * Answers latestActiveArn for these families ahead of time, at the lowest cost (see
   * scoped-listing.ts): one account-wide listing of ACTIVE revisions (100 ARNs a page), in which a
   * family it does not name has none, or one DescribeTaskDefinition per family.
   */
  async prefetch(families: string[]): Promise<void> {
    const startedAt = Date.now();
    for (const [family, arns] of await this.index.read(families)) this.latest.set(family, { arn: latestOf(arns), fetchedAt: startedAt });
  }

  /**
   * Every ACTIVE revision of the account: one listing, shared by every caller while it is in flight.
   * It answers latestActiveArn for every family, "none" for those it does not name.
   */
  async activeArns(): Promise<string[]> {
    const startedAt = Date.now();
    const arns = await this.index.all();
    const byFamily = groupByFamily(arns);
    for (const family of this.latest.keys()) if (!byFamily.has(family)) this.latest.set(family, { arn: undefined, fetchedAt: startedAt });
    for (const [family, list] of byFamily) this.latest.set(family, { arn: latestOf(list), fetchedAt: startedAt });
    return arns;
  }

  listArns(family: string, status: 'ACTIVE' | 'INACTIVE'): Promise<string[]> {
    // familyPrefix matches by prefix: keep only this exact family.
    return this.list({ familyPrefix: family, status }).then((arns) => arns.filter((a) => familyRevisionOf(a).family === family));
  }

  private list(input: ListInput): Promise<string[]> {
    return allItems(this.pages(input));
  }

  /** ListTaskDefinitions a page at a time: 100 ARNs, its most (the default is 100 too). */
  private pages(input: ListInput): AsyncGenerator<Page<string>> {
    return pagesOf('ListTaskDefinitions', paginateListTaskDefinitions({ client: this.client, pageSize: 100 }, { ...input }),
      (out) => out.taskDefinitionArns, (out) => out.nextToken);
  }

  /**
   * The newest ACTIVE revision of `family` among its NEWEST_SEARCHED newest that carries the tag
   * `key=value`, if any: the listing newest first (familyPrefix also matches longer family names,
   * which the descending order lists first, so pages are read until enough of this family's are
   * seen, at most SEARCH_PAGES), sorted again here since not every endpoint honours the order, then
   * a description of each revision not seen before, newest first, up to the first match. A match
   * that is the newest revision is recorded as the family's latest.
   */
  async findTagged(family: string, key: string, value: string): Promise<TaskDefinitionDescription | undefined> {
    const arns: string[] = [];
    let pages = 0;
    for await (const page of this.pages({ familyPrefix: family, status: 'ACTIVE', sort: 'DESC' })) {
      arns.push(...page.items.filter((a) => familyRevisionOf(a).family === family));
      if (++pages === SEARCH_PAGES || arns.length >= NEWEST_SEARCHED) break;
    }
    const revision = (arn: string) => familyRevisionOf(arn).revision ?? 0;
    const newest = arns.sort((a, b) => revision(b) - revision(a)).slice(0, NEWEST_SEARCHED);
    for (const arn of newest) {
      const found = await this.describe(arn);
      if (found?.tags.some((t) => t.key === key && t.value === value)) return arn === newest[0] ? this.registered(found) : found;
    }
    return undefined;
  }

  /** Records a revision we just registered: it is now its family's latest ACTIVE one. */
  registered(description: TaskDefinitionDescription): TaskDefinitionDescription {
    const stored = this.store(description);
    const { family } = familyRevisionOf(stored.taskDefinition.taskDefinitionArn!);
    this.latest.set(family, { arn: stored.taskDefinition.taskDefinitionArn, fetchedAt: Date.now() });
    return stored;
  }

  deregistered(arn: string): void {
    const hit = this.byRef.get(arn);
    if (hit) this.store({ ...hit, taskDefinition: { ...hit.taskDefinition, status: 'INACTIVE' } });
    const { family } = familyRevisionOf(arn);
    if (this.latest.get(family)?.arn === arn) this.latest.delete(family);
  }

  retag(arn: string, change: (tags: Tag[]) => Tag[]): void {
    const hit = this.byRef.get(arn);
    if (hit) this.store({ ...hit, tags: change(hit.tags) });
  }

  private store(description: TaskDefinitionDescription): TaskDefinitionDescription {
    const td = description.taskDefinition;
    if (td.taskDefinitionArn) this.byRef.set(td.taskDefinitionArn, description);
    if (td.family && td.revision !== undefined) this.byRef.set(`${td.family}:${td.revision}`, description);
    return description;
  }
}

/** ARNs grouped by family, in the order given. */
export function groupByFamily(arns: readonly string[]): Map<string, string[]> {
  const byFamily = new Map<string, string[]>();
  for (const arn of arns) {
    const { family } = familyRevisionOf(arn);
    const list = byFamily.get(family);
    if (list) list.push(arn);
    else byFamily.set(family, [arn]);
  }
  return byFamily;
}

function latestOf(arns: string[]): string | undefined {
  let best: { arn: string; revision: number } | undefined;
  for (const arn of arns) {
    const revision = familyRevisionOf(arn).revision ?? 0;
    if (!best || revision > best.revision) best = { arn, revision };
  }
  return best?.arn;
}
