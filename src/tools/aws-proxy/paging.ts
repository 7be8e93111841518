// AWS's paging over an emulator that answers every item at once: the full listing is fetched upstream
// (without maxResults/nextToken), put in a stable order, and cut into pages of AWS's real sizes.
// The nextToken names the last item served (not an offset), so a walk neither repeats nor skips an
// item that stays while others are added or removed between pages, and it carries a digest of the
// request: a token is refused for any other request, as AWS refuses it.
import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { PAGED, type PagedOperation } from './published-limits.js';

export interface UpstreamAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** Sends one request of the same API upstream (JSON in, raw answer out). */
export type Upstream = (operation: string, input: Record<string, unknown>) => Promise<UpstreamAnswer>;

/** A request AWS would refuse: its error type (the `__type`) and message. */
export interface Refusal {
  refused: { type: string; message: string };
}

type Key = Array<string | number>;
type Item = unknown;

interface Order {
  key: (item: Item) => Key;
  /** Applied to what is forwarded: members the emulator ignores or gets wrong, handled here instead. */
  forward?: (input: Record<string, unknown>) => Record<string, unknown>;
  descending?: (input: Record<string, unknown>) => boolean;
}

const arn = (item: Item): Key => [String(item)];
/** family and revision of a task definition ARN: AWS lists by family name, then revision as a number. */
const familyRevision = (item: Item): Key => {
  const tail = String(item).slice(String(item).indexOf('/') + 1);
  const colon = tail.lastIndexOf(':');
  return [tail.slice(0, colon), Number(tail.slice(colon + 1))];
};
const fields = (...names: string[]) => (item: Item): Key => names.map((n) => String((item as Record<string, unknown>)[n] ?? ''));
const without = (...names: string[]) => (input: Record<string, unknown>) => {
  const out = { ...input };
  for (const n of names) delete out[n];
  return out;
};
/** Moto pages these itself (with its own sizes): ask for everything in one answer. */
const everything = (input: Record<string, unknown>) => ({ ...input, MaxResults: 1_000_000 });

const ORDERS: Record<string, Order> = {
  'ecs:ListTaskDefinitions': { key: familyRevision, forward: without('sort'), descending: (input) => input.sort === 'DESC' },
  'ecs:ListTaskDefinitionFamilies': { key: arn, forward: without('status') },
  'ecs:ListServices': { key: arn },
  'ecs:ListClusters': { key: arn },
  'application-autoscaling:DescribeScalableTargets': { key: fields('ResourceId', 'ScalableDimension'), forward: everything },
  'application-autoscaling:DescribeScalingPolicies': { key: fields('ResourceId', 'ScalableDimension', 'PolicyName'), forward: everything },
  'application-autoscaling:DescribeScheduledActions': { key: fields('ResourceId', 'ScalableDimension', 'ScheduledActionName'), forward: everything },
};

/** True for the listings this module pages. */
export function isPaged(api: string, operation: string): boolean {
  return `${api}:${operation}` in PAGED;
}

function compare(a: Key, b: Key): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i] ?? '';
    const y = b[i] ?? '';
    if (x === y) continue;
    return x < y ? -1 : 1;
  }
  return 0;
}

function digestOf(operation: string, input: Record<string, unknown>, page: PagedOperation): string {
  const rest = without(page.maxField, page.tokenField)(input);
  const canonical = JSON.stringify(Object.keys(rest).sort().map((k) => [k, rest[k]]));
  return createHash('sha256').update(`${operation}\n${canonical}`).digest('base64url').slice(0, 22);
}

interface Token {
  d: string;
  after: Key;
}

function encodeToken(token: Token): string {
  return Buffer.from(JSON.stringify(token)).toString('base64url');
}

function decodeToken(text: unknown): Token | undefined {
  if (typeof text !== 'string') return undefined;
  try {
    const token = JSON.parse(Buffer.from(text, 'base64url').toString()) as Token;
    return typeof token.d === 'string' && Array.isArray(token.after) ? token : undefined;
  } catch {
    return undefined;
  }
}

/** The error AWS answers for a bad paging member, by API. */
function refusal(api: string, what: 'token' | 'size', message: string): Refusal {
  if (api === 'ecs') return { refused: { type: 'InvalidParameterException', message } };
  return { refused: { type: what === 'token' ? 'InvalidNextTokenException' : 'ValidationException', message } };
}

/**
 * Answers one page of a paged listing: validates maxResults (1..max) and nextToken, fetches the whole
 * listing upstream, and returns the upstream answer with its items cut to the page and its token
 * replaced. An upstream error is returned unchanged. With a cache, the pages of one walk are cut from
 * one listing.
 */
export async function pagedAnswer(api: string, operation: string, input: Record<string, unknown>, upstream: Upstream, cache?: ListingCache): Promise<UpstreamAnswer | Refusal> {
  const page = PAGED[`${api}:${operation}`]!;
  const order = ORDERS[`${api}:${operation}`]!;
  const asked = input[page.maxField];
  if (asked !== undefined && asked !== null && (!Number.isInteger(asked) || (asked as number) < 1 || (asked as number) > page.max)) {
    return refusal(api, 'size', `${page.maxField} must be between 1 and ${page.max}; got ${JSON.stringify(asked)}`);
  }
  const size = (asked as number | undefined) ?? page.defaultSize;
  const digest = digestOf(operation, input, page);
  let after: Key | undefined;
  const tokenText = input[page.tokenField];
  if (tokenText !== undefined && tokenText !== null) {
    const token = decodeToken(tokenText);
    if (!token || token.d !== digest) return refusal(api, 'token', `Invalid ${page.tokenField}: it does not belong to this request`);
    after = token.after;
  }
  const listing = await cache?.get(`${api}:${operation}:${digest}`, () => fullListing(operation, input, order, page, upstream))
    ?? await fullListing(operation, input, order, page, upstream);
  if ('status' in listing) return listing;
  const { keyed, answer, body } = listing;
  const sign = order.descending?.(input) ? -1 : 1;
  const start = after === undefined ? 0 : firstAfter(keyed, after, sign);
  const slice = keyed.slice(start, start + size);
  const out: Record<string, unknown> = { ...body, [page.items]: slice.map((s) => s.item) };
  delete out[page.tokenField];
  if (start + size < keyed.length) out[page.tokenField] = encodeToken({ d: digest, after: slice[slice.length - 1]!.key });
  return { ...answer, body: Buffer.from(JSON.stringify(out)) };
}

interface Listing {
  keyed: Array<{ item: Item; key: Key }>;
  answer: UpstreamAnswer;
  body: Record<string, unknown>;
}

/** The whole listing from upstream, in the order AWS serves it (or the upstream's error). */
async function fullListing(operation: string, input: Record<string, unknown>, order: Order, page: PagedOperation, upstream: Upstream): Promise<Listing | UpstreamAnswer> {
  const forwarded = (order.forward ?? ((i) => i))(without(page.maxField, page.tokenField)(input));
  const answer = await upstream(operation, forwarded);
  if (answer.status !== 200) return answer;
  const body = JSON.parse(answer.body.toString() || '{}') as Record<string, unknown>;
  let items = (body[page.items] as Item[] | undefined) ?? [];
  if (operation === 'ListTaskDefinitionFamilies' && input.status !== undefined && input.status !== null) {
    items = await familiesByStatus(items as string[], String(input.status), upstream);
  }
  const sign = order.descending?.(input) ? -1 : 1;
  return { keyed: items.map((item) => ({ item, key: order.key(item) })).sort((a, b) => sign * compare(a.key, b.key)), answer, body };
}

/**
 * Listings kept between the pages of a walk, so that a walk of 150 pages costs the emulator one
 * listing rather than 150: a listing is dropped on any write to its API that passes through the
 * proxy, and after `maxAgeMs` (for writes that reach the emulator some other way).
 */
export class ListingCache {
  private readonly entries = new Map<string, { at: number; value: Promise<Listing | UpstreamAnswer> }>();

  constructor(private readonly maxAgeMs = 2000, private readonly now: () => number = () => performance.now()) {}

  get(key: string, load: () => Promise<Listing | UpstreamAnswer>): Promise<Listing | UpstreamAnswer> {
    const hit = this.entries.get(key);
    if (hit && this.now() - hit.at <= this.maxAgeMs) return hit.value;
    const value = load().then((listing) => {
      // An error is answered once, never kept.
      if ('status' in listing) this.entries.delete(key);
      return listing;
    });
    this.entries.set(key, { at: this.now(), value });
    return value;
  }

  /** Forgets every listing of an API (keys start with `api:`). */
  invalidate(api: string): void {
    for (const key of this.entries.keys()) if (key.startsWith(`${api}:`)) this.entries.delete(key);
  }
}

/** Index of the first item ordered after `after` (binary search over the sorted list). */
function firstAfter(keyed: Array<{ key: Key }>, after: Key, sign: number): number {
  let lo = 0;
  let hi = keyed.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sign * compare(keyed[mid]!.key, after) <= 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * ListTaskDefinitionFamilies' status filter, which moto ignores: ACTIVE keeps the families with an
 * ACTIVE revision, INACTIVE those without one (as the API reference defines them).
 */
async function familiesByStatus(families: string[], status: string, upstream: Upstream): Promise<string[]> {
  const answer = await upstream('ListTaskDefinitions', { status: 'ACTIVE' });
  const arns = (JSON.parse(answer.body.toString() || '{}').taskDefinitionArns ?? []) as string[];
  const active = new Set(arns.map((a) => familyRevision(a)[0]));
  return families.filter((f) => (status === 'ACTIVE') === active.has(f));
}
