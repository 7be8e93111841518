// What a reader of the status can ask for (GET /api/v1/status?kind=&state=&name=&limit=&after=): the
// state names a filter takes, the totals every answer carries, and the parsing of the query string
// into a StatusQuery, with one clear line for a wrong parameter. The store (store.ts) answers it.
import type { Kind, ResourceKey } from '../core/types.js';
import type { ConditionType, HealthStatus, ResourceStatus, SyncStatus } from './types.js';

// Records rather than arrays, so that the compiler checks every value of each union is listed.
const SYNC = { Synced: 0, OutOfSync: 0, Unknown: 0 } satisfies Record<SyncStatus, 0>;
const HEALTH = { Healthy: 0, Progressing: 0, Degraded: 0, Missing: 0, Suspended: 0 } satisfies Record<HealthStatus, 0>;
const CONDITIONS = { Stalled: 0, Waiting: 0, Retrying: 0 } satisfies Record<ConditionType, 0>;

/** A state a filter names: a sync status, a health, a condition type set on it, or Drifted (drift recorded, whatever its policy). */
export type StateName = SyncStatus | HealthStatus | ConditionType | 'Drifted';

/** Every state name, in the order they are documented: sync, health, condition types, Drifted. The names of the three axes never overlap. */
export const STATE_NAMES: readonly StateName[] = [...Object.keys(SYNC), ...Object.keys(HEALTH), ...Object.keys(CONDITIONS), 'Drifted'] as StateName[];

export interface StatusQuery {
  /** Only these kinds (any of them). */
  kinds?: Kind[];
  /** Only resources in one of these states. */
  states?: StateName[];
  /** Only names that start with this (case-sensitive). */
  namePrefix?: string;
  /** Only resources after this one in list order (a cursor: it need not exist any more). */
  after?: ResourceKey;
  /** At most this many resources. Default: every match. */
  limit?: number;
}

/** Counts over every resource in the store, whatever the filter. */
export interface StatusTotals {
  resources: number;
  kinds: Record<Kind, number>;
  sync: Record<SyncStatus, number>;
  health: Record<HealthStatus, number>;
  /** Resources with a condition of that type set. */
  conditions: Record<ConditionType, number>;
  /** Resources with drift recorded (heal, alert and ignore policies alike). */
  drifted: number;
}

export interface StatusPage {
  totals: StatusTotals;
  /** Resources the filter matches in all pages. */
  matched: number;
  /** The page, in list order. */
  resources: ResourceStatus[];
  /** Present when more matches follow: the value of `after` for the next page. */
  next?: ResourceKey;
}

/** A query parameter that cannot be used; the message is one line naming it and what it takes. */
export class StatusQueryError extends Error {}

/** Totals of nothing, with a zero for each of `kinds`. */
export function emptyTotals(kinds: readonly Kind[]): StatusTotals {
  return {
    resources: 0, kinds: Object.fromEntries(kinds.map((k) => [k, 0])),
    sync: { ...SYNC }, health: { ...HEALTH }, conditions: { ...CONDITIONS }, drifted: 0,
  };
}

/** Adds one resource to `totals`. */
export function count(totals: StatusTotals, r: ResourceStatus): void {
  totals.resources++;
  totals.kinds[r.kind] = (totals.kinds[r.kind] ?? 0) + 1;
  totals.sync[r.sync]++;
  totals.health[r.health]++;
  for (const type of new Set(r.conditions.map((c) => c.type))) totals.conditions[type]++;
  if (r.drift) totals.drifted++;
}

/** The filter part of `query` as one test (the cursor and the limit are the store's). */
export function matcher(query: StatusQuery): (r: ResourceStatus) => boolean {
  const kinds = query.kinds && new Set<string>(query.kinds);
  const states = query.states && new Set<string>(query.states);
  const prefix = query.namePrefix;
  const inState = (r: ResourceStatus) => states!.has(r.sync) || states!.has(r.health)
    || r.conditions.some((c) => states!.has(c.type)) || (r.drift !== undefined && states!.has('Drifted'));
  return (r) => (!kinds || kinds.has(r.kind)) && (!prefix || r.name.startsWith(prefix)) && (!states || inState(r));
}

const PARAMETERS = ['kind', 'state', 'name', 'limit', 'after'];

/** Comma-separated values of one parameter, each checked against `valid`. */
function list<T extends string>(params: URLSearchParams, name: string, valid: readonly string[]): T[] | undefined {
  const raw = params.getAll(name).flatMap((v) => v.split(',')).map((v) => v.trim()).filter((v) => v !== '');
  if (raw.length === 0) return undefined;
  const wrong = raw.find((v) => !valid.includes(v));
  if (wrong !== undefined) throw new StatusQueryError(`${name}: unknown value "${wrong}"; one or more (comma-separated) of ${valid.join(', ')}`);
  return raw as T[];
}

/**
 * Reads `?kind=&state=&name=&limit=&after=` (`kinds`: those the operator serves); throws
 * StatusQueryError naming the parameter at fault.
 */
export function parseStatusQuery(params: URLSearchParams, kinds: readonly Kind[]): StatusQuery {
  for (const name of params.keys()) {
    if (!PARAMETERS.includes(name)) throw new StatusQueryError(`unknown parameter "${name}"; the status takes ${PARAMETERS.join(', ')}`);
  }
  const query: StatusQuery = {};
  const only = list<Kind>(params, 'kind', kinds);
  if (only) query.kinds = only;
  const states = list<StateName>(params, 'state', STATE_NAMES);
  if (states) query.states = states;
  const name = params.get('name');
  if (name) query.namePrefix = name;
  const limit = params.get('limit');
  if (limit !== null) {
    if (!/^\d+$/.test(limit) || Number(limit) < 1) throw new StatusQueryError(`limit: "${limit}" is not a whole number of 1 or more`);
    query.limit = Number(limit);
  }
  const after = params.get('after');
  if (after) {
    const slash = after.indexOf('/');
    const kind = slash > 0 ? after.slice(0, slash) : '';
    if (!kinds.includes(kind) || slash === after.length - 1) throw new StatusQueryError(`after: "${after}" is not Kind/name (the "next" of the page before, e.g. Service/web)`);
    query.after = after as ResourceKey;
  }
  return query;
}
